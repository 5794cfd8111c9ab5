/**
 * `docker run` is a create, then a start (docker/cli v20.10.24 cli/command/container/run.go
 * runContainer: createContainer, then client.ContainerStart). When the start fails, the container
 * stays: moby v20.10.24 daemon/start.go containerStart's deferred cleanup sets its exit code to 128,
 * cleans up its networking and removes it only when HostConfig.AutoRemove (`--rm`) is set. The
 * network lookup, static IP checks, HNS endpoint and port mappings happen at the start
 * (daemon/container_operations.go allocateNetwork → connectToNetwork → findAndAttachNetwork,
 * validateNetworkingConfig); name, flag and IPv4-syntax errors at the create (daemon/create.go
 * containerCreate, verifyNetworkingConfig; container/view.go reserveName) leave nothing.
 */
import { describe, expect, it } from 'vitest';
import { run } from './model-helpers.js';

const CONFLICT = /^docker: Error response from daemon: Conflict\. The container name "\/web2" is already in use by container "[0-9a-f]{64}"\. You have to remove \(or rename\) that container to be able to reuse that name\.\nSee 'docker run --help'\.$/;

describe('a docker run whose start fails leaves a Created container (run.go: create, then start)', () => {
  it('a published port already held: web2 stays Created, with no endpoint, mapping or rule', () => {
    const r = run('docker run -d --name web1 -p 8080:80 img\ndocker run -d --name web2 -p 8080:80 img\ndocker ps -a --format "{{.Names}} {{.Status}}"');
    expect(r.outcomes[1]!.ok).toBe(false);
    // The error text is unchanged: HNS refuses the second mapping of the port.
    expect(r.outcomes[1]!.error).toContain('failed to create endpoint web2 on network nat');
    expect(r.outcomes[1]!.error).toContain('The object already exists.');
    expect(r.last.output.split('\n')).toContain('web2 Created');
    const host = r.world.hosts[0]!;
    const web2 = host.containers.find((c) => c.name === 'web2')!;
    expect(web2.state).toBe('created');
    // daemon/start.go: `if container.ExitCode() == 0 { container.SetExitCode(128) }`
    expect(web2.exitCode).toBe(128);
    expect(web2.attachments.every((a) => a.endpointId === '')).toBe(true);
    expect(host.endpoints).toHaveLength(1);
    expect(host.winnats[0]!.staticMappings).toHaveLength(1);
    expect(host.firewall.filter((f) => f.origin === 'publish' && f.name.includes('web2'))).toHaveLength(0);
    expect(web2.firewall).toHaveLength(0);
  });

  it('its name stays taken: the same run again is the Conflict error; docker rm frees it', () => {
    const base = 'docker run -d --name web1 -p 8080:80 img\ndocker run -d --name web2 -p 8080:80 img\n';
    const again = run(`${base}docker run -d --name web2 -p 8080:80 img`);
    expect(again.last.error).toMatch(CONFLICT);
    const id = again.world.hosts[0]!.containers.find((c) => c.name === 'web2')!.id;
    expect(again.last.error).toContain(`by container "${id}"`);
    const r = run(`${base}docker rm web2\ndocker run -d --name web2 -p 8081:80 img\ndocker ps -a --format "{{.Names}} {{.Status}}"`);
    expect(r.outcomes.slice(2).map((o) => o.error)).toEqual([null, null, null]);
    expect(r.last.output.split('\n').filter((l) => l.startsWith('web2'))).toEqual(['web2 Up 1 second']);
  });

  it('docker logs finds it (nothing printed); docker start retries and succeeds once the port is free', () => {
    const base = 'docker run -d --name web1 -p 8080:80 img\ndocker run -d --name web2 -p 8080:80 img\n';
    const logs = run(`${base}docker logs web2`);
    expect(logs.last.ok).toBe(true);
    expect(logs.last.output).toBe('');
    const still = run(`${base}docker start web2`);
    expect(still.last.ok).toBe(false);
    // docker/cli v20.10.24 start.go: the daemon's error as it is, then which containers failed; no `docker:` and no run hint.
    expect(still.last.error).toMatch(/^Error response from daemon: failed to create endpoint web2 on network nat: .*The object already exists\. \(0x1392\)\nError: failed to start containers: web2$/);
    expect(still.world.hosts[0]!.containers.find((c) => c.name === 'web2')!.state).toBe('created');
    const r = run(`${base}docker rm -f web1\ndocker start web2\ndocker ps --format "{{.Names}} {{.Ports}}"`);
    expect(r.outcomes.slice(2).map((o) => o.error)).toEqual([null, null, null]);
    expect(r.last.output).toBe('web2 0.0.0.0:8080->80/tcp');
  });

  it('with --rm the daemon removes it: nothing is left', () => {
    const r = run('docker run -d --name web1 -p 8080:80 img\ndocker run -d --rm --name web2 -p 8080:80 img\ndocker ps -a --format "{{.Names}}"');
    expect(r.outcomes[1]!.ok).toBe(false);
    expect(r.last.output).toBe('web1');
    expect(run('docker run -d --name web1 -p 8080:80 img\ndocker run -d --rm --name web2 -p 8080:80 img\ndocker run -d --name web2 -p 8081:80 img').last.error).toBeNull();
  });

  it('an unknown network fails at the start (findAndAttachNetwork), leaving the container; creating the network lets it start', () => {
    const r = run('docker run -d --name c1 --network nosuch img\ndocker ps -a --format "{{.Names}} {{.Status}}"');
    expect(r.outcomes[0]!.error).toBe("docker: Error response from daemon: network nosuch not found.");
    // A detached run has printed the container's ID before the start fails (run.go; MicrosoftDocs/Virtualization-Documentation #356).
    expect(r.outcomes[0]!.output).toBe(r.world.hosts[0]!.containers[0]!.id);
    expect(run('docker run --name c1 --network nosuch img').last.output).toBe('');
    expect(r.last.output).toBe('c1 Created');
    const ok = run('docker run -d --name c1 --network nosuch img\ndocker network create -d nat nosuch\ndocker start c1\ndocker ps --format "{{.Names}} {{.Networks}}"');
    expect(ok.outcomes.slice(1).map((o) => o.error)).toEqual([null, null, null]);
    expect(ok.last.output).toBe('c1 nosuch');
  });

  it('a static IP outside the subnet or in use fails at the start; a malformed one at the create (verifyNetworkingConfig)', () => {
    const net = 'docker network create -d nat --subnet 172.30.0.0/24 n\n';
    const outside = run(`${net}docker run -d --name c1 --network n --ip 10.9.9.9 img\ndocker ps -a --format "{{.Names}} {{.Status}}"`);
    expect(outside.outcomes[1]!.ok).toBe(false);
    expect(outside.last.output).toBe('c1 Created');
    const taken = run(`${net}docker run -d --name c0 --network n --ip 172.30.0.5 img\ndocker run -d --name c1 --network n --ip 172.30.0.5 img\ndocker ps -a --format "{{.Names}} {{.Status}}"`);
    expect(taken.outcomes[2]!.error).toContain('Address already in use');
    expect(taken.last.output.split('\n')).toContain('c1 Created');
    const bad = run(`${net}docker run -d --name c1 --network n --ip 300.1.1.1 img\ndocker ps -a --format "{{.Names}}"`);
    expect(bad.outcomes[1]!.error).toContain('invalid IPv4 address: 300.1.1.1');
    expect(bad.last.output).toBe('');
  });

  it('failures before the start leave nothing: a name in use (reserveName), a publish spec the CLI refuses (nat.ParsePortSpecs)', () => {
    const r = run('docker run -d --name a img\ndocker run -d --name a -p 8080:80 img\ndocker run -d --name b -p 80:abc img\ndocker ps -a --format "{{.Names}}"');
    expect(r.outcomes[1]!.ok).toBe(false);
    expect(r.outcomes[2]!.ok).toBe(false);
    expect(r.last.output).toBe('a');
  });
});

describe('a network with only created or stopped containers on it can be removed (they hold no endpoint)', () => {
  it('libnetwork v20.10.24 network.go delete refuses only while getEpCnt() > 0; the container then cannot start', () => {
    // A static IP without a configured subnet fails at the start (validateNetworkingConfig): c stays Created on t.
    const r = run('docker network create -d transparent t\ndocker run -d --name c --network t --ip 10.0.0.50 img\ndocker network rm t\ndocker start c');
    expect(r.outcomes[2]).toMatchObject({ ok: true, output: 't' });
    // docker start prints the daemon's error as it is, then the containers that failed (docker/cli v20.10.24 start.go).
    expect(r.last.error).toMatch(/^Error response from daemon: network [0-9a-f]{64} not found\nError: failed to start containers: c$/);
    const busy = run('docker network create -d nat --subnet 172.30.0.0/24 n\ndocker run -d --name c --network n img\ndocker network rm n');
    expect(busy.last.error).toMatch(/has active endpoints$/);
    const stopped = run('docker network create -d nat --subnet 172.30.0.0/24 n\ndocker run -d --name c --network n img\ndocker stop c\ndocker network rm n');
    expect(stopped.last).toMatchObject({ ok: true, output: 'n' });
  });
});
