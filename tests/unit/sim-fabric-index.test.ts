/**
 * The fabric index (src/sim/fabric-index.ts): O(1) lookups of a host's ports, routing domains and the
 * container of a compartment, which a flood's copies use. It must answer what a scan of the fabric's
 * lists answers, and follow the world: after a container is removed or its address changes, the
 * session's fabric (and so its index, and what the stations answer) says so.
 */
import { describe, expect, it } from 'vitest';
import { parseScript } from '../../src/script/parser.js';
import { createWorld, execute, resolveName } from '../../src/model/index.js';
import type { World } from '../../src/model/types.js';
import { SimSession } from '../../src/sim/session.js';
import { byId, fabricIndex } from '../../src/sim/fabric-index.js';
import type { HostFabric } from '../../src/sim/fabric.js';
import { buildFrame } from '../../src/wire/build.js';
import { ipNum } from '../../src/addr.js';
import { loadExample } from '../scenario/examples-support.js';

const factory = async () => (await import('../../src/engine/load-node.js')).loadWasmCore({ slots: 64, traceCapacity: 1024 });

async function session(text: string): Promise<{ world: World; sim: SimSession; run(more: string): Promise<void> }> {
  const world = createWorld({ seed: 1 });
  const sim = new SimSession(world, factory, resolveName);
  const run = async (more: string) => {
    for (const cmd of parseScript(more).commands) expect(execute(world, cmd).ok, cmd.text).toBe(true);
    await sim.sync(world);
  };
  await run(text);
  return { world, sim, run };
}

/** Every lookup the index answers equals the scan it replaces (the first match in list order). */
function expectSameAsScan(fab: HostFabric): void {
  const ix = fabricIndex(fab);
  for (const p of fab.ports) expect(ix.port(p.id)).toBe(fab.ports.find((x) => x.id === p.id));
  for (const d of fab.domains) {
    expect(ix.domain(d.id)).toBe(fab.domains.find((x) => x.id === d.id));
    expect(ix.container(d.id)).toBe(fab.host.containers.find((c) => c.compartmentId === d.id));
  }
  const none = Math.max(0, ...fab.ports.map((p) => p.id), ...fab.domains.map((d) => d.id)) + 1;
  expect(ix.port(none)).toBeUndefined();
  expect(ix.domain(none)).toBeUndefined();
  expect(ix.container(none)).toBeUndefined();
}

/** An ARP request for `ip` (what a flood's copy carries to every compartment). */
const arpFor = (ip: string) => buildFrame({ eth: { src: 0x02aabbccddee, dst: 0xffffffffffff }, arp: { op: 'request', senderIp: ipNum('172.16.5.200'), targetIp: ipNum(ip) }, minLength: 60 });

describe('the fabric index', () => {
  it('answers what a scan of the fabric answers, on every host of a few examples', async () => {
    for (const name of ['01-nat-basics.pp', '32-tip08-stopped-vs-running.pp']) {
      const { world, sim } = await session(loadExample(name).text.replace(/^expect(-fail)? /gm, '# '));
      expect(world.hosts.length).toBeGreaterThan(0);
      for (const h of world.hosts) expectSameAsScan(sim.fabric(h.name));
    }
  });

  it('finds the first element with an id, as a scan does, in each list of its own', () => {
    const a = [{ id: 3, v: 'a' }, { id: 5, v: 'b' }, { id: 3, v: 'c' }];
    expect(byId(a, 3)).toBe(a[0]);
    expect(byId(a, 5)).toBe(a[1]);
    expect(byId(a, 4)).toBeUndefined();
    // A list derived anew (as a reload or a learned neighbour makes) is indexed anew.
    const b = a.map((x) => (x.id === 5 ? { ...x, v: 'd' } : x));
    expect(byId(b, 5)?.v).toBe('d');
    expect(byId(a, 5)?.v).toBe('b');
  });

  it('is built once per fabric', async () => {
    const { sim } = await session('host a --ip 10.0.0.2/24\ndocker run -d --name web img');
    expect(fabricIndex(sim.fabric('a'))).toBe(fabricIndex(sim.fabric('a')));
  });

  it('follows an address change and a container removed (a new fabric, a new index)', async () => {
    const { world, sim, run } = await session(
      ['host a --ip 10.0.0.2/24 --os win10-1703', 'docker network create -d nat --subnet=172.16.5.0/24 --gateway=172.16.5.1 second', 'docker run -d --name web img', 'docker network connect --ip 172.16.5.9 second web'].join('\n'),
    );
    const web = () => world.hosts[0]!.containers.find((c) => c.name === 'web')!;
    const st = { kind: 'compartment' as const, host: 'a', domain: web().compartmentId };
    const ips = () => fabricIndex(sim.fabric('a')).domain(st.domain)?.interfaces.map((i) => i.ip) ?? [];
    const first = sim.fabric('a');
    expect(ips()).toContain(ipNum('172.16.5.9'));
    expect(fabricIndex(first).container(st.domain)?.name).toBe('web');
    expect(sim.stations.addressedTo(st, arpFor('172.16.5.9'))).toBe(true);

    // The address changes: the session derives a new fabric, whose index has the new address.
    await run('docker network disconnect second web\ndocker network connect --ip 172.16.5.10 second web');
    expect(web().compartmentId).toBe(st.domain);
    expect(sim.fabric('a')).not.toBe(first);
    expect(ips()).toContain(ipNum('172.16.5.10'));
    expect(ips()).not.toContain(ipNum('172.16.5.9'));
    expect(sim.stations.addressedTo(st, arpFor('172.16.5.10'))).toBe(true);
    expect(sim.stations.addressedTo(st, arpFor('172.16.5.9'))).toBe(false);
    // The port that interface leaves by is the endpoint with that address.
    const iface = fabricIndex(sim.fabric('a')).domain(st.domain)!.interfaces.find((i) => i.ip === ipNum('172.16.5.10'))!;
    expect(fabricIndex(sim.fabric('a')).port(iface.port)?.endpoint?.ip).toBe('172.16.5.10');
    expectSameAsScan(sim.fabric('a'));

    // The container is removed: its compartment and its container are gone from the index.
    await run('docker rm -f web');
    expect(fabricIndex(sim.fabric('a')).domain(st.domain)).toBeUndefined();
    expect(fabricIndex(sim.fabric('a')).container(st.domain)).toBeUndefined();
    expect(sim.stations.addressedTo(st, arpFor('172.16.5.10'))).toBe(false);
    expect(sim.stations.name(st)).toBe(`compartment ${st.domain}`);
    expectSameAsScan(sim.fabric('a'));
  });
});
