/**
 * Turns the data plane's trace events into the hops of SPEC §5: one hop per stage that looked at the
 * packet at a place, with the header fields it changed, before → after.
 */
import * as abi from '../abi.js';
import type { TraceEvent } from '../engine/trace.js';
import { dropReason } from '../engine/drops.js';
import type { Hop, Stage } from '../result.js';
import { formatIp as ipText, formatMac as macText } from '../addr.js';

import { STAGE_NAMES } from '../engine/stages.js';

export { STAGE_NAMES };

export const ACTION_NAMES: Record<number, string> = {
  [abi.A_PASS]: 'pass',
  [abi.A_ALLOW]: 'allow',
  [abi.A_BLOCK]: 'block',
  [abi.A_TRANSLATE]: 'translate',
  [abi.A_ENCAP]: 'encap',
  [abi.A_DECAP]: 'decap',
  [abi.A_REWRITE]: 'rewrite',
  [abi.A_FORWARD]: 'forward',
  [abi.A_FLOOD]: 'flood',
  [abi.A_LEARN]: 'learn',
  [abi.A_DROP]: 'drop',
  [abi.A_ROUTE]: 'route',
  [abi.A_PUSH]: 'push',
  [abi.A_POP]: 'pop',
  [abi.A_LOCAL]: 'local',
  [abi.A_CREATE]: 'create',
  [abi.A_FAST_PATH]: 'fast-path',
};

/** The field's name in a hop (`tcp.sport` for a TCP packet, `udp.sport` for UDP). */
export function fieldName(field: number, proto: number): string {
  const l4 = proto === 6 ? 'tcp' : proto === 17 ? 'udp' : 'l4';
  switch (field) {
    case abi.FIELD_ETH_SRC: return 'eth.src';
    case abi.FIELD_ETH_DST: return 'eth.dst';
    case abi.FIELD_VLAN_ID: return 'vlan.id';
    case abi.FIELD_IP_SRC: return 'ip.src';
    case abi.FIELD_IP_DST: return 'ip.dst';
    case abi.FIELD_IP_TTL: return 'ip.ttl';
    case abi.FIELD_SPORT: return `${l4}.sport`;
    case abi.FIELD_DPORT: return `${l4}.dport`;
    case abi.FIELD_ICMP_ID: return 'icmp.id';
    case abi.FIELD_VXLAN_VNI: return 'vxlan.vni';
    case abi.FIELD_OUTER_IP_SRC: return 'outer.ip.src';
    case abi.FIELD_OUTER_IP_DST: return 'outer.ip.dst';
    case abi.FIELD_OUTER_SPORT: return 'outer.udp.sport';
    case abi.FIELD_OUT_PORT: return 'out-port';
    case abi.FIELD_LEN: return 'frame.len';
    case abi.FIELD_OUTER_ETH_SRC: return 'outer.eth.src';
    case abi.FIELD_OUTER_ETH_DST: return 'outer.eth.dst';
    case abi.FIELD_ARP_SHA: return 'arp.src.hw_mac';
    case abi.FIELD_ARP_THA: return 'arp.dst.hw_mac';
    default: return `field${field}`;
  }
}

export function fieldValue(field: number, v: bigint, portName?: (p: number) => string): string | number {
  switch (field) {
    case abi.FIELD_ETH_SRC:
    case abi.FIELD_ETH_DST:
    case abi.FIELD_OUTER_ETH_SRC:
    case abi.FIELD_OUTER_ETH_DST:
    case abi.FIELD_ARP_SHA:
    case abi.FIELD_ARP_THA:
      return macText(v);
    case abi.FIELD_IP_SRC:
    case abi.FIELD_IP_DST:
    case abi.FIELD_OUTER_IP_SRC:
    case abi.FIELD_OUTER_IP_DST:
      return ipText(v);
    case abi.FIELD_OUT_PORT:
      if (Number(v) === abi.OUT_PORT_NONE) return '(none)';
      if (Number(v) === abi.OUT_PORT_FLOOD) return '(flood)';
      return portName ? portName(Number(v)) : Number(v);
    default:
      return Number(v);
  }
}

const OUTER_FIELDS = new Set([
  abi.FIELD_VXLAN_VNI, abi.FIELD_OUTER_IP_SRC, abi.FIELD_OUTER_IP_DST, abi.FIELD_OUTER_SPORT,
  abi.FIELD_OUTER_ETH_SRC, abi.FIELD_OUTER_ETH_DST,
]);

