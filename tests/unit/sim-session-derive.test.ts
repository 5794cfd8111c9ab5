/**
 * When the session derives a host's tables: only for the hosts a command changed, lazily before
 * traffic reaches them — and never a stale table: after every command of every example, each
 * host's tables as the session holds them equal a fresh derivation from the world.
 */
import { describe, expect, it } from 'vitest';
import { parseScript } from '../../src/script/parser.js';
import { createWorld, execute, resolveName, worldChanges, changeCursor } from '../../src/model/index.js';
import type { Host, World } from '../../src/model/types.js';
import { WorldIndex } from '../../src/model/changes.js';
import { SimSession } from '../../src/sim/session.js';
import { runTraffic } from '../../src/sim/traffic.js';
import { deriveHost, deriveLan } from '../../src/sim/derive.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { exampleNames, loadExample } from '../scenario/examples-support.js';

const factory = () => loadWasmCore({ slots: 64, traceCapacity: 1024 });

/** A plan as comparable data: Maps as entries, the live model objects it points at left out. */
function comparable(plan: unknown): string {
  return JSON.stringify(plan, (k, v) => (k === 'host' || k === 'model' || k === 'endpoint' ? undefined : v instanceof Map ? [...v] : v));
}

/** Runs a script's commands on a world with a session synced after each one. */
async function session(text: string, each?: (world: World, sim: SimSession, line: number) => void): Promise<{ world: World; sim: SimSession }> {
  const world = createWorld({ seed: 1 });
  const sim = new SimSession(world, factory, resolveName);
  for (const cmd of parseScript(text).commands) {
    execute(world, cmd);
    await sim.sync(world);
    each?.(world, sim, cmd.line);
  }
  return { world, sim };
}

describe('the session derives per changed host', () => {
  const two = ['host a --ip 10.0.0.2/24', 'docker run -d --name web img', 'host b --ip 10.0.0.3/24', 'docker run -d --name web img'];

  it('a change on host A re-derives A and not B', async () => {
    const { world, sim } = await session(two.join('\n'));
    for (const h of ['a', 'b']) sim.plan(h);
    const before = sim.derivations;
    const planB = sim.plan('b');
    for (const cmd of parseScript('host a\ndocker run -d --name db img').commands) expect(execute(world, cmd).ok).toBe(true);
    await sim.sync(world);
    const planA = sim.plan('a');
    expect(sim.plan('b')).toBe(planB);
    expect(sim.derivations).toBe(before + 1);
    expect(planA.fabric.domains.some((d) => d.name.includes('(db)'))).toBe(true);
  });

  it('derives nothing until traffic or a view reaches a host, and a host only once until it changes', async () => {
    const { world, sim } = await session(two.join('\n'));
    expect(sim.derivations).toBe(0);
    sim.plan('a');
    sim.plan('a');
    expect(sim.derivations).toBe(1);
    // A command that changes nothing a plane holds (docker ps) re-derives nothing.
    for (const cmd of parseScript('host b\ndocker ps').commands) execute(world, cmd);
    await sim.sync(world);
    sim.plan('a');
    expect(sim.derivations).toBe(1);
  });

  it('a failed command that wrote before failing leaves the tables as they were, and re-derives only its host', async () => {
    const { world, sim } = await session(two.join('\n'));
    const planB = sim.plan('b');
    const planA = sim.plan('a');
    // The name is taken: docker run fails after the engine looked at the host.
    for (const cmd of parseScript('host a\ndocker run -d --name web img').commands) execute(world, cmd);
    await sim.sync(world);
    expect(sim.plan('b')).toBe(planB);
    expect(comparable(sim.plan('a'))).toBe(comparable(planA));
  });

  it('traffic inside one host derives that host alone (the other hosts\' tables are never built)', async () => {
    const { world, sim } = await session([...two, 'docker run -d --name db img'].join('\n'));
    const [ping] = parseScript('docker exec db ping -n 1 web').commands;
    const outcome = execute(world, ping!);
    await sim.sync(world);
    const r = runTraffic(sim, outcome.traffic!);
    expect(r.output).toContain('Received = 1');
    expect(sim.derivations).toBe(1);
  });

  it('a host added later gets a plane and the LAN learns its port', async () => {
    const { world, sim } = await session(two.join('\n'));
    expect(sim.lanPlan().ports.map((p) => p.name)).toEqual(['router', 'a Ethernet', 'b Ethernet']);
    for (const cmd of parseScript('host c --ip 10.0.0.4/24').commands) execute(world, cmd);
    await sim.sync(world);
    expect(sim.hasPlane('c')).toBe(true);
    expect(sim.lanPlan().ports.map((p) => p.name)).toEqual(['router', 'a Ethernet', 'b Ethernet', 'c Ethernet']);
  });
});

