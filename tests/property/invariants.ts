/**
 * Batch invariants every program must keep, whatever the bytes: checked by the property tests.
 */
import * as abi from '../../src/abi.js';
import { readDescriptor, type PacketCore } from '../../src/engine/core.js';

/**
 * Returns a description of the first broken invariant, or undefined:
 * - every packet's disposition is one of NEXT_*, with a drop reason exactly when dropped;
 * - every frame lies inside its own ring slot;
 * - per stage, packets in = passed + dropped + done;
 * - dropped packets = the stages' drops = the drop-reason counters, per reason;
 * - packets consumed (NEXT_LOCAL / NEXT_TX) = the stages' done counts.
 */
export function checkBatch(core: PacketCore, n: number): string | undefined {
  const byReason = new Map<number, number>();
  let done = 0;
  for (let i = 0; i < n; i++) {
    const d = readDescriptor(core, i);
    const slot = core.ringBase + i * abi.SLOT_SIZE;
    if (![abi.NEXT_CONTINUE, abi.NEXT_LOCAL, abi.NEXT_TX, abi.NEXT_DROP].includes(d.next)) return `packet ${i}: disposition ${d.next}`;
    if ((d.next === abi.NEXT_DROP) !== (d.drop !== 0)) return `packet ${i}: disposition ${d.next} with drop reason ${d.drop}`;
    if (d.data < slot || d.data + d.len > slot + abi.SLOT_SIZE) return `packet ${i}: frame [${d.data - slot}, +${d.len}) outside its slot`;
    if (d.next === abi.NEXT_DROP) byReason.set(d.drop, (byReason.get(d.drop) ?? 0) + 1);
    if (d.next === abi.NEXT_LOCAL || d.next === abi.NEXT_TX) done++;
  }
  const c = core.counters();
  let drops = 0;
  let dones = 0;
  for (let s = 1; s < abi.STAGE_COUNT; s++) {
    const [inN, pass, drop, dn] = c.stages[s];
    if (inN !== pass + drop + dn) return `stage ${s}: in ${inN} ≠ pass ${pass} + drop ${drop} + done ${dn}`;
    drops += drop;
    dones += dn;
  }
  const reasonTotal = [...c.drops.values()].reduce((a, b) => a + b, 0);
  if (drops !== reasonTotal) return `stage drops ${drops} ≠ drop-reason counters ${reasonTotal}`;
  for (const [reason, k] of c.drops) {
    if ((byReason.get(reason) ?? 0) !== k) return `drop reason ${reason}: counter ${k}, packets ${byReason.get(reason) ?? 0}`;
  }
  if (dones !== done) return `stage done counts ${dones} ≠ consumed packets ${done}`;
  return undefined;
}
