/**
 * The knowledge base: every entry, in the order they are asked. Commands that failed without a
 * packet are asked first (their step has no traffic), then the entries keyed by the drop reasons
 * the line's packets met; the first entry that recognises the situation answers. An entry keyed
 * `*` answers for any drop no other entry knows.
 */
import { COMMAND_RULES } from './commands.js';
import { FALLBACK_RULE, PACKET_RULES } from './packets.js';
import type { Finding, Rule, Situation } from './types.js';

export const RULES: readonly Rule[] = [...COMMAND_RULES, ...PACKET_RULES, FALLBACK_RULE];

/** The rules that may answer: keyed on `error` when the line sent no packet, else on its drop reasons. */
function candidatesFor(s: Situation): Rule[] {
  const reasons = new Set(s.drops.map((d) => d.reason).filter((r): r is string => r !== null));
  if (s.answer === 'refused') reasons.add('tcp-reset');
  if (s.answer === 'unresolved') reasons.add('name-unresolved');
  // Packets went out, none was dropped, nothing came back (a flooded frame nobody took).
  if (!s.step.ok && s.step.traces.length && !reasons.size && !s.drops.some((d) => d.packet.verdict === 'dropped')) reasons.add('no-answer');
  const sentPackets = s.step.traces.length > 0;
  return RULES.filter((r) => r.keys.some((k) => (k === 'error' ? !sentPackets || !reasons.size : k === '*' ? reasons.size > 0 : reasons.has(k))));
}

/** The first entry that recognises the situation, with its id. */
export function consult(s: Situation): { rule: Rule; finding: Finding } | null {
  for (const rule of candidatesFor(s)) {
    const finding = rule.explain(s);
    if (finding) return { rule, finding };
  }
  return null;
}

export type { Cause, Evidence, Candidate, Finding, Rule, Situation, Drop } from './types.js';
