/**
 * daemon.json (issue 9, item 5): written with Set-Content as the public guides do, read by dockerd
 * when it starts. Sources: moby v20.10.24 cmd/dockerd/daemon.go `loadDaemonCliConfig`,
 * daemon/config/config.go (`getConflictFreeConfiguration`, `findConfigurationConflicts`,
 * `Validate`), cmd/dockerd/config_windows.go (the Windows flags: fixed-cidr, bridge, group; no
 * iptables/ip-masq), daemon/daemon_windows.go (`DisableBridge` skips the default nat,
 * `FixedCIDR`), daemon/container_operations.go (`connectToNetwork`: nat with bridge none runs
 * without a network), daemon/network.go (daemon DNS when the container has none); the
 * Start-Service failure text from Virtualization-Documentation #1633; the byte-order-mark error of
 * 20.10 from moby #44770 (fixed in 23.0).
 */
import { describe, expect, it } from 'vitest';
import { run, runOk } from './model-helpers.js';

const H = 'host h --os ws2019';
const DJ = 'C:\\ProgramData\\docker\\config\\daemon.json';
const set = (json: string, extra = '') => `Set-Content ${DJ} '${json}'${extra}`;
const FAILED = "Start-Service : Failed to start service 'Docker Engine (docker)'.\n    + CategoryInfo          : OpenError: (System.ServiceProcess.ServiceController:ServiceController) [Start-Service], ServiceCommandException\n    + FullyQualifiedErrorId : StartServiceFailed,Microsoft.PowerShell.Commands.StartServiceCommand";
const UNABLE = `dockerd exited (Application event log, source docker): unable to configure the Docker daemon with file ${DJ}: `;