describe('the world\'s journal of changes', () => {
  it('names the hosts a command wrote, and the LAN when a host is added', () => {
    const world = createWorld({ seed: 1 });
    const cursor = changeCursor();
    const cmds = parseScript('host a --ip 10.0.0.2/24\nhost b --ip 10.0.0.3/24\ndocker run -d --name web img').commands;
    expect(worldChanges(world, cursor).all).toBe(true);
    execute(world, cmds[0]!);
    execute(world, cmds[1]!);
    let ch = worldChanges(world, cursor);
    expect(ch.all).toBe(false);
    expect(ch.hostList).toBe(true);
    execute(world, cmds[2]!);
    ch = worldChanges(world, cursor);
    expect([...ch.hosts].map((h) => h.name)).toEqual(['b']);
    expect(ch.hostList || ch.lan || ch.swarm || ch.all).toBe(false);
  });
});

describe('no stale table: after every command of every example, the session\'s tables equal a fresh derivation', () => {
  for (const name of exampleNames()) {
    it(name, async () => {
      const ex = loadExample(name);
      const world = createWorld({ seed: 1 });
      const sim = new SimSession(world, factory, resolveName);
      let checked = 0;
      for (const cmd of parseScript(ex.text).commands) {
        execute(world, cmd, ex.readFile);
        await sim.sync(world);
        for (const h of world.hosts) {
          expect(comparable(sim.plan(h.name)), `${h.name} after line ${cmd.line}`).toBe(comparable(deriveHost(world, h)));
          checked++;
        }
        if (world.hosts.length) expect(comparable(sim.lanPlan()), `the LAN after line ${cmd.line}`).toBe(comparable(deriveLan(world)));
      }
      expect(checked).toBeGreaterThan(0);
    });
  }
});

describe('a world-wide index kept by region (WorldIndex) answers as a scan of the world would', () => {
  // Keys every host holds (its containers, endpoint addresses, NIC addresses) and the world's own (clients).
  const keysOf = (h: Host) => [...h.containers.map((c) => `c:${c.name}:${c.state}`), ...h.endpoints.map((e) => `e:${e.ip}`), ...h.nics.map((n) => `n:${n.ip}`)];
  const worldKeys = (w: World) => w.clients.map((c) => `client:${c.ip}`);
  for (const name of exampleNames()) {
    it(name, () => {
      const ex = loadExample(name);
      const world = createWorld({ seed: 1 });
      const index = new WorldIndex<string>(keysOf, worldKeys);
      const everSeen = new Set<string>();
      for (const cmd of parseScript(ex.text).commands) {
        execute(world, cmd, ex.readFile);
        const scan = new Map<string, string[]>();
        for (const h of world.hosts) for (const k of new Set(keysOf(h))) scan.set(k, [...(scan.get(k) ?? []), h.name]);
        for (const k of worldKeys(world)) scan.set(k, [...(scan.get(k) ?? []), 'world']);
        for (const [k, holders] of scan) {
          const got = [...(index.holders(world, k) ?? [])].map((x) => (x === world ? 'world' : (x as Host).name)).sort();
          expect(got, `${k} after line ${cmd.line}`).toEqual(holders.sort());
        }
        // Keys no longer held anywhere (a container removed or restarted) are gone from the index.
        for (const k of everSeen) if (!scan.has(k)) expect(index.holders(world, k), `${k} after line ${cmd.line}`).toBeUndefined();
        for (const k of scan.keys()) everSeen.add(k);
      }
    });
  }
});