export interface HopContext {
  host: string;
  at: string;
  proto: number;
  /** Describes the rule / table entry a stage hit, and the script line that made it (a fast-path
   *  event: also what built the entry, from the event's before (ACL rule) and after (NAT session)). */
  describe?(stage: number, entry: number, action: number, step: number, e: TraceEvent): { text: string; line?: number; builtBy?: string[] } | null;
  portName?(port: number): string;
}

/** A fast-path hop's rule: the flow table entry and what built it. */
export function fastPathRule(entry: number, builtBy: readonly string[]): string {
  return `flow table entry ${entry}${builtBy.length ? `, built by ${builtBy.join('; ')}` : ''}`;
}

/** Folds the events of one packet at one place into hops, in stage order as they happened. */
export function eventsToHops(events: TraceEvent[], ctx: HopContext): Hop[] {
  const hops: Hop[] = [];
  let cur: { stage: number; step: number; hop: Hop; actions: number[] } | null = null;
  for (const e of events) {
    // A fast-path hit's own changes (the NAT translation, a cached drop) are the fast-path hop's.
    const folded = !!cur && cur.stage === abi.STAGE_UFT && e.stage !== abi.STAGE_UFT && e.step === cur.step;
    if (folded && e.field === abi.FIELD_NONE) {
      const hop = cur!.hop;
      if (e.action === abi.A_DROP) hop.action = 'drop';
      else if (hop.fastPath) {
        // A layer's decision the entry repeats (the tunnel it encapsulates to): what built it too.
        const d = ctx.describe?.(e.stage, e.entry, e.action, e.step ?? 0, e);
        if (d && !hop.fastPath.builtBy.includes(d.text)) {
          hop.fastPath.builtBy.push(d.text);
          hop.rule = fastPathRule(hop.fastPath.entry, hop.fastPath.builtBy);
          if (hop.sourceLine === undefined && d.line !== undefined) hop.sourceLine = d.line;
        }
      }
      continue;
    }
    if (!cur || (!folded && cur.stage !== e.stage)) {
      cur = {
        stage: e.stage,
        step: e.step ?? 0,
        actions: [],
        hop: { host: ctx.host, at: ctx.at, stage: STAGE_NAMES[e.stage] ?? 'parse', action: 'pass', rule: null, before: {}, after: {} },
      };
      hops.push(cur.hop);
    }
    if (e.field === abi.FIELD_NONE) {
      cur.actions.push(e.action);
      if (e.action === abi.A_DROP) {
        cur.hop.action = 'drop';
        const reason = dropReason(Number(e.after));
        cur.hop.rule = cur.hop.rule ?? reason.text;
      } else if (cur.hop.action !== 'drop') {
        const created = cur.actions.includes(abi.A_CREATE);
        cur.hop.action = e.action === abi.A_CREATE ? 'translate' : ACTION_NAMES[e.action] ?? `action${e.action}`;
        if (created && cur.hop.action === 'translate') cur.hop.action = 'translate (new session)';
      }
      if (e.entry >= 0 || e.action !== abi.A_DROP) {
        const d = ctx.describe?.(e.stage, e.entry, e.action, e.step ?? 0, e);
        if (d) {
          cur.hop.rule = d.text;
          if (d.line !== undefined) cur.hop.sourceLine = d.line;
        }
        if (e.action === abi.A_FAST_PATH) cur.hop.fastPath = { entry: e.entry, builtBy: d?.builtBy ?? [] };
      }
    } else {
      const name = fieldName(e.field, ctx.proto);
      // Encapsulation adds outer headers (nothing was there before); decapsulation removes them.
      const outer = OUTER_FIELDS.has(e.field);
      // A station's own frame has no Ethernet addresses until its stack routes it.
      const unset = (e.field === abi.FIELD_ETH_DST || e.field === abi.FIELD_ETH_SRC) && e.before === 0n;
      const absentBefore = (outer && (e.stage === abi.STAGE_VXLAN_ENCAP || e.stage === abi.STAGE_UFT)) || unset;
      const absentAfter = outer && e.stage === abi.STAGE_VXLAN_DECAP;
      if (!(name in cur.hop.before)) cur.hop.before[name] = absentBefore ? '∅' : fieldValue(e.field, e.before, ctx.portName);
      cur.hop.after[name] = absentAfter ? '∅' : fieldValue(e.field, e.after, ctx.portName);
    }
  }
  return hops;
}
