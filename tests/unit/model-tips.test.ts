/** The seed's ten tips, each as cause → symptom → fix (SPEC §3). */
import { describe, expect, it } from 'vitest';
import { endpoints, networks } from '../../src/model/index.js';
import { run, runOk } from './model-helpers.js';

const RUN_HELP = "\nSee 'docker run --help'.";

describe('the ten tips of the seed', () => {
  it('1. HNS requires IPv6: with IPv6 off docker run fails with Element not found; reg delete + Restart-Computer fixes it', () => {
    const r = run('host h --ipv6 off\ndocker run -d --name web img');
    expect(r.last.ok).toBe(false);
    expect(r.last.error).toMatch(/^docker: Error response from daemon: container [0-9a-f]{64} encountered an error during CreateContainer: failure in a Windows system call: Element not found\.$/);
    // HCS CreateContainer runs at the start (moby v20.10.24 daemon/start.go): web stays Created.
    expect(r.world.hosts[0]!.containers.map((c) => c.state)).toEqual(['created']);
    const reg = run('reg delete HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters /v DisabledComponents /f', { world: r.world });
    expect(reg.last).toMatchObject({ ok: true, output: 'The operation completed successfully.' });
    expect(reg.last.warnings[0]).toMatch(/Restart-Computer/);
    // DisabledComponents is read at boot: still failing before the restart
    expect(run('docker start web', { world: r.world }).last.error).toMatch(/Element not found/);
    const after = run('Restart-Computer\ndocker start web', { world: r.world });
    expect(after.outcomes.map((o) => o.ok)).toEqual([true, true]);
    // the value is gone now
    expect(run('reg delete HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters /v DisabledComponents /f', { world: r.world }).last.error).toBe(
      'ERROR: The system was unable to find the specified registry key or value.',
    );
  });

  it('2. Docker for Windows: the Moby Linux VM uses the DockerNAT switch, not the HNS nat switch', () => {
    const r = runOk('host dev --os win10-1703 --docker-for-windows\ndocker network ls\nGet-VMSwitch');
    expect(r.last.output).toMatch(/DockerNAT\s+Internal/);
    expect(r.last.output).toMatch(/nat\s+Internal/);
    const vm = run('Get-VMNetworkAdapter -VMName MobyLinuxVM', { world: r.world });
    expect(vm.last.output).toMatch(/MobyLinuxVM\s+DockerNAT/);
    // HNS's nat network is separate from DockerNAT's 10.0.75.0/24
    expect(networks(r.world, 'dev')[0]!.subnets[0]!.prefix).not.toBe('10.0.75.0/24');
  });

  it('3. DHCP on a virtualized host needs MAC spoofing (symptom APIPA, fix Set-VMNetworkAdapter)', () => {
    const r = runOk('host vmhost --virtualized\nlan dhcp 10.0.0.100-10.0.0.150\ndocker network create -d transparent t\ndocker run -d --network t img');
    expect(endpoints(r.world, 'vmhost')[0]!.dhcp).toBe('apipa');
    runOk('Get-VMNetworkAdapter -VMName vmhost | Set-VMNetworkAdapter -MacAddressSpoofing On', { world: r.world });
    expect(endpoints(r.world, 'vmhost')[0]!).toMatchObject({ dhcp: 'lease', ip: '10.0.0.100' });
  });

  it('4. several transparent networks need -o interface each', () => {
    const host = 'host h --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2"\n';
    const bad = run(`${host}docker network create -d transparent t1\ndocker network create -d transparent -o com.docker.network.windowsshim.interface=Ethernet t2`);
    expect(bad.last.error).toContain('The parameter is incorrect.');
    expect(runOk(`${host}docker network create -d transparent t1\ndocker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2" t2`).last.ok).toBe(true);
  });

  it('5. static IPs need --subnet and --gateway at network creation', () => {
    expect(run('docker network create -d transparent t\ndocker run -d --network t --ip 10.0.0.50 img').last.error).toBe(
      `docker: Error response from daemon: user specified IP address is supported only when connecting to networks with user configured subnets.`,
    );
    expect(runOk('docker network create -d transparent --subnet=10.0.0.0/24 --gateway=10.0.0.1 t\ndocker run -d --network t --ip 10.0.0.50 img').last.ok).toBe(true);
  });

  it('6. l2bridge supports static IPs only', () => {
    const h = 'host h --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2"\n';
    expect(run(`${h}docker network create -d l2bridge -o com.docker.network.windowsshim.interface="Ethernet 2" b\ndocker run -d --network b img`).last.error).toContain('The network does not have a subnet for this endpoint.');
    expect(runOk(`${h}docker network create -d l2bridge --subnet 10.0.0.0/24 --gateway 10.0.0.1 -o com.docker.network.windowsshim.interface="Ethernet 2" b\ndocker run -d --network b img`).last.ok).toBe(true);
  });

  it('7. every network on an external vSwitch needs its own adapter', () => {
    const h = 'host h --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2"\n';
    const r = run(`${h}docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2" t\ndocker network create -d l2bridge --subnet 10.0.0.0/24 --gateway 10.0.0.1 -o com.docker.network.windowsshim.interface="Ethernet 2" b`);
    expect(r.last.error).toBe('Error response from daemon: failed during hnsCallRawResponse: hnsCall failed in Win32: The parameter is incorrect. (0x57)');
    expect(run('docker network create -d l2bridge --subnet 10.0.0.0/24 --gateway 10.0.0.1 -o com.docker.network.windowsshim.interface=Ethernet b', { world: r.world }).last.ok).toBe(true);
  });

  it('8. static IP only on stopped containers, and no hot add, on ws2016; hot add works from win10-1703', () => {
    const base = (os: string) => `host h --os ${os}\ndocker network create -d nat --subnet 172.16.5.0/24 --gateway 172.16.5.1 second\ndocker run -d --name c img\n`;
    const ws16 = run(`${base('ws2016')}docker network connect --ip 172.16.5.9 second c`);
    expect(ws16.last.error).toBe('Error response from daemon: windows does not support connecting a running container to a network');
    // fix on ws2016: stop, connect (static IP applied at the next start), start
    const fixed = runOk('docker stop c\ndocker network connect --ip 172.16.5.9 second c\ndocker start c', { world: ws16.world });
    expect(endpoints(fixed.world, 'h').map((e) => e.ip)).toContain('172.16.5.9');
    expect(run('docker network disconnect second c', { world: fixed.world }).last.error).toBe('Error response from daemon: windows does not support connecting a running container to a network');
    for (const os of ['win10-1703', 'ws1709', 'ws2019', 'ws2022']) {
      const hot = run(`${base(os)}docker network connect --ip 172.16.5.9 second c`);
      expect(hot.last.ok).toBe(true);
      expect(endpoints(hot.world, 'h').map((e) => e.ip)).toContain('172.16.5.9');
      expect(run('docker network disconnect second c', { world: hot.world }).last.ok).toBe(true);
      expect(endpoints(hot.world, 'h')).toHaveLength(1);
    }
  });

  it('9. an external vSwitch created out of band blocks transparent creation until hns and docker restart', () => {
    const r = run('docker network ls\nNew-VMSwitch -Name OOB -NetAdapterName Ethernet\ndocker network create -d transparent t');
    expect(r.last.error).toContain('The parameter is incorrect.');
    const fix = runOk('Restart-Service hns\nRestart-Service docker\ndocker network ls', { world: r.world });
    expect(fix.last.output).toMatch(/OOB\s+transparent\s+local/);
  });

  it('10. ws2016: nat networks beyond the default are partitions of the internal prefix; the seed\'s gateway typo is an IPAM error', () => {
    const r = run('host h --os ws2016\ndocker network ls\nGet-NetNat\ndocker network create -d nat --subnet=172.16.1.0/24 --gateway=172.16.1.1 CustomNat1\ndocker network create -d nat --subnet=172.16.2.0/24 --gateway=172.16.1.1 CustomNat2\ndocker network create -d nat --subnet=172.16.2.0/24 --gateway=172.16.2.1 CustomNat2\ndocker network create -d nat --subnet=192.168.2.0/24 Outside');
    expect(r.outcomes[2]!.output).toContain('InternalIPInterfaceAddressPrefix : 172.16.0.1/16');
    expect(r.outcomes.map((o) => o.ok)).toEqual([true, true, true, true, false, true, false]);
    expect(r.outcomes[4]!.error).toBe('no matching subnet for gateway 172.16.1.1');
    expect(r.outcomes[6]!.error).toBe('Error response from daemon: HNS failed with error : Unspecified error');
    // the same second network on ws2019 is its own WinNAT
    const w19 = runOk('docker network create -d nat --subnet=192.168.2.0/24 Outside');
    expect(w19.world.hosts[0]!.winnats).toHaveLength(2);
  });
});
