/**
 * The swarm's management commands beyond create/ls/ps/rm: `docker service inspect` (JSON and
 * `--pretty`), `docker service update`, `docker node inspect` and `docker node update`.
 */
import { describe, expect, it } from 'vitest';
import { resolveName } from '../../src/model/index.js';
import { run, runOk } from './model-helpers.js';

const TOKEN = 'SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx';
const SWARM = `host m1 --os ws2019 --ip 10.0.0.11/24
docker swarm init --advertise-addr 10.0.0.11
host w1 --os ws2019 --ip 10.0.0.12/24
docker swarm join --token ${TOKEN} 10.0.0.11:2377
host m1
docker network create -d overlay ov
docker service create --name web --network ov --replicas 3 -p 8080:80 microsoft/iis
`;

describe('docker service inspect', () => {
  // moby v20.10.24 api/types/swarm (Service, ServiceSpec, TaskSpec, ContainerSpec); swarmkit's
  // api/defaults/service.go; docker/cli v20.10.24 cli/command/service/opts.go (ToService);
  // the shape of a Windows swarm's pasted output in docker/for-win #1216.
  it('prints the service as Docker 20.10 does: the spec with swarmkit defaults, ports, one VIP per network', () => {
    const r = runOk(`${SWARM}docker service inspect web`);
    const [svc] = JSON.parse(r.last.output);
    expect(Object.keys(svc)).toEqual(['ID', 'Version', 'CreatedAt', 'UpdatedAt', 'Spec', 'Endpoint']);
    expect(svc.ID).toMatch(/^[0-9a-z]{25}$/);
    expect(svc.Spec.TaskTemplate).toMatchObject({
      ContainerSpec: { Image: 'microsoft/iis', Init: false, StopGracePeriod: 10_000_000_000, DNSConfig: {}, Isolation: 'default' },
      RestartPolicy: { Condition: 'any', Delay: 5_000_000_000, MaxAttempts: 0 },
      Placement: { Platforms: [{ Architecture: 'amd64', OS: 'windows' }] },
      Runtime: 'container',
    });
    expect(svc.Spec.Mode).toEqual({ Replicated: { Replicas: 3 } });
    expect(svc.Spec.UpdateConfig).toEqual({ Parallelism: 1, FailureAction: 'pause', Monitor: 5_000_000_000, MaxFailureRatio: 0, Order: 'stop-first' });
    const port = { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' };
    expect(svc.Endpoint.Ports).toEqual([port]);
    const ov = r.world.swarm!.networks.find((n) => n.name === 'ov')!;
    const ingress = r.world.swarm!.networks.find((n) => n.ingress)!;
    expect(svc.Endpoint.VirtualIPs.map((v: { NetworkID: string }) => v.NetworkID).sort()).toEqual([ov.id, ingress.id].sort());
    expect(svc.Endpoint.VirtualIPs.find((v: { NetworkID: string }) => v.NetworkID === ov.id).Addr).toBe('10.0.2.2/24');
    const f = run('docker service inspect -f "{{.Spec.Name}} {{.Spec.Mode.Replicated.Replicas}}" web', { world: r.world });
    expect(f.last.output).toBe('web 3');
  });

  // docker/cli v20.10.24 cli/command/service/formatter.go: serviceInspectPrettyTemplate; each
  // service's text ends with a newline (cli/command/formatter/formatter.go contextFormat).
  it('--pretty runs docker/cli 20.10\'s template', () => {
    const r = runOk(`${SWARM}docker service inspect --pretty web`);
    const id = r.world.swarm!.services[0]!.id;
    expect(r.last.output).toBe([
      '', `ID:\t\t${id}`, 'Name:\t\tweb', 'Service Mode:\tReplicated', ' Replicas:\t3', 'Placement:',
      'UpdateConfig:', ' Parallelism:\t1', ' On failure:\tpause', ' Monitoring Period: 5s', ' Max failure ratio: 0', ' Update order:      stop-first',
      'RollbackConfig:', ' Parallelism:\t1', ' On failure:\tpause', ' Monitoring Period: 5s', ' Max failure ratio: 0', ' Rollback order:    stop-first',
      'ContainerSpec:', ' Image:\t\tmicrosoft/iis', ' Init:\t\tfalse', 'Resources:', 'Networks: ov ', 'Endpoint Mode:\tvip',
      'Ports:', ' PublishedPort = 8080', '  Protocol = tcp', '  TargetPort = 80', '  PublishMode = ingress ', '',
    ].join('\n'));
  });

  it('a service that does not exist is Docker\'s "no such service"; a worker is refused', () => {
    const r = run(`${SWARM}docker service inspect nope`);
    expect(r.last.error).toBe('Error: no such service: nope');
    const w = run(`${SWARM}host w1\ndocker service inspect web`);
    expect(w.last.error).toMatch(/This node is not a swarm manager/);
  });
});

describe('docker service update', () => {
  // docker/cli v20.10.24 cli/command/service/update.go: prints the service as given, then the
  // progress; --replicas only for replicated services (updateReplicas); --publish-rm matches the
  // protocol, target port and mode (updatePorts).
  it('--replicas scales, printing the service and its progress', () => {
    const r = runOk(`${SWARM}docker service update --replicas 5 web`);
    expect(r.last.output.split('\n').slice(0, 2)).toEqual(['web', 'overall progress: 5 out of 5 tasks ']);
    expect(r.world.hosts.flatMap((h) => h.containers.filter((c) => c.service)).length).toBe(5);
    const g = run(`${SWARM}docker service create --name g --mode global --detach microsoft/iis\ndocker service update --replicas 2 g`);
    expect(g.last.error).toBe('replicas can only be used with replicated or replicated-job mode');
  });

  it('--publish-add and --publish-rm change the published ports and replace the tasks, keeping the VIPs', () => {
    const base = `${SWARM.replace(' -p 8080:80', '')}`;
    const r = runOk(`${base}docker service update --publish-add 8081:80 web`);
    const svc = r.world.swarm!.services[0]!;
    expect(svc.publish).toEqual([{ protocol: 'tcp', published: 8081, target: 80, mode: 'ingress' }]);
    const ov = r.world.swarm!.networks.find((n) => n.name === 'ov')!;
    expect(svc.vips[ov.id]).toBe('10.0.2.2');
    expect(Object.keys(svc.vips)).toContain(r.world.swarm!.networks.find((n) => n.ingress)!.id);
    const rm = run('docker service update --publish-rm 80 web', { world: r.world });
    expect(rm.world.swarm!.services[0]!.publish).toEqual([]);
    expect(rm.world.swarm!.services[0]!.vips[ov.id]).toBe('10.0.2.2');
  });

  it('--endpoint-mode dnsrr drops the VIPs; it refuses ingress ports as create does', () => {
    const base = `${SWARM.replace(' -p 8080:80', '')}`;
    const r = runOk(`${base}docker service update --endpoint-mode dnsrr web`);
    expect(r.world.swarm!.services[0]!).toMatchObject({ endpointMode: 'dnsrr', vips: {} });
    const bad = run(`${SWARM}docker service update --endpoint-mode dnsrr web`);
    expect(bad.last.error).toBe("Error response from daemon: rpc error: code = InvalidArgument desc = EndpointSpec: port published with ingress mode can't be used with dnsrr mode");
    expect(run(`${SWARM}docker service update --replicas 2 nope`).last.error).toBe('Error: no such service: nope');
  });
});

describe('docker node update', () => {
  // docker/cli v20.10.24 cli/command/node/update.go (prints the node as given; --label-rm of a
  // missing key: "key K doesn't exist in node's labels"); moby daemon/cluster/helpers.go getNode
  // ("node X not found"); swarmkit controlapi/node.go (the last manager cannot be demoted).
  it('--availability drain moves the node\'s tasks to the others; active takes tasks again', () => {
    const r = runOk(`${SWARM}docker node update --availability drain w1\ndocker node ls`);
    expect(r.outcomes[r.outcomes.length - 2]!.output).toBe('w1');
    const w1 = r.world.hosts.find((h) => h.name === 'w1')!;
    expect(w1.containers.filter((c) => c.service)).toHaveLength(0);
    expect(r.world.hosts.find((h) => h.name === 'm1')!.containers.filter((c) => c.service)).toHaveLength(3);
    expect(r.last.output).toMatch(/w1\s+Ready\s+Drain/);
    const back = run('docker node update --availability active w1\ndocker service scale web=4', { world: r.world });
    expect(back.world.hosts.find((h) => h.name === 'w1')!.containers.filter((c) => c.service)).toHaveLength(1);
  });

  it('--label-add / --label-rm, and the errors of an unknown node or label', () => {
    const r = runOk(`${SWARM}docker node update --label-add zone=a --label-add ssd w1`);
    expect(r.world.swarm!.nodes.find((n) => n.host === 'w1')!.labels).toEqual({ zone: 'a', ssd: '' });
    expect(run('docker node update --label-rm zone w1', { world: r.world }).world.swarm!.nodes.find((n) => n.host === 'w1')!.labels).toEqual({ ssd: '' });
    expect(run('docker node update --label-rm nope w1', { world: r.world }).last.error).toBe("key nope doesn't exist in node's labels");
    expect(run('docker node update --availability drain zz', { world: r.world }).last.error).toBe('Error response from daemon: node zz not found');
    expect(run('docker node update --role worker m1', { world: r.world }).last.error).toBe('Error response from daemon: rpc error: code = FailedPrecondition desc = attempting to demote the last manager of the swarm');
  });
});

describe('docker service create --publish (long syntax)', () => {
  // docker/cli v20.10.24 opts/port.go PortOpt.Set: each field parsed with strconv.ParseUint(v, 10, 16)
  // (its error returned as is), unknown keys, protocol and mode values refused; pflag wraps the error
  // as `invalid argument "V" for "-p, --publish" flag: ERR`.
  const svc = (spec: string, flag = '--publish') => run(`${SWARM}docker service create --name x --network ov ${flag} ${spec} microsoft/iis`).last;
  it('refuses a port outside 16 bits with strconv\'s error, not an internal one', () => {
    expect(svc('mode=host,target=80,published=8080000').error).toBe('invalid argument "mode=host,target=80,published=8080000" for "-p, --publish" flag: strconv.ParseUint: parsing "8080000": value out of range');
    expect(svc('8080000:80').error).toBe('invalid argument "8080000:80" for "-p, --publish" flag: Invalid hostPort: 8080000');
    expect(svc('target=http,published=80').error).toBe('invalid argument "target=http,published=80" for "-p, --publish" flag: strconv.ParseUint: parsing "http": invalid syntax');
  });
  it('refuses unknown keys, protocols and modes, and a missing target', () => {
    expect(svc('target=80,port=81').error).toBe('invalid argument "target=80,port=81" for "-p, --publish" flag: invalid field key port');
    expect(svc('target=80,protocol=icmp').error).toBe('invalid argument "target=80,protocol=icmp" for "-p, --publish" flag: invalid protocol value icmp');
    expect(svc('target=80,mode=global').error).toBe('invalid argument "target=80,mode=global" for "-p, --publish" flag: invalid publish mode value global');
    expect(svc('published=80,mode=host').error).toBe('invalid argument "published=80,mode=host" for "-p, --publish" flag: missing mandatory field "target"');
  });
  it('reads keys and values case-insensitively, as the CLI lowercases them', () => {
    const r = svc('Mode=HOST,Target=80,Published=8080,Protocol=UDP');
    expect(r.ok).toBe(true);
  });
});

describe('a worker asked for cluster state', () => {
  // moby v20.10.24 daemon/cluster/cluster.go errNoManager: a node outside any swarm is told to init or
  // join; a worker gets errSwarmNotManager (daemon/cluster/errors.go).
  const WORKER = "Error response from daemon: This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.";
  it.each(['docker service ls', 'docker node ls', 'docker service ps web', 'docker service rm web', 'docker stack ls'])('%s on a worker', (cmd) => {
    expect(run(`${SWARM}host w1\n${cmd}`).last.error).toBe(WORKER);
  });
  it('a node outside any swarm is told to init or join', () => {
    expect(run('host solo --os ws2019 --ip 10.0.0.30/24\ndocker service ls').last.error).toBe('Error response from daemon: This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.');
  });
});

describe('docker stack', () => {
  // docker/cli v20.10.24 cli/command/stack/swarm: deploy_composefile.go ("Creating network",
  // "Creating service"), remove.go ("Removing service", "Removing network"), list.go and
  // formatter.go (NAME SERVICES ORCHESTRATOR, "Swarm"); cli/compose/convert/service.go
  // (the short service name is a network alias).
  const FILE = [
    'version: "3.8"',
    'services:',
    '  web:', '    image: microsoft/iis', '    ports: ["8080:80"]', '    deploy:', '      replicas: 2',
    '  api:', '    image: microsoft/iis', '    networks: [back]', '    deploy:', '      mode: global', '      endpoint_mode: dnsrr',
    '  edge:', '    image: microsoft/iis', '    networks: [back]', '    ports:', '      - target: 80', '        published: 9090', '        mode: host',
    'networks:', '  back:', '    attachable: true',
  ].join('\n');
  const files = { 'stack.yml': FILE };
  const base = SWARM.split('\n').slice(0, 5).join('\n');

  it('deploy creates the overlay networks and services with the deploy keys, in name order', () => {
    const r = runOk(`${base}\ndocker stack deploy -c stack.yml app`, { files });
    expect(r.last.output).toBe(['Creating network app_back', 'Creating network app_default', 'Creating service app_api', 'Creating service app_edge', 'Creating service app_web'].join('\n'));
    const sw = r.world.swarm!;
    const svc = (n: string) => sw.services.find((s) => s.name === n)!;
    expect(svc('app_web')).toMatchObject({ replicas: 2, mode: 'replicated', endpointMode: 'vip', publish: [{ published: 8080, target: 80, mode: 'ingress', protocol: 'tcp' }] });
    expect(svc('app_api')).toMatchObject({ mode: 'global', endpointMode: 'dnsrr', vips: {} });
    expect(svc('app_edge').publish).toEqual([{ published: 9090, target: 80, mode: 'host', protocol: 'tcp' }]);
    expect(svc('app_web').labels).toEqual({ 'com.docker.stack.namespace': 'app', 'com.docker.stack.image': 'microsoft/iis' });
    expect(sw.networks.find((n) => n.name === 'app_back')).toMatchObject({ driver: 'overlay', attachable: true, labels: { 'com.docker.stack.namespace': 'app' } });
    expect(run('docker stack ls', { world: r.world }).last.output).toBe('NAME      SERVICES   ORCHESTRATOR\napp       3          Swarm');
    expect(run('docker stack ps app', { world: r.world }).last.output.split('\n').slice(1).map((l) => l.split(/\s+/)[1])).toEqual(['app_api.1', 'app_api.2', 'app_edge.1', 'app_web.1', 'app_web.2']);
  });

  it('a stack service answers to its short name on the stack\'s network', () => {
    const r = runOk(`${base}\ndocker stack deploy -c stack.yml app\ndocker run -d --name probe --network app_back img`, { files });
    const ep = r.world.hosts.find((h) => h.name === 'm1')!.endpoints.find((e) => e.containerId === r.world.hosts.find((h) => h.name === 'm1')!.containers.find((c) => c.name === 'probe')!.id)!;
    const res = resolveName(r.world, ep.id, 'api');
    expect(res.found && res.kind).toBe('service-tasks');
    expect(res.found && res.ips.length).toBe(2);
  });

  it('rm removes the services then the networks; a network still in use is reported and kept', () => {
    const r = runOk(`${base}\ndocker stack deploy -c stack.yml app\ndocker run -d --name probe --network app_back img\ndocker stack rm app`, { files });
    expect(r.last.output).toBe(['Removing service app_api', 'Removing service app_edge', 'Removing service app_web', 'Removing network app_back', 'Removing network app_default'].join('\n'));
    expect(r.last.warnings[r.last.warnings.length - 1]).toBe('Failed to remove some resources from stack: app');
    expect(r.world.swarm!.services).toEqual([]);
    expect(r.world.swarm!.networks.map((n) => n.name).sort()).toEqual(['app_back', 'ingress']);
  });

  it('deploy keys of the wrong kind get compose\'s validation text', () => {
    const bad = run(`${base}\ndocker stack deploy -c stack.yml app`, { files: { 'stack.yml': 'services:\n  web:\n    image: x\n    deploy:\n      mode: fancy\n' } });
    expect(bad.last.error).toBe('stack.yml: services.web.deploy.mode must be one of "replicated", "global"');
  });
});
