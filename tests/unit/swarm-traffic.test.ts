/**
 * Swarm services carrying traffic, end to end through the data planes: a VIP spreads new
 * connections over its tasks, a dnsrr name answers the task addresses in a new order, a host-mode
 * published port of an overlay task answers a LAN client on that node's address.
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/index.js';
import type { RunResult, Step } from '../../src/result.js';

const JOIN = 'docker swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 10.0.0.11:2377';
const SWARM = [
  'host n1 --os ws2019 --ip 10.0.0.11/24',
  'docker swarm init --advertise-addr 10.0.0.11',
  'host n2 --os ws2019 --ip 10.0.0.12/24',
  JOIN,
  'host n1',
  'docker network create -d overlay --attachable ov',
];
const steps = (r: RunResult, prefix: string): Step[] => r.steps.filter((x) => x.command.startsWith(prefix));
const synTargets = (s: Step): string[] =>
  s.traces.flatMap((t) => t.packets).map((p) => /^TCP \S+ > (\S+):80 \[S\]$/.exec(p.summary)?.[1]).filter((x): x is string => !!x);

describe('swarm services carry traffic (ws2019)', () => {
  // moby v20.10.24 vendor/github.com/docker/libnetwork/service_windows.go: addLBBackend puts every
  // enabled backend in the VIP's ILB policy list (builds > 16236); VFP spreads new connections.
  it('a VIP spreads new connections over every task, on both nodes', async () => {
    const curls = Array.from({ length: 12 }, () => 'docker exec cli curl http://web/');
    const r = await runScript([...SWARM, 'docker service create --name web --network ov --replicas 3 microsoft/iis', 'docker run -d --name cli --network ov microsoft/nanoserver', ...curls].join('\n'), { seed: 1 });
    const tasks = r.steps.find((s) => s.command.startsWith('docker service create'))!;
    expect(tasks.ok).toBe(true);
    const reached = new Set<string>();
    for (const s of steps(r, 'docker exec cli curl')) {
      expect(s.ok).toBe(true);
      // The SYN leaves the client for the VIP; the load balancer's hop writes the task's address.
      for (const p of s.traces.flatMap((t) => t.packets))
        for (const h of p.hops)
          if (h.stage === 'nat' && /VFP load balancer/.test(h.rule ?? '') && p.summary.endsWith('[S]') && h.after['ip.dst']) reached.add(String(h.after['ip.dst']));
    }
    expect(reached.size).toBe(3);
  });

  // moby v20.10.24 vendor/github.com/docker/libnetwork/resolver.go: handleIPQuery shuffles the
  // addresses (shuffleAddr) of a name with more than one.
  it('a dnsrr name answers every task address, in a new order', async () => {
    const queries = Array.from({ length: 6 }, () => 'docker exec cli nslookup rr');
    const r = await runScript([...SWARM, 'docker service create --name rr --network ov --replicas 2 --endpoint-mode dnsrr microsoft/iis', 'docker run -d --name cli --network ov microsoft/nanoserver', ...queries, 'docker exec cli curl http://rr/'].join('\n'), { seed: 1 });
    const orders = steps(r, 'docker exec cli nslookup rr').map((s) => /Addresses:\s+(\S+)\s+(\S+)/.exec(s.output)!.slice(1).join(' '));
    expect(new Set(orders.map((o) => o.split(' ').sort().join(' '))).size).toBe(1);
    expect(new Set(orders).size).toBe(2);
    // No VIP: the connection goes straight to a task address.
    const curl = steps(r, 'docker exec cli curl')[0]!;
    expect(curl.ok).toBe(true);
    expect(orders[0]!.split(' ')).toContain(synTargets(curl)[0]);
  });

  // moby v20.10.24 vendor/github.com/docker/libnetwork/drivers/windows/overlay/ov_endpoint_windows.go:
  // port bindings of an overlay endpoint become HNS port mapping policies on builds above 16236.
  it('host-mode publishing answers on the address of each node that runs a task', async () => {
    const r = await runScript([...SWARM, 'docker service create --name hm --network ov --mode global --publish mode=host,target=80,published=8080 microsoft/iis', 'client lan1 --ip 10.0.0.50/24', 'client lan1 curl http://10.0.0.11:8080/', 'client lan1 curl http://10.0.0.12:8080/', 'client lan1 curl http://10.0.0.12:8081/'].join('\n'), { seed: 1 });
    const curls = steps(r, 'client lan1 curl');
    expect(curls.map((s) => s.ok)).toEqual([true, true, false]);
    expect(curls[0]!.output).toContain('IIS Windows Server');
  });

  // moby v20.10.24 vendor/github.com/docker/libnetwork/service_windows.go: on builds above 16236
  // every node programs an ELB policy per ingress port (ExternalPort = published, InternalPort =
  // target, SourceVIP = its ingress-endpoint) over every backend; Microsoft's announcement
  // "Docker's routing mesh available with Windows Server version 1709" (2017-09-26): one port,
  // published on every swarm host, even where no container of the service runs.
  it('the routing mesh: a published port answers through every node, spread over the tasks', async () => {
    const curls = ['10.0.0.11', '10.0.0.12', '10.0.0.13'].flatMap((ip) => Array.from({ length: 4 }, () => `client lan1 curl http://${ip}:8080/`));
    const r = await runScript([
      ...SWARM.slice(0, 4), 'host n3 --os ws2019 --ip 10.0.0.13/24', JOIN, 'host n1',
      'docker service create --name web --replicas 2 -p 8080:80 microsoft/iis',
      'client lan1 --ip 10.0.0.50/24', ...curls,
      'host n2', 'curl http://10.0.0.13:8080/', 'host n3', 'curl http://10.0.0.13:8080/', 'docker network inspect ingress',
    ].join('\n'), { seed: 1 });
    // docker/for-win #14421 (a Windows node's `docker network inspect ingress`): the node's
    // load-balancer sandbox, "ingress-sbox" / "ingress-endpoint", with a 02:42 MAC from its address.
    const inspect = JSON.parse(steps(r, 'docker network inspect ingress')[0]!.output)[0];
    const sbox = inspect.Containers['ingress-sbox'];
    expect(sbox).toMatchObject({ Name: 'ingress-endpoint', IPv6Address: '' });
    const [a, b, c, d] = sbox.IPv4Address.split('/')[0].split('.').map(Number);
    expect(sbox.MacAddress).toBe(['02', '42', ...[a, b, c, d].map((x: number) => x.toString(16).padStart(2, '0'))].join(':'));
    // Two tasks on three nodes: one node runs none and still answers.
    expect(steps(r, 'docker service create')[0]!.ok).toBe(true);
    const lan = steps(r, 'client lan1 curl');
    expect(lan.map((s) => s.ok)).toEqual(curls.map(() => true));
    for (const s of lan) expect(s.output).toContain('IIS Windows Server');
    // The task sees the node's ingress-endpoint as the client, and new connections spread.
    const reached = new Set<string>();
    for (const s of lan)
      for (const p of s.traces.flatMap((t) => t.packets))
        for (const h of p.hops) if (h.stage === 'nat' && p.summary.endsWith('[S]') && h.after['ip.dst']) reached.add(String(h.after['ip.dst']));
    expect(reached.size).toBe(2);
    // From another node's host stack, and from the node itself on its own address.
    expect(steps(r, 'curl http://10.0.0.13:8080/').map((s) => s.ok)).toEqual([true, true]);
  });

  it('before 1709 (ws2016) the published port opens in host mode on the nodes with a task, with a warning', async () => {
    const r = await runScript([
      'host n1 --os ws2016 --ip 10.0.0.11/24', 'docker swarm init --advertise-addr 10.0.0.11',
      'host n2 --os ws2016 --ip 10.0.0.12/24', JOIN, 'host n1',
      'docker service create --name web --replicas 1 -p 8080:80 microsoft/iis',
      'client lan1 --ip 10.0.0.50/24', 'client lan1 curl http://10.0.0.11:8080/', 'client lan1 curl http://10.0.0.12:8080/',
    ].join('\n'), { seed: 1 });
    expect(steps(r, 'docker service create')[0]!.warnings.join('\n')).toMatch(/routing mesh is not supported before Windows Server 1709/);
    expect(steps(r, 'client lan1 curl').map((s) => s.ok)).toEqual([true, false]);
  });
});
