/**
 * Reference twin of assembly/stages/uft.ts and assembly/tables/uft.ts (VFP's unified flow table).
 * The specification is the stage's header comment; what the twin keeps exactly is what decides hits:
 * the hash, the bucket and way placement (two buckets a flow: first empty way of the first, then
 * of the second, then a one-step cuckoo move, else the way the hash names in the first), the
 * validity rules (tables generation, NAT session still the flow's, headroom and MTU of an
 * encapsulated flow) and which walked flows leave an entry. A hit is not applied from the entry: the
 * twin runs the layers for every packet, which is what the fast path must be equal to — so the
 * differential test (tests/diff/uft.test.ts) compares the fast path with the slow path itself.
 */
import * as abi from '../../abi.js';
import type { ProgramStep } from '../core.js';
import { RefCore, registerStage, type RefUftNote } from './core.js';
import { refNatSessionHolds } from './nat.js';

export const UFT_WAYS = 8;
const NONE = 0xffffffff;

interface RefUftEntry {
  key: string;
  gen: number;
  epoch: number;
  natSession: number;
  mtu: number;
}

export interface RefUftStats {
  capacity: number;
  lookups: number;
  hits: number;
  inserts: number;
  evictions: number;
  stale: number;
}

interface RefUft {
  stats: RefUftStats;
  program: ProgramStep[];
  natInstance: number;
  natDir: number;
  epoch: number;
  sigs: Uint32Array;
  entries: (RefUftEntry | null)[];
}

function tables(core: RefCore): Map<number, RefUft> {
  let m = core.tables.get('uft') as Map<number, RefUft> | undefined;
  if (!m) core.tables.set('uft', (m = new Map()));
  return m;
}

/** The lookup hash (uftHash in assembly/tables/uft.ts): the signature; bits 3 up pick the bucket. */
export function uftHash(flowHash: number, inPort: number, ctx: number): number {
  let h = (flowHash ^ Math.imul(inPort, 0x9e3779b1) ^ Math.imul(ctx, 0x85ebca6b)) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h ^= h >>> 12;
  return (h | 1) >>> 0;
}

/** uft_configure's twin (the engine validated the program). */
export function refConfigureUft(core: RefCore, id: number, capacity: number, program: ProgramStep[]): void {
  let cap = UFT_WAYS;
  while (cap < capacity) cap *= 2;
  const nat = program.find((s) => s.stage === abi.STAGE_NAT);
  tables(core).set(id, {
    stats: { capacity: cap, lookups: 0, hits: 0, inserts: 0, evictions: 0, stale: 0 },
    program: program.map((s) => ({ ...s })),
    natInstance: nat ? (nat.a0 ?? 0) : NONE,
    natDir: nat ? (nat.a1 ?? 0) : 0,
    epoch: 0,
    sigs: new Uint32Array(cap),
    entries: new Array<RefUftEntry | null>(cap).fill(null),
  });
}

export function refFlushUft(core: RefCore, id: number): void {
  const t = tables(core).get(id);
  if (t) t.epoch++;
}

export function refUftStats(core: RefCore, id: number): RefUftStats | undefined {
  const s = tables(core).get(id)?.stats;
  return s && { ...s };
}

interface Flow {
  key: string;
  src: number;
  dst: number;
  sport: number;
  dport: number;
  proto: number;
}

/** The flow of packet i when it may take the fast path (unfragmented IPv4 TCP/UDP), else null. */
function flowOf(core: RefCore, i: number): Flow | null {
  const dv = core.view();
  const d = core.desc(i);
  const proto = dv.getUint8(d + abi.D_PROTO);
  const l3 = dv.getUint8(d + abi.D_L3);
  const l4 = dv.getUint8(d + abi.D_L4);
  if (dv.getUint16(d + abi.D_ETHERTYPE, true) !== 0x0800 || dv.getUint8(d + abi.D_FLAGS) & abi.F_FRAGMENT) return null;
  if (l3 === 0 || l4 === 0 || (proto !== 6 && proto !== 17)) return null;
  const data = dv.getUint32(d + abi.D_DATA, true);
  const src = dv.getUint32(data + l3 + 12);
  const dst = dv.getUint32(data + l3 + 16);
  const sport = dv.getUint16(data + l4);
  const dport = dv.getUint16(data + l4 + 2);
  const inPort = dv.getUint16(d + abi.D_IN_PORT, true);
  const ctx = dv.getUint32(d + abi.D_CTX, true);
  return { key: `${src}|${dst}|${sport}|${dport}|${proto}|${inPort}|${ctx}`, src, dst, sport, dport, proto };
}

