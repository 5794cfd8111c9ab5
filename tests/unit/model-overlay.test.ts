import { describe, expect, it } from 'vitest';
import { endpoints, networks, overlayKvs, overlayPeers, publishedPorts, resolveName, services, vswitches } from '../../src/model/index.js';
import { execute } from '../../src/model/index.js';
import { dockerCmd, run, runOk } from './model-helpers.js';

const TOKEN = 'SWMTKN-1-0123456789abcdefghij0123456789abcdefghij0123456789-abcdefghij0123456789abcde';
const swarm = (os = 'ws2019') => `host m1 --os ${os} --ip 10.0.0.11/24
docker swarm init
host w1 --os ${os} --ip 10.0.0.12/24
docker swarm join --token ${TOKEN} 10.0.0.11:2377
host m1
`;

describe('swarm mode', () => {
  it('swarm init prints the join command with the manager address; join accepts a well-formed foreign token with a warning', () => {
    const r = runOk(swarm());
    const init = r.outcomes[1]!;
    expect(init.output).toMatch(/^Swarm initialized: current node \([0-9a-z]{25}\) is now a manager\.\n\nTo add a worker to this swarm, run the following command:\n\n {4}docker swarm join --token SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25} 10\.0\.0\.11:2377\n/);
    expect(r.outcomes[3]!.output).toBe('This node joined a swarm as a worker.');
    expect(r.outcomes[3]!.warnings[0]).toMatch(/join token is not this swarm's/);
  });

  it('the swarm\'s own token joins without a warning; a malformed token and a wrong address fail', () => {
    const r = runOk('host m1 --ip 10.0.0.11/24\ndocker swarm init\nhost w1 --ip 10.0.0.12/24');
    const token = r.world.swarm!.tokens.worker;
    const j = run(`docker swarm join --token ${token} 10.0.0.11:2377`, { world: r.world });
    expect(j.last).toMatchObject({ ok: true, warnings: [] });
    const r2 = runOk('host m1 --ip 10.0.0.11/24\ndocker swarm init\nhost w1 --ip 10.0.0.12/24');
    expect(run('docker swarm join --token abc 10.0.0.11:2377', { world: r2.world }).last.error).toBe('Error response from daemon: invalid join token');
    expect(run(`docker swarm join --token ${TOKEN} 10.0.0.99:2377`, { world: r2.world }).last.error).toMatch(/No connection could be made/);
  });

  it('a second init, leaving as manager without --force, and leaving outside a swarm fail with Docker\'s texts', () => {
    expect(run('docker swarm init\ndocker swarm init').last.error).toBe('Error response from daemon: This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.');
    expect(run('docker swarm init\ndocker swarm leave').last.error).toMatch(/^Error response from daemon: You are attempting to leave the swarm on a node that is participating as a manager/);
    expect(run('docker swarm leave').last.error).toBe('Error response from daemon: This node is not part of a swarm');
    expect(runOk(`${swarm()}host w1\ndocker swarm leave`).last.output).toBe('Node left the swarm.');
  });

  it('the ingress network exists after init (VNI 4096); overlay networks get VNIs from 4097 and /24s of 10.0.0.0/8 clear of the LAN', () => {
    const r = runOk(`${swarm()}docker network create -d overlay a\ndocker network create -d overlay b`);
    const s = r.world.swarm!;
    expect(s.networks.map((n) => [n.name, n.vni, n.subnets[0]!.prefix])).toEqual([
      ['ingress', 4096, '10.0.1.0/24'], ['a', 4097, '10.0.2.0/24'], ['b', 4098, '10.0.3.0/24'],
    ]);
    expect(r.last.output).toMatch(/^[0-9a-z]{25}$/);
  });

  it('overlay needs a swarm manager', () => {
    expect(run('docker network create -d overlay o').last.error).toBe('Error response from daemon: This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.');
    expect(run(`${swarm()}host w1\ndocker network create -d overlay o`).last.error).toBe('Error response from daemon: Cannot create a multi-host network from a worker node. Please create the network from a manager node.');
  });

  it('--opt encrypted is accepted with a warning (no IPsec on Windows); vxlanid_list sets the VNI', () => {
    const r = runOk(`${swarm()}docker network create -d overlay --opt encrypted -o com.docker.network.driver.overlay.vxlanid_list=5000 o`);
    expect(r.last.warnings).toEqual(['--opt encrypted has no effect on Windows: overlay data-plane encryption (IPsec) is not supported, traffic is sent in clear']);
    expect(r.world.swarm!.networks.find((n) => n.name === 'o')!.vni).toBe(5000);
    expect(run(`${swarm()}docker network create -d overlay -o com.docker.network.driver.overlay.vxlanid_list=x o`).last.error).toBe('Error response from daemon: invalid vxlan id value "x" passed');
  });

  it('docker run on an overlay needs --attachable', () => {
    expect(run(`${swarm()}docker network create -d overlay o\ndocker run -d --network o img`).last.error).toBe(
      "docker: Error response from daemon: Could not attach to network o: rpc error: code = PermissionDenied desc = network o not manually attachable.",
    );
    const ok = runOk(`${swarm()}docker network create -d overlay --attachable o\ndocker run -d --name c --network o img`);
    const ep = endpoints(ok.world, 'm1')[0]!;
    expect(ep).toMatchObject({ ip: '10.0.2.2', gateway: '10.0.2.1', mtu: 1450, driver: 'overlay', vni: 4097 });
    expect(ep.dnsServers[0]).toBe('10.0.2.1');
  });
});

