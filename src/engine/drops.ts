/**
 * Every drop reason of the data plane, from the stage manifest (stages.ts): by code for trace
 * decoding, by name as typed constants (`DROP.ROUTE_NO_NEIGHBOR`) for the code that checks them.
 */
import { STAGES, type DropSpec } from './stages.js';
export type DropReason = DropSpec;

export const DROP_REASONS: readonly DropReason[] = STAGES.flatMap((st): readonly DropReason[] => st.drops);

const byCode = new Map(DROP_REASONS.map((d) => [d.code, d]));

/** The reason for a drop code, or an `UNKNOWN_<code>` placeholder for a code not in the table. */
export function dropReason(code: number): DropReason {
  return byCode.get(code) ?? { code, name: `UNKNOWN_${code}`, text: `unknown drop reason ${code}` };
}

/** Drop codes by name, typed: `DROP.ROUTE_NO_NEIGHBOR` (a name the table lacks does not compile). */
export const DROP = Object.fromEntries(DROP_REASONS.map((d) => [d.name, d.code])) as Readonly<Record<DropName, number>>;

/** The name of every drop reason the manifest declares. */
export type DropName = (typeof STAGES)[number]['drops'][number]['name'];