registerStage(abi.STAGE_UFT, (core: RefCore, n: number, a0: number): number => {
  const t = tables(core).get(a0);
  if (!t) throw new Error('uft: table not configured');
  const dv = core.view();
  const bmask = t.sigs.length / UFT_WAYS - 1;
  const flows: (Flow | null)[] = [];
  const hashes: number[] = [];
  const miss: boolean[] = [];
  let inN = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    flows.push(null);
    hashes.push(0);
    miss.push(false);
    if (core.next(i) !== abi.NEXT_CONTINUE) continue;
    inN++;
    const f = flowOf(core, i);
    if (!f) {
      continue;
    }
    t.stats.lookups++;
    const d = core.desc(i);
    const h = uftHash(dv.getUint32(d + abi.D_HASH, true), dv.getUint16(d + abi.D_IN_PORT, true), dv.getUint32(d + abi.D_CTX, true));
    flows[i] = f;
    hashes[i] = h;
    // The flow's first bucket, then (no way there with its signature) its second.
    const b = (h >>> 3) & bmask;
    let cand = wayOf(t, b, h);
    const b2 = bucket2(h, b, bmask);
    if (cand < 0 && b2 !== b) cand = wayOf(t, b2, h);
    const e = cand >= 0 ? t.entries[cand] : null;
    if (!e || e.key !== f.key) {
      miss[i] = true;
      continue;
    }
    if (!alive(core, t, e, i, f)) {
      t.stats.stale++;
      miss[i] = true;
      continue;
    }
    hits++;
  }
  t.stats.hits += hits;
  // Every packet in flight takes the layers: what the fast path must be equal to.
  const notes: RefUftNote[] = [];
  for (let i = 0; i < n; i++) if (miss[i]) notes[i] = {};
  core.uftNotes = notes;
  let m = n;
  try {
    if (inN > 0) m = core.run(n, t.program, core.step);
  } finally {
    core.uftNotes = null;
  }
  for (let i = 0; i < n; i++) if (miss[i]) build(core, t, i, flows[i]!, hashes[i], notes[i]);
  core.count(abi.STAGE_UFT, abi.C_IN, inN);
  core.count(abi.STAGE_UFT, abi.C_PASS, inN);
  return m;
});

/** The second bucket of a flow whose first is b (uftBucket2). */
function bucket2(h: number, b: number, bmask: number): number {
  return ((b ^ ((h >>> 17) | 1)) & bmask) >>> 0;
}

/** Frees a way of the full bucket b by moving its first flow whose other bucket has an empty way;
 *  returns the freed entry index, or -1 (makeRoom in assembly/stages/uft.ts). */
function makeRoom(t: RefUft, b: number, bmask: number): number {
  for (let w = 0; w < UFT_WAYS; w++) {
    const from = b * UFT_WAYS + w;
    const sig = t.sigs[from];
    const first = (sig >>> 3) & bmask;
    const other = first === b ? bucket2(sig, first, bmask) : first;
    if (other === b) continue;
    const to = Array.from({ length: UFT_WAYS }, (_, v) => other * UFT_WAYS + v).find((e) => t.sigs[e] === 0);
    if (to === undefined) continue;
    t.sigs[to] = sig;
    t.entries[to] = t.entries[from];
    return from;
  }
  return -1;
}

/** The first way of bucket b holding signature h, as an entry index, or -1. */
function wayOf(t: RefUft, b: number, h: number): number {
  for (let w = 0; w < UFT_WAYS; w++) if (t.sigs[b * UFT_WAYS + w] === h) return b * UFT_WAYS + w;
  return -1;
}

function alive(core: RefCore, t: RefUft, e: RefUftEntry, i: number, f: Flow): boolean {
  if (e.gen !== core.generation || e.epoch !== t.epoch) return false;
  if (e.natSession !== NONE && !refNatSessionHolds(core, t.natInstance, t.natDir, e.natSession, f.proto, f.src, f.dst, f.sport, f.dport)) {
    return false;
  }
  if (e.mtu > 0) {
    const dv = core.view();
    const d = core.desc(i);
    const headroom = dv.getUint32(d + abi.D_DATA, true) - (core.ringBase + i * abi.SLOT_SIZE);
    if (headroom < 50 || dv.getUint16(d + abi.D_LEN, true) + 36 > e.mtu) return false;
  }
  return true;
}

function build(core: RefCore, t: RefUft, i: number, f: Flow, h: number, note: RefUftNote): void {
  if (note.noCache) return;
  const next = core.next(i);
  if (next === abi.NEXT_DROP ? note.dropStage !== abi.STAGE_ACL : next !== abi.NEXT_CONTINUE) return;
  // The flow's own way in either bucket, else the first empty way of its first bucket, then of its
  // second, else the way the hash names in the first.
  const bmask = t.sigs.length / UFT_WAYS - 1;
  const b = (h >>> 3) & bmask;
  const b2 = bucket2(h, b, bmask);
  const buckets = b2 === b ? [b] : [b, b2];
  const range = (k: number): number[] => Array.from({ length: UFT_WAYS }, (_, w) => k * UFT_WAYS + w);
  let at = buckets.flatMap(range).find((e) => t.sigs[e] === h && t.entries[e]?.key === f.key) ?? -1;
  if (at < 0) at = buckets.flatMap(range).find((e) => t.sigs[e] === 0) ?? -1;
  // Both full: the first flow of either whose other bucket has an empty way moves there.
  for (const k of buckets) if (at < 0) at = makeRoom(t, k, bmask);
  if (at < 0) {
    at = b * UFT_WAYS + (h >>> 29);
    t.stats.evictions++;
  }
  t.sigs[at] = h;
  t.entries[at] = { key: f.key, gen: core.generation, epoch: t.epoch, natSession: note.natSession ?? NONE, mtu: note.tunnelMtu ?? 0 };
  t.stats.inserts++;
}
