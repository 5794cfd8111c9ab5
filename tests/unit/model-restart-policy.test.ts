/**
 * `docker run --restart` and what dockerd does with it when it starts again (issue 9, item 5:
 * Restart-Computer, Restart-Service docker, Start-Service docker). Sources: docker/cli v20.10
 * opts/parse.go `ParseRestartPolicy` and cli/command/container/opts.go (the --rm conflict); moby
 * v20.10 daemon/container.go `validateRestartPolicy`, daemon/daemon.go `restore`,
 * restartmanager/restartmanager.go `ShouldRestart`, daemon/kill.go (a stop during shutdown is not
 * a manual stop).
 */
import { describe, expect, it } from 'vitest';
import { run, runOk } from './model-helpers.js';

const H = 'host h --os ws2019';
const state = (r: ReturnType<typeof run>, name: string) => r.world.hosts[0]!.containers.find((c) => c.name === name)!.state;

describe('docker run --restart', () => {
  it('parses as docker/cli 20.10 does, and the daemon validates the policy', () => {
    expect(run(`${H}\ndocker run -d --restart always:3 img`).last.error).toBe("docker: Error response from daemon: maximum retry count cannot be used with restart policy 'always'.\nSee 'docker run --help'.");
    expect(run(`${H}\ndocker run -d --restart sometimes img`).last.error).toBe("docker: Error response from daemon: invalid restart policy 'sometimes'.\nSee 'docker run --help'.");
    expect(run(`${H}\ndocker run -d --restart on-failure:x img`).last.error).toBe("docker: maximum retry count must be an integer.\nSee 'docker run --help'.");
    expect(run(`${H}\ndocker run -d --restart a:1:2 img`).last.error).toBe("docker: invalid restart policy format.\nSee 'docker run --help'.");
    expect(run(`${H}\ndocker run -d --rm --restart always img`).last.error).toBe("docker: Conflicting options: --restart and --rm.\nSee 'docker run --help'.");
    expect(run(`${H}\ndocker run -d --restart on-failure:-1 img`).last.error).toBe("docker: Error response from daemon: maximum retry count cannot be negative.\nSee 'docker run --help'.");
  });

  it('docker inspect shows HostConfig.RestartPolicy (the CLI default is "no")', () => {
    const r = runOk(`${H}\ndocker run -d --name a --restart on-failure:5 img\ndocker run -d --name b img\ndocker inspect a b`);
    const [a, b] = JSON.parse(r.last.output) as { HostConfig: { RestartPolicy: unknown } }[];
    expect(a!.HostConfig.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 5 });
    expect(b!.HostConfig.RestartPolicy).toEqual({ Name: 'no', MaximumRetryCount: 0 });
  });
});

describe('containers after Restart-Computer / Restart-Service docker', () => {
  const SETUP = `${H}\ndocker run -d --name no img\ndocker run -d --name always --restart always img\ndocker run -d --name unless --restart unless-stopped img\ndocker run -d --name onfail --restart on-failure img`;

  for (const restart of ['Restart-Computer', 'Restart-Service docker']) {
    it(`${restart}: always, unless-stopped and on-failure (exit 1067 after the daemon's stop) run again; no stays exited`, () => {
      const r = runOk(`${SETUP}\n${restart}`);
      expect(['no', 'always', 'unless', 'onfail'].map((n) => state(r, n))).toEqual(['exited', 'running', 'running', 'running']);
    });
  }

  it('a container stopped with docker stop: always starts again, unless-stopped does not', () => {
    const r = runOk(`${SETUP}\ndocker stop always unless\nRestart-Computer`);
    expect(state(r, 'always')).toBe('running');
    expect(state(r, 'unless')).toBe('exited');
    const again = runOk(`${SETUP}\ndocker stop unless\ndocker start unless\nRestart-Computer`);
    expect(state(again, 'unless')).toBe('running');
  });

  it('Stop-Service docker then Start-Service docker restores them the same way (the daemon stopped them, not the user)', () => {
    const r = runOk(`${SETUP}\nStop-Service docker\nStart-Service docker`);
    expect(['no', 'always', 'unless'].map((n) => state(r, n))).toEqual(['exited', 'running', 'running']);
  });

  it('a restored container gets a new endpoint and answers traffic-level queries again', () => {
    const r = runOk(`${H}\ndocker run -d --name web --restart always -p 8080:80 mcr.microsoft.com/windows/servercore/iis\nRestart-Computer\ndocker port web`);
    expect(r.last.output).toBe('80/tcp -> 0.0.0.0:8080');
    expect(r.world.hosts[0]!.endpoints.filter((e) => e.containerId === r.world.hosts[0]!.containers[0]!.id)).toHaveLength(1);
  });
});