describe('services, VIPs and the KVS', () => {
  const svc = `${swarm()}docker network create -d overlay --attachable ov\ndocker service create --name web --network ov --replicas 3 iis\n`;

  it('replicas spread over the nodes; the VIP is the network\'s first address; tasks are containers named NAME.SLOT.ID', () => {
    const r = runOk(svc);
    const s = services(r.world)[0]!;
    expect(s.vips).toEqual([{ networkId: r.world.swarm!.networks[1]!.id, ip: '10.0.2.2' }]);
    expect(s.tasks.map((t) => [t.host, t.ip])).toEqual([['m1', '10.0.2.3'], ['m1', '10.0.2.5'], ['w1', '10.0.2.4']]);
    expect(s.tasks[0]!.container).toMatch(/^web\.1\.[0-9a-z]{25}$/);
    expect(r.last.output).toMatch(/^[0-9a-z]{25}\noverall progress: 3 out of 3 tasks \n1\/3: running {3}\[=+>\] \n/);
  });

  it('each host instantiates the overlay on an external switch; the KVS lists every endpoint with its host\'s provider address', () => {
    const r = runOk(svc);
    for (const h of ['m1', 'w1']) {
      const sw = vswitches(r.world, h).find((s) => s.type === 'External')!;
      expect(sw.vfp).toBe(true);
      expect(networks(r.world, h).some((n) => n.name === 'ov')).toBe(true);
    }
    const kvs = overlayKvs(r.world).filter((p) => p.vni === 4097);
    expect(kvs.map((p) => [p.host, p.providerAddress])).toEqual([['m1', '10.0.0.11'], ['m1', '10.0.0.11'], ['w1', '10.0.0.12']]);
    expect(overlayPeers(r.world, 'w1').map((p) => p.host)).toEqual(['m1', 'm1']);
  });

  it('service discovery: the service name resolves to its VIP, tasks.NAME to the task IPs (ws2019)', () => {
    const r = runOk(`${svc}docker run -d --name probe --network ov img`);
    const ep = endpoints(r.world, 'm1').find((e) => e.container === 'probe')!;
    expect(resolveName(r.world, ep.id, 'web')).toMatchObject({ found: true, ips: ['10.0.2.2'], kind: 'service-vip', server: '10.0.2.1' });
    const t = resolveName(r.world, ep.id, 'tasks.web');
    expect(t.found && [...t.ips].sort()).toEqual(['10.0.2.3', '10.0.2.4', '10.0.2.5']);
  });

  it('on ws2016 there is no VIP load balancing: the service name resolves to the task IPs (DNS round robin)', () => {
    const r = runOk(`${swarm('ws2016')}docker network create -d overlay --attachable ov\ndocker service create --name web --network ov --replicas 2 iis\ndocker run -d --name probe --network ov img`);
    const ep = endpoints(r.world, 'm1').find((e) => e.container === 'probe' && e.role === 'primary')!;
    const res = resolveName(r.world, ep.id, 'web');
    expect(res.found && res.kind).toBe('service-tasks');
  });

  it('published ports: ingress (routing mesh) on every node from 1709; host mode with a warning before', () => {
    const r = runOk(`${swarm()}docker network create -d overlay ov\ndocker service create --name web --network ov --replicas 1 -p 8080:80 iis`);
    for (const h of ['m1', 'w1']) expect(publishedPorts(r.world, h).filter((p) => p.via === 'ingress').map((p) => p.hostPort)).toEqual([8080]);
    const old = runOk(`${swarm('ws2016')}docker network create -d overlay ov\ndocker service create --name web --network ov --replicas 1 -p 8080:80 iis`);
    expect(old.last.warnings[0]).toMatch(/ingress routing mesh is not supported before Windows Server 1709/);
    expect(publishedPorts(old.world, 'm1').map((p) => [p.hostPort, p.via])).toEqual([[8080, 'vfp']]);
  });

  it('docker service ls / rm / scale', () => {
    const base = runOk(svc);
    const scaled = execute(base.world, dockerCmd(['service', 'scale'], ['web=1']));
    expect(scaled).toMatchObject({ ok: true, output: 'web scaled to 1' });
    const r = run('docker service ls', { world: base.world });
    expect(r.last.output).toMatch(/^ID {13}NAME {6}MODE {9}REPLICAS {3}IMAGE {5}PORTS\n[0-9a-z]{12} {3}web {7}replicated {3}1\/1 {8}iis {7}$/);
    const rm = runOk(`${svc}docker service rm web`);
    expect(rm.last.output).toBe('web');
    expect(rm.world.hosts.every((h) => !h.containers.some((c) => c.service))).toBe(true);
  });
});

