import { describe, expect, it } from 'vitest';
import { endpoints, networks, vswitches } from '../../src/model/index.js';
import { run, runOk } from './model-helpers.js';

const twoNics = 'host h --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2" --nic "Ethernet 3"\n';

describe('transparent networks', () => {
  it('bind an external vSwitch to the first free adapter; the host address moves to vEthernet (<name>)', () => {
    const r = runOk('docker network create -d transparent tnet');
    const sw = vswitches(r.world, 'host1').find((s) => s.name === 'tnet')!;
    expect(sw).toMatchObject({ type: 'External', nics: ['Ethernet'], team: false, vfp: false });
    const vnic = r.world.hosts[0]!.vswitches.find((s) => s.name === 'tnet')!.hostVnic!;
    expect(vnic).toMatchObject({ name: 'vEthernet (tnet)', ip: '10.0.0.10/24', mac: '00-15-5D-00-00-0A' });
    const n = networks(r.world, 'host1').find((x) => x.name === 'tnet')!;
    expect(n.dhcp).toBe(true);
  });

  it('static addressing with --subnet/--gateway: the container is on the physical network with its own MAC', () => {
    const r = runOk('docker network create -d transparent --subnet=10.0.0.0/24 --gateway=10.0.0.1 MyTransparentNet\ndocker run -d --name web --network=MyTransparentNet --ip=10.0.0.105 img');
    const ep = endpoints(r.world, 'host1').find((e) => e.container === 'web')!;
    expect(ep).toMatchObject({ ip: '10.0.0.105', prefixLen: 24, gateway: '10.0.0.1', driver: 'transparent', dhcp: null });
    expect(ep.dnsServers).toEqual([]);
    expect(ep.mac).toMatch(/^00-15-5D-/);
  });

  it('-p has no effect on transparent (a warning names it)', () => {
    const r = runOk('docker network create -d transparent --subnet=10.0.0.0/24 --gateway=10.0.0.1 t\ndocker run -d --network t --ip 10.0.0.50 -p 80:80 img');
    expect(r.last.warnings.join()).toMatch(/-p 80:80 has no effect on a transparent network/);
  });

  it('without a subnet, containers lease from the LAN DHCP server', () => {
    const r = runOk('lan dhcp 10.0.0.100-10.0.0.200\ndocker network create -d transparent t\ndocker run -d --name a --network t img\ndocker run -d --name b --network t img');
    const eps = endpoints(r.world, 'host1');
    expect(eps.map((e) => [e.container, e.ip, e.dhcp, e.gateway])).toEqual([['a', '10.0.0.100', 'lease', '10.0.0.1'], ['b', '10.0.0.101', 'lease', '10.0.0.1']]);
    expect(r.world.underlay.dhcp!.leases.map((l) => l.owner)).toEqual(['host1/a', 'host1/b']);
  });

  it('without a DHCP server the container falls back to an APIPA address and no gateway', () => {
    const r = runOk('docker network create -d transparent t\ndocker run -d --name a --network t img');
    const ep = endpoints(r.world, 'host1')[0]!;
    expect(ep.ip).toMatch(/^169\.254\./);
    expect(ep).toMatchObject({ dhcp: 'apipa', gateway: null, prefixLen: 16 });
  });

  it('VLAN id: endpoints carry the network VLAN; the host trunk flag is reported', () => {
    const r = runOk(`${twoNics}docker network create -d transparent -o com.docker.network.windowsshim.vlanid=11 -o com.docker.network.windowsshim.interface="Ethernet 2" --subnet 10.0.11.0/24 --gateway 10.0.11.1 v11\ndocker run -d --network v11 --ip 10.0.11.5 img`);
    expect(networks(r.world, 'h').find((n) => n.name === 'v11')!.vlan).toBe(11);
    expect(endpoints(r.world, 'h')[0]!.vlan).toBe(11);
    expect(run('host h --no-trunk\ndocker ps').world.hosts[0]!.trunk).toBe(false);
  });

  it('Switch Embedded Teaming: several adapters in -o interface make one team (the seed\'s quoted list)', () => {
    const r = runOk(`${twoNics}docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2", "Ethernet 3" TeamedNet`);
    const sw = vswitches(r.world, 'h').find((s) => s.name === 'TeamedNet')!;
    expect(sw).toMatchObject({ team: true, nics: ['Ethernet 2', 'Ethernet 3'] });
    expect(sw.ports.filter((p) => p.kind === 'external').map((p) => (p.kind === 'external' ? p.teamMember : -1))).toEqual([0, 1]);
    const ps = run('Get-VMSwitch -Name TeamedNet', { world: r.world });
    expect(ps.last.output).toContain('TeamedNet External   Teamed-Interface');
  });

  it('an unknown adapter name is an HNS error', () => {
    expect(run('docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 9" t').last.error).toBe(
      'Error response from daemon: failed during hnsCallRawResponse: hnsCall failed in Win32: An adapter was not found. (0x803b0006)',
    );
  });

  it('networkname sets the HNS name (and the switch name), not Docker\'s', () => {
    const r = runOk('docker network create -d transparent -o com.docker.network.windowsshim.networkname=HnsTrans dockername');
    const n = networks(r.world, 'host1').find((x) => x.name === 'dockername')!;
    expect(n.hnsName).toBe('HnsTrans');
    expect(n.vswitch).toBe('HnsTrans');
    expect(run('Get-HnsNetwork', { world: r.world }).last.output).toContain('Name                   : HnsTrans');
  });
});