describe('a restarted container and the networks dockerd made again', () => {
  // moby v20.10 daemon/container_operations.go getNetworkID: nat is found by name, user networks by ID.
  it('a container on nat finds the nat dockerd created again (a new ID) and publishes its port there', () => {
    const r = runOk(`${H}\ndocker run -d --name web --restart always -p 8080:80 img\nStop-Service docker\nGet-HnsNetwork | Remove-HnsNetwork\nStart-Service docker\ndocker port web`);
    const h = r.world.hosts[0]!;
    expect(state(r, 'web')).toBe('running');
    expect(h.containers[0]!.attachments[0]!.networkId).toBe(h.networks.find((n) => n.name === 'nat')!.id);
    expect(r.last.output).toBe('80/tcp -> 0.0.0.0:8080');
  });

  it('with daemon.json\'s "bridge": "none" it starts without a network (connectToNetwork disables networking for nat)', () => {
    const r = runOk(`${H}\ndocker run -d --name web --restart always img\nStop-Service docker\nGet-HnsNetwork | Remove-HnsNetwork\nSet-Content C:\\ProgramData\\docker\\config\\daemon.json '{"bridge": "none"}'\nStart-Service docker`);
    expect(state(r, 'web')).toBe('running');
    expect(r.world.hosts[0]!.containers[0]!.attachments).toEqual([]);
    expect(r.world.hosts[0]!.endpoints).toEqual([]);
  });

  it('on ws2016 removing a second nat network leaves the one WinNAT the default nat still uses', () => {
    const r = runOk('host h --os ws2016\ndocker network create -d nat --subnet 172.16.1.0/24 app\nGet-ContainerNetwork -Name app | Remove-ContainerNetwork -Force\nGet-NetNat');
    expect(r.world.hosts[0]!.winnats).toHaveLength(1);
    expect(r.last.output).toContain('InternalIPInterfaceAddressPrefix : 172.16.0.1/16');
  });
});

describe('Restart-Computer and HNS nat networks', () => {
  // Microsoft's container networking docs: "NAT networks created on Windows Server 2019 (or above) are
  // no longer persisted after reboot"; daschott in Virtualization-Documentation #1087: Docker creates
  // its default nat again at start and --restart always containers re-attach to it; moby v20.10
  // daemon_windows.go re-creates user nat networks with their name, ID and subnet.
  it('ws2019: nat comes back with a new ID, a user nat network with its own ID and subnet; an always container runs on the new nat', () => {
    const setup = `${H}\ndocker network create -d nat --subnet 172.30.0.0/24 app\ndocker run -d --name web --restart always -p 8080:80 img`;
    const before = runOk(setup).world.hosts[0]!.networks;
    const r = runOk(`${setup}\nRestart-Computer\ndocker port web`);
    const after = r.world.hosts[0]!.networks;
    const id = (nets: typeof after, name: string) => nets.find((n) => n.name === name)!.id;
    expect(id(after, 'nat')).not.toBe(id(before, 'nat'));
    expect(id(after, 'app')).toBe(id(before, 'app'));
    expect(after.find((n) => n.name === 'app')!.subnets[0]!.prefix).toBe('172.30.0.0/24');
    expect(r.world.hosts[0]!.containers[0]!.attachments[0]!.networkId).toBe(id(after, 'nat'));
    expect(r.last.output).toBe('80/tcp -> 0.0.0.0:8080');
  });

  it('ws2016 keeps its nat network across the boot (same ID)', () => {
    const before = runOk('host h --os ws2016\ndocker network ls').world.hosts[0]!.networks.find((n) => n.name === 'nat')!.id;
    const r = runOk('host h --os ws2016\ndocker network ls\nRestart-Computer');
    expect(r.world.hosts[0]!.networks.find((n) => n.name === 'nat')!.id).toBe(before);
  });
});
