/**
 * The knowledge base's shapes: what a rule reads (a `Situation`: the failed line, its step, the
 * packets that did not arrive, the world as it stood before the line) and what it answers (a
 * `Finding`: causes from the symptom back to the root, evidence, candidate fixes).
 */
import type { Command } from '../../script/ast.js';
import type { Hop, PacketTrace, RunResult, Step } from '../../result.js';
import type { Host, World } from '../../model/types.js';
import type { ScriptEdit } from '../fixes.js';

/** A packet that did not arrive, with the hop that ended it. */
export interface Drop {
  /** Typed drop reason (`ROUTE_NO_NEIGHBOR`, `SIM_NO_ARP_REPLY`, ...), or null (a timeout without a drop). */
  reason: string | null;
  text: string | null;
  packet: PacketTrace;
  /** The hop where it ended (the last hop), if any. */
  hop: Hop | null;
}

export interface Situation {
  /** The script's lines (index 0 = line 1). */
  lines: string[];
  /** The symptom's line and its parsed command (undefined: the parser rejected the line). */
  line: number;
  cmd: Command | undefined;
  /** Every parsed command of the script, in order. */
  commands: Command[];
  run: RunResult;
  step: Step;
  /** The world just before the line ran (the model replayed, no packets). */
  world: World;
  /** The host the line ran on (a probe: its source's host), as it stood before the line. */
  host: Host | undefined;
  /** The script's current host at the line: lines a fix inserts there run on it. */
  current: string;
  /** What came back instead of an answer: a TCP reset (nothing listens), or a name that did not resolve. */
  answer: 'refused' | 'unresolved' | null;
  /** Packets of the line's traffic that were dropped or got no answer. */
  drops: Drop[];
}

/** One link of the chain from the symptom back to the root cause. */
export interface Cause {
  /** Knowledge-base entry id (`tip03-dhcp-mac-spoofing`). */
  id: string;
  /** The cause in plain words. */
  text: string;
  /** The script line that made the state, when one did (else the symptom's line). */
  line?: number;
  /** Where the behaviour comes from (docs/behaviour.md section, the seed's tip). */
  source: string;
}

export interface Evidence {
  kind: 'step' | 'hop' | 'state';
  line?: number;
  text: string;
  hop?: Hop;
}

/** A fix the rule proposes, not yet verified. */
export interface Candidate {
  title: string;
  edits: ScriptEdit[];
}

export interface Finding {
  /** From the symptom back to the root cause (the last is the root). */
  causes: Cause[];
  evidence: Evidence[];
  fixes: Candidate[];
}

/** A knowledge-base entry. */
export interface Rule {
  id: string;
  /** What it is keyed on: typed drop reasons, or `error` for a command that failed with no packet. */
  keys: readonly string[];
  /** Where the behaviour comes from. */
  source: string;
  explain(s: Situation): Finding | null;
}