describe('tip 4 / tip 7: each network on an external vSwitch needs its own adapter', () => {
  it('a second transparent network with no free adapter fails; naming another adapter works', () => {
    const fail2 = run('docker network create -d transparent t1\ndocker network create -d transparent t2');
    expect(fail2.last.ok).toBe(false);
    expect(fail2.last.error).toBe('Error response from daemon: failed during hnsCallRawResponse: hnsCall failed in Win32: The parameter is incorrect. (0x57)');
    const same = run(`${twoNics}docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2" t1\ndocker network create -d l2bridge -o com.docker.network.windowsshim.interface="Ethernet 2" --subnet 10.0.5.0/24 --gateway 10.0.5.1 b1`);
    expect(same.last.ok).toBe(false);
    const ok = runOk(`${twoNics}docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2" t1\ndocker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 3" t2`);
    expect(vswitches(ok.world, 'h').filter((s) => s.type === 'External').map((s) => s.nics)).toEqual([['Ethernet 2'], ['Ethernet 3']]);
  });

  it('ws2016 reports the HNS v1 form of the error', () => {
    const r = run('host h --os ws2016\ndocker network create -d transparent t1\ndocker network create -d transparent t2');
    expect(r.last.error).toBe('Error response from daemon: HNS failed with error : The parameter is incorrect.');
  });
});

describe('tip 5: static IPs need --subnet and --gateway at network creation', () => {
  it('--ip on a transparent network created without a subnet fails at docker run; recreating with a subnet fixes it', () => {
    const r = run('docker network create -d transparent t\ndocker run -d --name c --network t --ip 10.0.0.50 img');
    expect(r.last.error).toBe("docker: Error response from daemon: user specified IP address is supported only when connecting to networks with user configured subnets.");
    // validateNetworkingConfig runs at the start (moby v20.10.24 connectToNetwork): c stays Created; a new container is run.
    const fix = run('docker network rm t\ndocker network create -d transparent --subnet=10.0.0.0/24 --gateway=10.0.0.1 t\ndocker run -d --network t --ip 10.0.0.50 img', { world: r.world });
    expect(fix.outcomes.every((o) => o.ok)).toBe(true);
  });

  it('an address outside the subnet, and an address in use, are refused', () => {
    const base = 'docker network create -d transparent --subnet=10.0.0.0/24 --gateway=10.0.0.1 t\n';
    expect(run(`${base}docker run -d --network t --ip 10.9.9.9 img`).last.error).toBe(
      "docker: Error response from daemon: no configured subnet or ip-range contain the IP address 10.9.9.9.",
    );
    expect(run(`${base}docker run -d --network t --ip 10.0.0.50 img\ndocker run -d --network t --ip 10.0.0.50 img`).last.error).toBe(
      "docker: Error response from daemon: Address already in use.",
    );
    expect(run(`${base}docker run -d --network t --ip 10.0.0.10 img`).last.ok).toBe(false);
  });

  it('--ip is allowed on nat networks (HNS back-fills their subnet; enableIPOnPredefinedNetwork)', () => {
    const r = runOk('host h --fixed-cidr 172.20.0.0/16\ndocker run -d --ip 172.20.5.5 img');
    expect(endpoints(r.world, 'h')[0]!.ip).toBe('172.20.5.5');
    expect(endpoints(r.world, 'h')[0]!.prefixLen).toBe(16);
  });
});

