/**
 * Reference twin of the acl stage (assembly/stages/acl.ts): the obvious algorithm, a linear scan of
 * the rules in decision order for every packet. Semantics are documented in src/table-images/acl-rules.ts; this
 * file re-derives the order on its own (vfp: priority then rule order; firewall: first matching block
 * rule, else first matching allow rule) so that it checks the classifier's compiled ranks.
 */
import * as abi from '../../abi.js';
import { DROP } from '../drops.js';
import { registerStage, type RefCore, refTablesChanged } from './core.js';
import { type AclRule, type AclRuleSet, validateRuleSet, defaultActionFor } from '../../table-images/acl-rules.js';

const DROP_ACL_BLOCKED = DROP.ACL_BLOCKED;
const DROP_ACL_DEFAULT_BLOCK = DROP.ACL_DEFAULT_BLOCK;

interface RefAclSet {
  set: AclRuleSet;
  /** vfp: rule indices by (priority, index). */
  byPriority: number[];
  hits: number[];
  /** Default-action hits: [inbound, outbound]. */
  defaultHits: [number, number];
}

function sets(core: RefCore): Map<number, RefAclSet> {
  let m = core.tables.get('acl') as Map<number, RefAclSet> | undefined;
  if (!m) core.tables.set('acl', (m = new Map()));
  return m;
}

/** Called by unloadAcl for the reference core: no rule set under `id` any more. */
export function refUnloadAcl(core: RefCore, id: number): void {
  refTablesChanged(core);
  sets(core).delete(id);
}

/** Called by loadAcl (src/engine/loaders/acl.ts) for the reference core. */
export function refLoadAcl(core: RefCore, id: number, set: AclRuleSet): void {
  refTablesChanged(core);
  validateRuleSet(set);
  const byPriority = set.rules.map((_, i) => i).sort((a, b) => set.rules[a].priority - set.rules[b].priority || a - b);
  sets(core).set(id, { set, byPriority, hits: new Array(set.rules.length).fill(0), defaultHits: [0, 0] });
}

export function refAclHits(core: RefCore, id: number): { rules: number[]; defaultIn: number; defaultOut: number } | undefined {
  const s = sets(core).get(id);
  return s && { rules: s.hits.slice(), defaultIn: s.defaultHits[0], defaultOut: s.defaultHits[1] };
}

/** Adds hits counted elsewhere (a flood worker's replica) to rule set `id`'s counters. */
export function refAclAddHits(core: RefCore, id: number, rules: readonly number[], defaults: { in: number; out: number }): void {
  const s = sets(core).get(id);
  if (!s) return;
  rules.forEach((h, r) => {
    if (r < s.hits.length) s.hits[r] += h;
  });
  s.defaultHits = [s.defaultHits[0] + defaults.in, s.defaultHits[1] + defaults.out];
}

export function refAclResetHits(core: RefCore, id: number): void {
  const s = sets(core).get(id);
  if (!s) return;
  s.hits.fill(0);
  s.defaultHits = [0, 0];
}

interface Flow {
  local: number;
  remote: number;
  proto: number;
  /** null: the packet has no ports (not TCP/UDP, or a fragment without its L4 header). */
  localPort: number | null;
  remotePort: number | null;
}

function inPrefix(ip: number, p: { base: number; len: number }): boolean {
  return p.len === 0 || ip >>> (32 - p.len) === p.base >>> (32 - p.len);
}

function ruleMatches(r: AclRule, outbound: boolean, f: Flow): boolean {
  if (r.direction !== 'both' && r.direction !== (outbound ? 'out' : 'in')) return false;
  if (r.protocol !== 'any') {
    const list = typeof r.protocol === 'number' ? [r.protocol] : r.protocol;
    if (!list.includes(f.proto)) return false;
  }
  if (r.local.length > 0 && !r.local.some((p) => inPrefix(f.local, p))) return false;
  if (r.remote.length > 0 && !r.remote.some((p) => inPrefix(f.remote, p))) return false;
  if (r.localPorts.length > 0) {
    const port = f.localPort;
    if (port === null || !r.localPorts.some((q) => port >= q.lo && port <= q.hi)) return false;
  }
  if (r.remotePorts.length > 0) {
    const port = f.remotePort;
    if (port === null || !r.remotePorts.some((q) => port >= q.lo && port <= q.hi)) return false;
  }
  return true;
}

