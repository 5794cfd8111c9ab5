/** HNS MAC pools: derived from the host's address, unique across hosts and networks, never a loop. */
import { describe, expect, it } from 'vitest';
import { run } from './model-helpers.js';

describe('HNS MAC pools', () => {
  it('take the host byte from the last octet of the host address (Hyper-V, KB2804678)', () => {
    const { world } = run('host a --ip 10.0.0.10/24\ndocker network ls\nhost b --ip 10.0.0.77/24\ndocker network ls\n');
    expect(world.hosts[0]!.networks.find((n) => n.name === 'nat')!.macPool).toEqual({ start: '00-15-5D-0A-00-00', end: '00-15-5D-0A-0F-FF' });
    expect(world.hosts[1]!.networks.find((n) => n.name === 'nat')!.macPool).toEqual({ start: '00-15-5D-4D-00-00', end: '00-15-5D-4D-0F-FF' });
  });

  it('stay unique when hosts share a last octet and when a host has more than 16 networks', () => {
    const lines = ['host a --ip 10.0.0.10/16', 'docker network ls', 'host b --ip 10.0.1.10/16', 'docker network ls', 'host a'];
    for (let i = 0; i < 20; i++) lines.push(`docker network create -d nat n${i}`);
    lines.push('host b', 'docker run -d --name w img', 'host a', 'docker run -d --name w --network n19 img');
    const { world, outcomes } = run(lines.join('\n'));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const pools = world.hosts.flatMap((h) => h.networks).filter((n) => n.macPool.start).map((n) => n.macPool.start);
    expect(pools).toHaveLength(22);
    expect(new Set(pools).size).toBe(pools.length);
    const macs = world.hosts.flatMap((h) => h.endpoints.map((e) => e.mac));
    expect(new Set(macs).size).toBe(macs.length);
  });

  it('300 hosts: every host gets pools, all container MACs differ', () => {
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) lines.push(`host h${i} --ip 10.0.${i >> 7}.${(i & 127) + 2}/16`, 'docker run -d --name w img');
    const { world, outcomes } = run(lines.join('\n'));
    expect(outcomes.filter((o) => !o.ok).map((o) => o.error)).toEqual([]);
    const macs = world.hosts.flatMap((h) => h.endpoints.map((e) => e.mac));
    expect(macs).toHaveLength(300);
    expect(new Set(macs).size).toBe(300);
  });
});