describe('tip 3: DHCP on a virtualized container host needs MAC spoofing', () => {
  const vm = 'host ContainerHostVM --virtualized\nlan dhcp 10.0.0.100-10.0.0.200\ndocker network create -d transparent t\n';

  it('cause → symptom: no lease (APIPA address); fix: Set-VMNetworkAdapter -MacAddressSpoofing On → lease', () => {
    const r = runOk(`${vm}docker run -d --name web --network t img`);
    const before = endpoints(r.world, 'ContainerHostVM')[0]!;
    expect(before.dhcp).toBe('apipa');
    expect(before.ip).toMatch(/^169\.254\./);
    const ipc = run('docker exec web ipconfig /all', { world: r.world });
    expect(ipc.last.output).toContain('Autoconfiguration IPv4 Address. . : 169.254.');
    const fix = run('Get-VMNetworkAdapter -VMName ContainerHostVM | Set-VMNetworkAdapter -MacAddressSpoofing On', { world: r.world });
    expect(fix.last.ok).toBe(true);
    expect(fix.last.warnings).toEqual([]);
    const after = endpoints(r.world, 'ContainerHostVM')[0]!;
    expect(after).toMatchObject({ dhcp: 'lease', ip: '10.0.0.100', gateway: '10.0.0.1' });
    expect(r.world.hosts[0]!.macSpoofing).toBe(true);
  });

  it('a host declared with --mac-spoofing on leases at once; a physical host needs nothing', () => {
    expect(endpoints(runOk('host h --virtualized --mac-spoofing on\nlan dhcp 10.0.0.100-10.0.0.200\ndocker network create -d transparent t\ndocker run -d --network t img').world, 'h')[0]!.dhcp).toBe('lease');
    expect(endpoints(runOk('lan dhcp 10.0.0.100-10.0.0.200\ndocker network create -d transparent t\ndocker run -d --network t img').world, 'host1')[0]!.dhcp).toBe('lease');
  });

  it('Get-VMNetworkAdapter on a VM that does not exist fails like Hyper-V', () => {
    expect(run('Get-VMNetworkAdapter -VMName Nope | Set-VMNetworkAdapter -MacAddressSpoofing On').last.error).toBe(
      'Get-VMNetworkAdapter : Hyper-V was unable to find a virtual machine with name "Nope".',
    );
  });
});

describe('tip 9: an external vSwitch made out of band is invisible to Docker', () => {
  const setup = `${twoNics}docker network ls\nNew-VMSwitch -Name OOB -NetAdapterName "Ethernet"\n`;

  it('symptom: transparent creation on that adapter fails; the switch is not in docker network ls', () => {
    const r = run(`${setup}docker network create -d transparent t`);
    expect(r.outcomes[2]!.ok).toBe(true);
    expect(r.last.error).toBe('Error response from daemon: failed during hnsCallRawResponse: hnsCall failed in Win32: The parameter is incorrect. (0x57)');
    expect(run('docker network ls', { world: r.world }).last.output).not.toContain('OOB');
  });

  it('fix 1: Remove-VMSwitch, then creation works', () => {
    const r = run(`${setup}Remove-VMSwitch OOB\ndocker network create -d transparent t`);
    expect(r.last.ok).toBe(true);
  });

  it('fix 2: Restart-Service hns + Restart-Service docker: the switch shows up as a transparent network', () => {
    const r = runOk(`${setup}Restart-Service hns\nRestart-Service docker\ndocker network ls`);
    expect(r.last.output).toMatch(/OOB\s+transparent\s+local/);
    // Docker now reuses the switch for a network on that adapter
    const t = run('docker network create -d transparent -o com.docker.network.windowsshim.interface=Ethernet t', { world: r.world });
    expect(t.last.ok).toBe(true);
    expect(networks(r.world, 'h').find((n) => n.name === 't')!.vswitch).toBe('OOB');
  });

  it('fix 3: bind the network to another adapter', () => {
    expect(run(`${setup}docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2" t`).last.ok).toBe(true);
  });

  it('a switch that existed before the engine started is adopted at once', () => {
    const r = runOk(`${twoNics}New-VMSwitch -Name Pre -NetAdapterName "Ethernet 2"\ndocker network ls`);
    expect(r.last.output).toMatch(/Pre\s+transparent\s+local/);
  });

  it('New-VMSwitch on a bound adapter fails like Hyper-V', () => {
    const r = run(`${setup}New-VMSwitch -Name X -NetAdapterName "Ethernet"`);
    expect(r.last.error).toBe("New-VMSwitch : Failed while adding virtual Ethernet switch connections.\nExternal Ethernet adapter 'Intel(R) Ethernet Server Adapter I350-T4' is already bound to the Microsoft Virtual Switch protocol.");
  });
});

describe('ipconfig /all of a DHCP container', () => {
  it('shows DHCP Enabled, the lease times, the DHCP server and the LAN DNS server', () => {
    const r = runOk('lan dhcp 10.0.0.100-10.0.0.200\ndocker network create -d transparent t\ndocker run -d --name a --network t img\ndocker exec a ipconfig /all');
    const out = r.last.output;
    expect(out).toContain('   DHCP Enabled. . . . . . . . . . . : Yes\n');
    expect(out).toContain('   IPv4 Address. . . . . . . . . . . : 10.0.0.100(Preferred)\n');
    expect(out).toContain('   Lease Obtained. . . . . . . . . . : Monday, January 15, 2024 9:00:03 AM\n');
    expect(out).toContain('   Lease Expires . . . . . . . . . . : Tuesday, January 23, 2024 9:00:03 AM\n');
    expect(out).toContain('   DHCP Server . . . . . . . . . . . : 10.0.0.1\n');
    expect(out).toContain('   DNS Servers . . . . . . . . . . . : 10.0.0.1\n');
  });
});