describe('daemon.json keys that change networking', () => {
  it('"bridge": "none": after Stop-Service, removing the HNS networks and Start-Service there is no nat network; a container on nat runs without one', () => {
    const r = runOk(`${H}\ndocker network ls\n${set('{"bridge": "none"}')}\nStop-Service docker\nGet-HnsNetwork | Remove-HnsNetwork\nStart-Service docker\ndocker network ls\ndocker run -d --name a img`);
    const h = r.world.hosts[0]!;
    expect(h.networks.map((n) => n.name)).toEqual(['none']);
    expect(h.endpoints).toEqual([]);
    expect(h.containers[0]!.state).toBe('running');
  });

  it('"bridge": "none" leaves an existing nat network alone (initBridgeDriver only creates a missing one; DisableBridge skips it)', () => {
    const r = runOk(`${H}\ndocker network ls\n${set('{"bridge": "none"}')}\nRestart-Service docker`);
    expect(r.world.hosts[0]!.networks.map((n) => n.name).sort()).toEqual(['nat', 'none']);
  });

  it('daemon.json is read only when dockerd starts: written and not restarted, it changes nothing', () => {
    const r = runOk(`${H}\n${set('{"bridge": "none"}')}\ndocker network ls`);
    expect(r.last.output).toMatch(/\bnat\s+nat\s+local/);
  });

  it('"fixed-cidr" gives the default nat network its prefix when dockerd creates it', () => {
    const r = runOk(`${H}\ndocker network ls\n${set('{"fixed-cidr": "172.31.0.0/24"}')}\nStop-Service docker\nGet-HnsNetwork | Remove-HnsNetwork\nStart-Service docker\ndocker network inspect nat -f "{{(index .IPAM.Config 0).Subnet}}"`);
    expect(r.last.output).toBe('172.31.0.0/24');
  });

  it('"dns" and "dns-search" are the containers\' DNS servers and suffix unless docker run gives its own', () => {
    const r = runOk(`${H}\n${set('{"dns": ["10.0.0.53"], "dns-search": ["corp.local"]}')}\nRestart-Service docker\ndocker run -d --name a img\ndocker run -d --name b --dns 10.9.9.9 --dns-search x.local img`);
    const ep = (name: string) => r.world.hosts[0]!.endpoints.find((e) => e.containerId === r.world.hosts[0]!.containers.find((c) => c.name === name)!.id)!;
    expect(ep('a').dnsServers).toContain('10.0.0.53');
    expect(ep('a').dnsSearch).toEqual(['corp.local']);
    expect(ep('b').dnsServers).not.toContain('10.0.0.53');
    expect(ep('b').dnsSearch).toEqual(['x.local']);
  });

  it('the file and its text: Get-Content prints it; before Set-Content there is none', () => {
    expect(runOk(`${H}\n${set('{"bridge": "none"}')}\nGet-Content ${DJ}`).last.output).toBe('{"bridge": "none"}');
    expect(run(`${H}\nGet-Content ${DJ}`).last.error).toBe(`Get-Content : Cannot find path '${DJ}' because it does not exist.`);
    expect(run(`${H}\nSet-Content C:\\temp\\x.txt 'a'`).last.error).toMatch(/^Set-Content : Packet Path simulates Set-Content only for dockerd's configuration file/);
  });

  it('keys dockerd accepts but Packet Path does not model are named in a warning', () => {
    const r = runOk(`${H}\n${set('{"debug": true, "bridge": "none"}')}\nRestart-Service docker`);
    expect(r.last.warnings).toEqual(['daemon.json: dockerd accepts "debug"; Packet Path does not model its effect']);
  });
});

describe('daemon.json errors: dockerd exits, the service stays stopped', () => {
  it('keys Windows\' dockerd has no flag for (iptables, ip-masq): "the following directives don\'t match any configuration option"', () => {
    const r = run(`${H}\ndocker run -d --name a img\nStop-Service docker\n${set('{"iptables": false, "ip-masq": false}')}\nStart-Service docker\ndocker ps\nGet-Service docker`);
    expect(r.outcomes[4]!.error).toBe(FAILED);
    expect(r.outcomes[4]!.warnings).toEqual([`${UNABLE}the following directives don't match any configuration option: ip-masq, iptables`]);
    expect(r.outcomes[5]!.error).toMatch(/^error during connect: This error may indicate that the docker daemon is not running/);
    expect(r.last.output).toMatch(/^Stopped\s+docker/m);
  });

  it('Restart-Service docker fails the same way and leaves the containers stopped', () => {
    const r = run(`${H}\ndocker run -d --name a img\n${set('{"ipv6": true}')}\nRestart-Service docker`);
    expect(r.last.error).toMatch(/^Restart-Service : Failed to start service 'Docker Engine \(docker\)'\.\n.*\[Restart-Service\].*\n.*StartServiceFailed,Microsoft\.PowerShell\.Commands\.RestartServiceCommand$/s);
    expect(r.world.hosts[0]!.containers[0]!.state).toBe('exited');
    expect(r.world.hosts[0]!.stoppedServices).toContain('docker');
  });

  it('after Restart-Computer dockerd does not come up; fixing the file and Start-Service brings it back', () => {
    const r = run(`${H}\ndocker network ls\n${set('{"live-restore": true}')}\nRestart-Computer\ndocker network ls\n${set('{}')}\nStart-Service docker\ndocker network ls`);
    expect(r.outcomes[3]!.ok).toBe(true);
    expect(r.outcomes[3]!.warnings).toEqual([`${UNABLE}the following directives don't match any configuration option: live-restore`]);
    expect(r.outcomes[4]!.ok).toBe(false);
    expect(r.last.ok).toBe(true);
  });

  it('a key given both as a dockerd flag (the host\'s --fixed-cidr) and in the file', () => {
    const r = run(`host h --os ws2019 --fixed-cidr 172.20.0.0/16\n${set('{"fixed-cidr": "172.31.0.0/24"}')}\nRestart-Service docker`);
    expect(r.last.warnings).toEqual([`${UNABLE}the following directives are specified both as a flag and in the configuration file: fixed-cidr: (from flag: 172.20.0.0/16, from file: 172.31.0.0/24)`]);
  });

  it('Validate: a DNS server that is no IP address, a search domain that is no domain', () => {
    expect(run(`${H}\n${set('{"dns": ["8.8.8"]}')}\nRestart-Service docker`).last.warnings).toEqual([`${UNABLE}configuration validation from file failed: 8.8.8 is not an ip address`]);
    expect(run(`${H}\n${set('{"dns-search": ["-bad-"]}')}\nRestart-Service docker`).last.warnings).toEqual([`${UNABLE}configuration validation from file failed: -bad- is not a valid domain`]);
  });

  it('an empty file is EOF (moby #41268); a non-object is Go\'s unmarshal error', () => {
    expect(run(`${H}\n${set('')}\nRestart-Service docker`).last.warnings).toEqual([`${UNABLE}EOF`]);
    expect(run(`${H}\n${set('[1]')}\nRestart-Service docker`).last.warnings).toEqual([`${UNABLE}json: cannot unmarshal array into Go value of type map[string]interface {}`]);
  });

  it('Set-Content -Encoding UTF8 writes a byte-order mark Docker 20.10 stops at (moby #44770); the default encoding (ANSI) writes none', () => {
    expect(run(`${H}\n${set('{"bridge": "none"}', ' -Encoding UTF8')}\nRestart-Service docker`).last.warnings).toEqual([`${UNABLE}invalid character 'ï' looking for beginning of value`]);
    expect(run(`${H}\n${set('{"bridge": "none"}', ' -Encoding Unicode')}\nRestart-Service docker`).last.warnings).toEqual([`${UNABLE}invalid character 'ÿ' looking for beginning of value`]);
    expect(runOk(`${H}\n${set('{"bridge": "none"}', ' -Encoding ASCII')}\nRestart-Service docker`).last.ok).toBe(true);
  });
});