describe('overlay external access per profile', () => {
  it('ws2019: VFP OutBoundNAT on the overlay endpoint, exceptions = the overlay subnet', () => {
    const r = runOk(`${swarm()}docker network create -d overlay --attachable ov\ndocker run -d --name c --network ov img`);
    const eps = endpoints(r.world, 'm1');
    expect(eps).toHaveLength(1);
    expect(eps[0]!.outboundNat).toEqual({ exceptions: ['10.0.2.0/24'] });
  });

  it('ws2016: a second endpoint on the host\'s nat network carries external traffic (default route)', () => {
    const r = runOk(`${swarm('ws2016')}docker network create -d overlay --attachable ov\ndocker run -d --name c --network ov img`);
    const eps = endpoints(r.world, 'm1');
    expect(eps.map((e) => [e.role, e.driver])).toEqual([['primary', 'overlay'], ['overlay-gateway', 'nat']]);
    const def = eps[0]!.routes.filter((x) => x.destination === '0.0.0.0/0').sort((a, b) => a.metric - b.metric)[0]!;
    expect(def.via).toBe(eps[1]!.id);
    expect(eps[0]!.outboundNat).toBeNull();
  });

  it('ws2016 without KB4015217 cannot create overlay or l2bridge networks', () => {
    const r = run(`host m1 --os ws2016 --no-kb4015217\ndocker swarm init\ndocker network create -d overlay o`);
    expect(r.last.ok).toBe(false);
    expect(r.last.error).toMatch(/KB4015217/);
  });
});

describe('attachable overlays on workers', () => {
  it('a worker can run a container on an attachable overlay it has no task of; it then lists the network', () => {
    const r = runOk(`${swarm()}docker network create -d overlay --attachable ov\nhost w1\ndocker run -d --name c --network ov img\ndocker network ls`);
    expect(endpoints(r.world, 'w1')[0]).toMatchObject({ network: 'ov', ip: '10.0.2.2' });
    expect(r.last.output).toMatch(/ov\s+overlay\s+swarm/);
    expect(run(`${swarm()}docker network create -d overlay priv\nhost w1\ndocker run -d --network priv img`).last.error).toContain('network priv not found');
  });
});
