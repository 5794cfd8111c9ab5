/**
 * Property: VFP's unified flow table changes nothing but the trace. Every example runs twice, with
 * the vSwitch ports' layers behind their UFTs (src/sim/programs.ts) and without; the transcripts,
 * verdicts, drop reasons, frames on every wire, expectations and the world after every step (ACL hit
 * counters, NAT sessions with their timeouts, FDBs) must be equal. The hops differ only where the
 * UFT run took the fast path: a `uft` hop at a port stands for that port's layer hops. VFP's UFT is
 * a cache of the layers' decisions (Firestone et al., "VFP", NSDI 2017 §5): it may not change them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from '../../src/index.js';
import type { Hop, PacketTrace, RunResult } from '../../src/result.js';
import { setSimUft } from '../../src/sim/programs.js';
import { exampleNames, loadExample, normalizeTranscript } from '../scenario/examples-support.js';
import { reach } from '../../src/analysis/reach.js';
import type { ReachResult } from '../../src/analysis/types.js';

async function run(name: string, uft: boolean): Promise<RunResult> {
  const ex = loadExample(name);
  setSimUft(uft);
  try {
    return await runScript(ex.text, { seed: 1, readFile: ex.readFile, capture: true, snapshots: true, floodPool: null });
  } finally {
    setSimUft(true);
  }
}

const place = (h: Hop) => `${h.host}|${h.at}`;

/** A packet's hops without those at the places where the UFT run took the fast path. */
function comparable(p: PacketTrace, fast: Set<string>) {
  return { ...p, hops: p.hops.filter((h) => !fast.has(place(h))).map(({ node: _n, ...h }) => h) };
}

function comparableRun(r: RunResult, fastByPacket: Set<string>[][][]) {
  return {
    ...r,
    steps: r.steps.map((s, i) => ({
      ...s,
      output: normalizeTranscript(s.output),
      traces: s.traces?.map((t, j) => ({ ...t, packets: t.packets.map((p, k) => comparable(p, fastByPacket[i]?.[j]?.[k] ?? new Set())) })),
    })),
  };
}

let fastHops = 0;
let ran = false;

describe('simulation: fast path == slow path', () => {
  for (const name of exampleNames()) {
    it(`${name}: same transcript, verdicts, frames, counters and tables with the UFT as without`, async () => {
      const ex = loadExample(name);
      if (ex.crash) return;
      const fast = await run(name, true);
      const slow = await run(name, false);
      ran = true;
      const fastPlaces = fast.steps.map((s) => (s.traces ?? []).map((t) => t.packets.map((p) => new Set(p.hops.filter((h) => h.stage === 'uft').map(place)))));
      for (const s of fast.steps) for (const t of s.traces ?? []) for (const p of t.packets) for (const h of p.hops) if (h.stage === 'uft') fastHops++;
      // Without the UFT no hop is a fast-path hop.
      expect(slow.steps.some((s) => s.traces?.some((t) => t.packets.some((p) => p.hops.some((h) => h.stage === 'uft'))))).toBe(false);
      expect(comparableRun(fast, fastPlaces)).toEqual(comparableRun(slow, fastPlaces));
    }, 120_000);
  }
  // Reachability probes run on the planes as the script left them and put their memory back after
  // each probe (UFT tables included): the matrix is the same with the UFTs as without.
  for (const name of ['01-nat-basics.pp', '10-l2bridge.pp', '11-l2bridge-outboundnat.pp', '15-firewall-defaults.pp']) {
    it(`${name}: the same reachability matrix with the UFT as without`, async () => {
      const ex = loadExample(name);
      const matrix = async (uft: boolean): Promise<ReachResult> => {
        setSimUft(uft);
        try {
          // The probes' time aside.
          const r = await reach(ex.text, { seed: 1, readFile: ex.readFile });
          return { ...r, stats: { ...r.stats, ms: 0 } };
        } finally {
          setSimUft(true);
        }
      };
      const fast = await matrix(true);
      expect(fast.cells.length).toBeGreaterThan(0);
      expect(fast).toEqual(await matrix(false));
    }, 120_000);
  }
  afterAll(() => {
    // The property is about something: the examples' traffic does take the fast path.
    if (ran) expect(fastHops).toBeGreaterThan(0);
  });
});
