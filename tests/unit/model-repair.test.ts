/**
 * Reset and repair (issue 9, item 5): the services, WinNAT and HNS removals the public
 * troubleshooting guides use, dockerd's reconciliation when it starts (moby v20.10
 * daemon/daemon_windows.go initNetworkController) and the broken states a half-done reset leaves.
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/index.js';
import { run, runOk } from './model-helpers.js';

const WEB = 'host h --os ws2019\ndocker run -d --name web -p 8080:80 mcr.microsoft.com/windows/servercore/iis';
const PIPE = 'open //./pipe/docker_engine: The system cannot find the file specified.';

describe('Stop-Service / Start-Service docker', () => {
  it('stopping dockerd stops its containers and closes the engine pipe (20.10 text as pasted in public reports)', () => {
    const r = run(`${WEB}\nStop-Service docker\ndocker ps\ndocker run -d --name web2 img\nGet-Service docker`);
    expect(r.world.hosts[0]!.containers[0]!.state).not.toBe('running');
    expect(r.outcomes[3]!.error).toBe(`error during connect: This error may indicate that the docker daemon is not running.: Get "http://%2F%2F.%2Fpipe%2Fdocker_engine/v1.24/containers/json": ${PIPE}`);
    expect(r.outcomes[4]!.error).toBe(`docker: error during connect: This error may indicate that the docker daemon is not running.: Post "http://%2F%2F.%2Fpipe%2Fdocker_engine/v1.24/containers/create?name=web2": ${PIPE}\nSee 'docker run --help'.`);
    expect(r.last.output).toMatch(/^Stopped\s+docker\s+Docker Engine$/m);
  });

  it('Start-Service docker brings the engine back; Restart-Computer starts stopped services', () => {
    expect(runOk(`${WEB}\nStop-Service docker\nStart-Service docker\ndocker ps -a`).last.output).toMatch(/Exited .* web$/m);
    expect(runOk(`${WEB}\nStop-Service docker\nRestart-Computer\ndocker ps`).last.ok).toBe(true);
  });

  it('an unknown service name is PowerShell\'s own error', () => {
    expect(run('host h\nStop-Service dockr').last.error).toBe("Stop-Service : Cannot find any service with service name 'dockr'.");
  });
});

describe('WinNAT removed behind Docker\'s back (Get-NetNat | Remove-NetNat)', () => {
  it('published ports then fail in HNS with Unspecified error (docker/for-win #123: -p fails, no -p works)', () => {
    const r = run(`${WEB}\nGet-NetNat | Remove-NetNat\nGet-NetNat\ndocker run -d --name a -p 8081:80 img\ndocker run -d --name b img`);
    expect(r.outcomes[3]!.output).toBe('');
    expect(r.outcomes[4]!.error).toBe("docker: Error response from daemon: failed to create endpoint a on network nat: failed during hnsCallRawResponse: hnsCall failed in Win32: Unspecified error (0x80004005).");
    expect(r.last.ok).toBe(true);
    const old = run('host h --os ws2016\ndocker run -d --name web img\nGet-NetNat | Remove-NetNat\ndocker run -d --name a -p 8081:80 img');
    expect(old.last.error).toMatch(/on network nat: HNS failed with error : Unspecified error\.$/);
  });

  it('without WinNAT the container\'s traffic leaves the host untranslated', async () => {
    const r = await runScript(`${WEB}\nGet-NetNat | Remove-NetNat\ndocker exec web ping -n 1 10.0.0.1`, { seed: 1 });
    const first = r.steps.at(-1)!.traces.flatMap((t) => t.packets).find((p) => p.summary.startsWith('ICMP'))!;
    expect(first.summary).toMatch(/^ICMP 172\./);
    expect(first.hops.some((h) => h.stage === 'nat')).toBe(false);
    const before = await runScript(`${WEB}\ndocker exec web ping -n 1 10.0.0.1`, { seed: 1 });
    expect(before.steps.at(-1)!.traces.flatMap((t) => t.packets).find((p) => p.summary.startsWith('ICMP'))!.hops.some((h) => h.stage === 'nat')).toBe(true);
  });

  it('New-NetNat for the nat prefix gives the network its WinNAT back; a prefix holding the host address fails with error 87 (Virtualization-Documentation #361)', () => {
    const r = runOk(`${WEB}\nGet-NetNat | Remove-NetNat`);
    const prefix = r.world.hosts[0]!.networks.find((n) => n.name === 'nat')!.subnets[0]!.prefix;
    const again = run(`New-NetNat -Name fix -InternalIPInterfaceAddressPrefix ${prefix}\ndocker run -d --name a -p 8081:80 img`, { world: r.world });
    expect(again.outcomes.map((o) => o.ok)).toEqual([true, true]);
    expect(again.outcomes[0]!.output).toContain(`InternalIPInterfaceAddressPrefix : ${prefix}`);
    expect(run('New-NetNat -Name bad -InternalIPInterfaceAddressPrefix 10.0.0.0/24', { world: r.world }).last.error).toMatch(/^New-NetNat : The parameter is incorrect\.\n.*Windows System Error 87,New-NetNat$/s);
  });
});

describe('HNS networks removed (Get-HnsNetwork | Remove-HnsNetwork)', () => {
  const NETS = `${WEB}\ndocker network create -d nat --subnet 172.30.0.0/24 app\ndocker network create -d transparent lan`;

  it('the guides\' full reset: dockerd re-creates user nat networks with their ID and subnet, deletes other local ones, creates nat again (daemon_windows.go v20.10)', async () => {
    const before = runOk(NETS).world.hosts[0]!.networks.map((n) => ({ name: n.name, id: n.id }));
    const r = runOk(`${NETS}\nStop-Service docker\nGet-NetNat | Remove-NetNat\nGet-HnsNetwork | Remove-HnsNetwork\nGet-HnsNetwork\nStart-Service docker\ndocker network ls`);
    expect(r.outcomes.at(-3)!.output).toBe('');
    const after = r.world.hosts[0]!.networks;
    expect(after.map((n) => n.name).sort()).toEqual(['app', 'nat', 'none']);
    expect(after.find((n) => n.name === 'app')!.id).toBe(before.find((n) => n.name === 'app')!.id);
    expect(after.find((n) => n.name === 'app')!.subnets[0]!.prefix).toBe('172.30.0.0/24');
    expect(after.find((n) => n.name === 'nat')!.id).not.toBe(before.find((n) => n.name === 'nat')!.id);
    expect(r.world.hosts[0]!.winnats).toHaveLength(2);
    const traffic = await runScript(`${NETS}\nStop-Service docker\nGet-NetNat | Remove-NetNat\nGet-HnsNetwork | Remove-HnsNetwork\nStart-Service docker\ndocker run -d --name w2 -p 8082:80 img\ncurl http://10.0.0.10:8082/`, { seed: 1 });
    expect(traffic.steps.at(-1)!.output).toMatch(/<title>IIS Windows Server<\/title>/);
  });

  it('half done (dockerd kept running): Docker still lists the network, a container cannot join it until dockerd restarts', () => {
    const r = run(`host h --os ws2019\ndocker network create -d nat --subnet 172.30.0.0/24 app\nGet-HnsNetwork | Remove-HnsNetwork\ndocker network ls\ndocker run -d --name a --network app img`);
    expect(r.outcomes[3]!.output).toMatch(/\bapp\s+nat\s+local/);
    expect(r.last.ok).toBe(false);
    expect(r.last.error).toMatch(/^docker: Error response from daemon: failed to create endpoint a on network app: its HNS network [0-9A-F-]+ was removed/);
    // The failed start left a Created (docker/cli v20.10.24 run.go): docker start retries it.
    const fixed = run('Restart-Service docker\ndocker start a', { world: r.world });
    expect(fixed.outcomes.map((o) => o.ok)).toEqual([true, true]);
  });

  it('leaves an HNS network containers still use in place and says so plainly; the others go', () => {
    const r = runOk(`${WEB}\ndocker network create -d nat --subnet 172.30.0.0/24 app\nGet-HnsNetwork | Remove-HnsNetwork`);
    expect(r.last.warnings).toEqual([expect.stringMatching(/^Packet Path does not simulate removing HNS network nat while containers are attached to it/)]);
    const nets = r.world.hosts[0]!.networks;
    expect(nets.find((n) => n.name === 'nat')!.hnsRemoved).toBeFalsy();
    expect(nets.find((n) => n.name === 'app')!.hnsRemoved).toBe(true);
  });
});

describe('Get-ContainerNetwork | Remove-ContainerNetwork (the Containers module of Windows Server 2016)', () => {
  const OLD = 'host h --os ws2016\ndocker network create -d nat --subnet 172.16.1.0/24 app';

  it('lists HNS\'s networks in the module\'s table: Name Id Subnets Mode SourceMac DNSServers DNSSuffix, lower-case Id (hcsshim #99, Virtualization-Documentation #516)', () => {
    const r = runOk(`${OLD}\nGet-ContainerNetwork`);
    const nat = r.world.hosts[0]!.networks.find((n) => n.name === 'nat')!;
    const lines = r.last.output.split('\n');
    expect(lines[1]).toMatch(/^Name +Id +Subnets +Mode SourceMac DNSServers DNSSuffix$/);
    expect(lines[2]).toMatch(/^---- +-- +------- +---- --------- ---------- ---------$/);
    expect(lines).toContainEqual(`nat  ${nat.hnsId.toLowerCase()} {172.16.0.0/16} NAT`);
    expect(runOk(`${OLD}\nGet-ContainerNetwork -Name app`).last.output).toMatch(/\n\S+ +[0-9a-f-]{36} \{172\.16\.1\.0\/24\} NAT\n/);
  });

  it('each network asks for confirmation, a piped one named "" (hcsshim #99); -Force does not ask', () => {
    const r = runOk(`${OLD}\nGet-ContainerNetwork | Remove-ContainerNetwork`);
    expect(r.last.output.match(/Remove-ContainerNetwork will remove the container network ""\./g)).toHaveLength(2);
    expect(r.last.output).toContain('[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"): Y');
    expect(runOk(`${OLD}\nGet-ContainerNetwork | Remove-ContainerNetwork -Force`).last.output).toBe('');
    expect(runOk(`${OLD}\nRemove-ContainerNetwork -Name nat`).last.output).toContain('Remove-ContainerNetwork will remove the container network "nat".');
  });

  it('removes the HNS networks as Remove-HnsNetwork does: Docker still lists them until dockerd starts again, then re-creates nat and the user nat network', () => {
    const r = run(`${OLD}\nGet-ContainerNetwork | Remove-ContainerNetwork -Force\nGet-ContainerNetwork\ndocker network ls\ndocker run -d --name a --network app img`);
    expect(r.outcomes[3]!.output).toBe('');
    expect(r.outcomes[4]!.output).toMatch(/\bapp\s+nat\s+local/);
    expect(r.last.error).toMatch(/on network app: its HNS network [0-9A-F-]+ was removed/);
    const fixed = runOk('Restart-Service docker\nGet-ContainerNetwork\ndocker run -d --name a --network app img', { world: r.world });
    expect(fixed.outcomes[1]!.output).toMatch(/\{172\.16\.1\.0\/24\} NAT/);
  });

  it('later releases lack the module: PowerShell\'s "is not recognized" (docker/compose #4024 on Windows 10, docker/for-win #4201 on 1803)', () => {
    for (const os of ['win10-1803', 'ws2019', 'ws2022']) {
      expect(run(`host h --os ${os}\nGet-ContainerNetwork`).last.error).toMatch(/^Get-ContainerNetwork : The term 'Get-ContainerNetwork' is not recognized as the name of a cmdlet/);
      expect(run(`host h --os ${os}\nGet-ContainerNetwork | Remove-ContainerNetwork`).last.error).toMatch(/^Get-ContainerNetwork : The term 'Get-ContainerNetwork' is not recognized/);
    }
  });
});
