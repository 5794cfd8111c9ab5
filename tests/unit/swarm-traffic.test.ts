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
});