/** The deciding rule index, or -1 when none matches. */
function decide(s: RefAclSet, outbound: boolean, f: Flow): number {
  const rules = s.set.rules;
  if (s.set.semantics === 'vfp') {
    for (const i of s.byPriority) if (ruleMatches(rules[i], outbound, f)) return i;
    return -1;
  }
  for (let i = 0; i < rules.length; i++) if (rules[i].action === 'block' && ruleMatches(rules[i], outbound, f)) return i;
  for (let i = 0; i < rules.length; i++) if (rules[i].action === 'allow' && ruleMatches(rules[i], outbound, f)) return i;
  return -1;
}

function stageAcl(core: RefCore, n: number, a0: number, a1: number): number {
  const s = sets(core).get(a0);
  const outbound = a1 !== 0;
  const dv = core.view();
  let inN = 0;
  let pass = 0;
  let drop = 0;
  for (let i = 0; i < n; i++) {
    if (core.next(i) !== abi.NEXT_CONTINUE) continue;
    inN++;
    const d = core.desc(i);
    const l3 = dv.getUint8(d + abi.D_L3);
    if (dv.getUint16(d + abi.D_ETHERTYPE, true) !== 0x0800 || l3 === 0) {
      pass++;
      core.trace(i, abi.STAGE_ACL, abi.A_PASS, -1, abi.FIELD_NONE, 0n, 0n);
      continue;
    }
    const data = dv.getUint32(d + abi.D_DATA, true);
    const src = dv.getUint32(data + l3 + 12, false);
    const dst = dv.getUint32(data + l3 + 16, false);
    const proto = dv.getUint8(d + abi.D_PROTO);
    const l4 = dv.getUint8(d + abi.D_L4);
    const hasPorts = (proto === 6 || proto === 17) && l4 !== 0 && (dv.getUint8(d + abi.D_FLAGS) & abi.F_FRAGMENT) === 0;
    const sport = hasPorts ? dv.getUint16(data + l4, false) : null;
    const dport = hasPorts ? dv.getUint16(data + l4 + 2, false) : null;
    const flow: Flow = outbound
      ? { local: src, remote: dst, proto, localPort: sport, remotePort: dport }
      : { local: dst, remote: src, proto, localPort: dport, remotePort: sport };
    let rule = -1;
    let block = false;
    if (s) {
      rule = decide(s, outbound, flow);
      if (rule >= 0) {
        s.hits[rule]++;
        block = s.set.rules[rule].action === 'block';
      } else {
        s.defaultHits[outbound ? 1 : 0]++;
        block = defaultActionFor(s.set, outbound) === 'block';
      }
    }
    dv.setUint32(d + abi.D_AUX, rule >>> 0, true);
    core.trace(i, abi.STAGE_ACL, block ? abi.A_BLOCK : abi.A_ALLOW, rule, abi.FIELD_NONE, 0n, 0n);
    if (block) {
      core.drop(i, abi.STAGE_ACL, rule < 0 ? DROP_ACL_DEFAULT_BLOCK : DROP_ACL_BLOCKED, rule);
      drop++;
    } else {
      pass++;
    }
  }
  core.count(abi.STAGE_ACL, abi.C_IN, inN);
  core.count(abi.STAGE_ACL, abi.C_PASS, pass);
  core.count(abi.STAGE_ACL, abi.C_DROP, drop);
  return n;
}

registerStage(abi.STAGE_ACL, stageAcl);
