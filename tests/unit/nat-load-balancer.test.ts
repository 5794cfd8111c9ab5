/**
 * The NAT stage as VFP's load balancer (a service VIP, a published ingress port): several backends
 * behind one external port; each new inbound flow goes to backend fmix32(flow hash ^ seed) % count
 * and keeps it; replies go back out as the VIP. Windows spreads a VIP's new connections over its
 * backends (moby v20.10.24 vendor/github.com/docker/libnetwork/service_windows.go programs every
 * enabled backend into one HNS ILB/ELB policy list); the exact distribution VFP uses is not
 * documented, so the choice is a deterministic hash of the 5-tuple and the run's seed. Same
 * assertions on the WebAssembly core and the reference core.
 */
import { describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import type { PacketCore } from '../../src/engine/core.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { RefCore } from '../../src/engine/reference/core.js';
import '../../src/engine/reference/index.js';
import { lbPick } from '../../src/engine/reference/nat.js';
import { loadNat, readNatSessions } from '../../src/engine/loaders/nat.js';
import { flowHash } from '../../src/table-images/flow-hash.js';
import type { NatConfig } from '../../src/table-images/nat.js';
import { ipToInt } from '../../src/wire/ipv4.js';
import { frame, runNat, out, inb, fields, checksumProblems } from './nat-support.js';

const VIP = '10.0.2.2';
const TASKS = ['10.0.2.3', '10.0.2.4', '10.0.2.5'];
const CLIENT = '10.0.2.9';
const SEED = 0x5eed1234;

const lb: NatConfig = {
  externalAddress: VIP,
  internalPrefixes: TASKS.map((t) => `${t}/32`),
  loadBalance: true,
  lbSeed: SEED,
  staticMappings: TASKS.map((t) => ({ protocol: 'tcp' as const, externalPort: 80, internalAddress: t, internalPort: 80 })),
};

const kinds: [string, () => Promise<PacketCore>][] = [
  ['wasm', () => loadWasmCore({ slots: 64 })],
  ['reference', async () => new RefCore({ slots: 64 })],
];

describe.each(kinds)('the VFP load balancer on the %s core', (_kind, make) => {
  it('spreads new connections over every backend by the hash of the 5-tuple and the seed', async () => {
    const core = await make();
    loadNat(core, 2, lb);
    const ports = Array.from({ length: 48 }, (_, k) => 50000 + k);
    const o = runNat(core, ports.map((sport) => frame({ proto: 'tcp', src: CLIENT, dst: VIP, sport, dport: 80, flags: 'S' })), inb(2));
    const chosen = o.frames.map((f) => fields(f).dst);
    ports.forEach((sport, i) => {
      expect(o.next[i]).toBe(abi.NEXT_CONTINUE);
      expect(checksumProblems(o.frames[i])).toEqual([]);
      const h = flowHash(ipToInt(CLIENT), ipToInt(VIP), ((sport << 16) | 80) >>> 0, 6);
      expect(chosen[i]).toBe(TASKS[lbPick(h, SEED, TASKS.length)]);
    });
    for (const t of TASKS) expect(chosen.filter((c) => c === t).length).toBeGreaterThan(5);
    // Another seed spreads the same flows differently.
    const other = await make();
    loadNat(other, 2, { ...lb, lbSeed: 7 });
    const o2 = runNat(other, ports.map((sport) => frame({ proto: 'tcp', src: CLIENT, dst: VIP, sport, dport: 80, flags: 'S' })), inb(2));
    expect(o2.frames.map((f) => fields(f).dst)).not.toEqual(chosen);
  });

  it('keeps a flow on its backend and answers as the VIP', async () => {
    const core = await make();
    loadNat(core, 2, lb);
    const syn = frame({ proto: 'tcp', src: CLIENT, dst: VIP, sport: 50123, dport: 80, flags: 'S' });
    const task = fields(runNat(core, [syn], inb(2)).frames[0]).dst;
    for (let k = 0; k < 3; k++) expect(fields(runNat(core, [frame({ proto: 'tcp', src: CLIENT, dst: VIP, sport: 50123, dport: 80 })], inb(2)).frames[0]).dst).toBe(task);
    const reply = runNat(core, [frame({ proto: 'tcp', src: task, dst: CLIENT, sport: 80, dport: 50123, flags: 'SA' })], out(2));
    expect(fields(reply.frames[0])).toMatchObject({ src: VIP, sport: 80, dst: CLIENT, dport: 50123 });
    expect(readNatSessions(core, 2)).toHaveLength(1);
  });

  it('refuses a port mapped twice when the backends are not consecutive', async () => {
    const core = await make();
    const [a, b] = lb.staticMappings!;
    const c = { ...a, externalPort: 81 };
    expect(() => loadNat(core, 2, { ...lb, staticMappings: [a, c, b] })).toThrow(/mapped twice/);
    expect(() => loadNat(core, 2, { ...lb, loadBalance: false })).toThrow(/mapped twice/);
  });
});
