/**
 * What a packet of a trace means to a person: its verdict in words (an ignored broadcast copy is
 * neutral, a timeout names its cause), whether it is the traffic the command was about (not the ARP
 * and DNS exchanges around it), and which packet a view should open on after a run.
 *
 * SPEC §5 gives a copy a station received and correctly ignored `verdict: "ignored"`; results made
 * before that carry such copies as `timeout` whose last hop is the station's `ignore`. Both read the
 * same here.
 */
import type { Hop, PacketTrace, RunResult, Step } from '../../src/result.js';

export type Shown = 'delivered' | 'dropped' | 'timeout' | 'ignored';

/** The hop at which a station ignored a copy not addressed to it (the older form), else undefined. */
function ignoreHop(p: PacketTrace): Hop | undefined {
  const last = p.hops[p.hops.length - 1];
  return last && last.stage === 'deliver' && /^ignore/.test(last.action) ? last : undefined;
}

/** The packet's verdict as shown, `ignored` for either form of an ignored copy. */
export function shownVerdict(p: PacketTrace): Shown {
  const v = p.verdict as string;
  if (v === 'ignored') return 'ignored';
  if (v === 'timeout' && ignoreHop(p)) return 'ignored';
  return v === 'dropped' || v === 'timeout' ? v : 'delivered';
}

const GLYPHS: Record<Shown, { glyph: string; text: string }> = {
  delivered: { glyph: '✓', text: 'delivered' },
  dropped: { glyph: '✗', text: 'dropped' },
  timeout: { glyph: '◷', text: 'timed out' },
  ignored: { glyph: '○', text: 'ignored' },
};

/** A verdict's glyph and the words that go with it (the glyph alone is never the only signal). */
export function verdictGlyph(v: Shown): { glyph: string; text: string } {
  return GLYPHS[v];
}

/** A packet's glyph and words; a probe whose TTL ran out (tracert, ping -i) is neither ✗ nor a failure. */
export function verdictLabel(p: PacketTrace): { glyph: string; text: string } {
  return expired(p) ? EXPIRED : GLYPHS[shownVerdict(p)];
}

const EXPIRED = { glyph: '↩', text: 'TTL expired' };

/** The style a view gives a packet: its shown verdict, or `expired` (neutral) for a probe sent to expire. */
export function verdictClass(p: PacketTrace): Shown | 'expired' {
  return expired(p) ? 'expired' : shownVerdict(p);
}

/** Why a packet did not arrive, in words: the drop reason, or what the timeout waited for. */
export function verdictCause(p: PacketTrace): string {
  const shown = shownVerdict(p);
  if (shown === 'ignored') return `ignored (${p.dropReason ?? ignoreHop(p)?.rule ?? 'not addressed to this station'})`;
  if (p.dropReason) return p.dropReason;
  if (shown === 'timeout') {
    const last = p.hops[p.hops.length - 1];
    return last?.rule ? `no answer after ${last.at} (${last.rule})` : last ? `no answer after ${last.at} on ${last.host}` : 'no station answered';
  }
  return '';
}

/** A real failure of the packet (dropped or a real timeout), not an ignored copy. */
export function failed(p: PacketTrace): boolean {
  const v = shownVerdict(p);
  return v === 'dropped' || v === 'timeout';
}

/**
 * A packet whose TTL ran out at a routing hop (ROUTE_TTL_EXPIRED): what tracert and `ping -i` send
 * on purpose, answered with ICMP Time Exceeded. Whether its step failed is the step's to say; the
 * transcript counts these apart from failures.
 */
export function expired(p: PacketTrace): boolean {
  return shownVerdict(p) === 'dropped' && p.dropReason === 'TTL expired in transit';
}

/** ARP and the DNS exchange that resolves a name: the traffic around a command, not its subject. */
export function isHelperPacket(p: PacketTrace): boolean {
  return /^ARP\b/.test(p.summary) || /^UDP\b.*[:.]53\b/.test(p.summary) || /\bDNS\b/.test(p.summary);
}

export interface Selection {
  step: number;
  trace: number;
  packet: number;
  hop: number;
}

function packetsOf(step: Step): { trace: number; packet: number; p: PacketTrace }[] {
  const all: { trace: number; packet: number; p: PacketTrace }[] = [];
  step.traces.forEach((t, trace) => t.packets.forEach((p, packet) => all.push({ trace, packet, p })));
  return all;
}

/** The hop that decided a failure: the last hop whose action drops or blocks, else the last hop. */
export function decidingHop(p: PacketTrace): number {
  for (let k = p.hops.length - 1; k >= 0; k--) {
    if (/drop|block|deny|reject|timeout/i.test(p.hops[k].action)) return k;
  }
  return p.hops.length - 1;
}

/** In one step: its first failed packet when the step failed (or was expected to), else its data packet. */
export function packetOfStep(step: Step, expectFail = false): Omit<Selection, 'step'> | null {
  const all = packetsOf(step);
  if (!all.length) return null;
  if (!step.ok || expectFail) {
    const bad = all.find((x) => failed(x.p) && !isHelperPacket(x.p)) ?? all.find((x) => failed(x.p));
    if (bad) return { trace: bad.trace, packet: bad.packet, hop: Math.max(0, decidingHop(bad.p)) };
  }
  const data = all.find((x) => !isHelperPacket(x.p)) ?? all[0];
  return { trace: data.trace, packet: data.packet, hop: 0 };
}

/** The lines of `expect-fail` steps: an expectation that held on a failed step, or failed on a good one. */
export function expectFailLines(r: RunResult): Set<number> {
  const lines = new Set<number>();
  r.expectations.forEach((e) => {
    const s = r.steps.find((x) => x.line === e.line);
    if (s && (e.ok ? !s.ok : s.ok)) lines.add(e.line);
  });
  return lines;
}

/** The packet a view opens on when a person picks step `index` (the same rule as after a run). */
export function selectionOfStep(r: RunResult, index: number): Omit<Selection, 'step'> {
  const s = r.steps[index];
  return (s && packetOfStep(s, expectFailLines(r).has(s.line))) ?? { trace: 0, packet: 0, hop: 0 };
}

/**
 * The packet that matters after a run: the first dropped packet of a failing or `expect-fail` step,
 * otherwise the data packet (ICMP/TCP/UDP payload traffic, not DNS or ARP) of the first traffic step.
 * With no traffic at all, the last step and no packet.
 */
export function initialSelection(r: RunResult): Selection {
  const expectFail = expectFailLines(r);
  const failing = r.steps.findIndex((s) => s.traces.length > 0 && (!s.ok || expectFail.has(s.line)) && packetsOf(s).some((x) => failed(x.p)));
  if (failing >= 0) return { step: failing, ...packetOfStep(r.steps[failing], true)! };
  const traffic = r.steps.findIndex((s) => packetsOf(s).length > 0);
  if (traffic >= 0) return { step: traffic, ...packetOfStep(r.steps[traffic])! };
  return { step: r.steps.length - 1, trace: 0, packet: 0, hop: 0 };
}
