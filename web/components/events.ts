/** The playground's events, typed (the Shoelace convention: one map, `pp-` prefix). */
export interface PpEventMap {
  /** The script or the compose file changed (debounced by the editor). */
  'pp-change': { script: string; compose: string };
  /** The editor's cursor moved to a line of the script. */
  'pp-cursor': { line: number };
  /** Ctrl+Enter in the editor, or the Run button. */
  'pp-run': Record<string, never>;
  /** A transcript step was chosen. */
  'pp-select-step': { index: number };
  /** Show this script line in the editor (a step's line, the line responsible for a drop). */
  'pp-reveal-line': { line: number };
  /** The flow inspector moved to a hop (or -1 for none) of a packet. */
  'pp-hop': { trace: number; packet: number; hop: number };
  /** The topology asks to take the whole window, or to give it back. */
  'pp-maximize': { on: boolean };
  /** The bench panel wants the worker to run. */
  'pp-bench-run': { quick: boolean };
  /** A node of the topology was clicked: its id, kind, host and name (container, vSwitch, NIC). */
  'pp-node-select': { id: string; kind: string; host: string; name: string };
  /** A packet was chosen in the event list. */
  'pp-select-packet': { step: number; trace: number; packet: number };
  /** The topology drew a packet's path for the first time (performance.now()). */
  'pp-path-drawn': { at: number };
  /** "Why?" was asked on a failed line of the run. */
  'pp-why': { line: number };
  /** Apply a verified fix (its index in the answer) to the script. */
  'pp-apply-fix': { index: number };
  /** The Matrix tab asks for a matrix, or to stop it. */
  'pp-reach-run': Record<string, never>;
  'pp-reach-cancel': Record<string, never>;
  /** A matrix cell was opened (its probe goes to the flow inspector). */
  'pp-reach-cell': { from: string; to: string; port: string };
}

declare global {
  interface HTMLElementEventMap {
    'pp-change': CustomEvent<PpEventMap['pp-change']>;
    'pp-cursor': CustomEvent<PpEventMap['pp-cursor']>;
    'pp-run': CustomEvent<PpEventMap['pp-run']>;
    'pp-select-step': CustomEvent<PpEventMap['pp-select-step']>;
    'pp-reveal-line': CustomEvent<PpEventMap['pp-reveal-line']>;
    'pp-hop': CustomEvent<PpEventMap['pp-hop']>;
    'pp-bench-run': CustomEvent<PpEventMap['pp-bench-run']>;
    'pp-maximize': CustomEvent<PpEventMap['pp-maximize']>;
    'pp-path-drawn': CustomEvent<PpEventMap['pp-path-drawn']>;
    'pp-select-packet': CustomEvent<PpEventMap['pp-select-packet']>;
    'pp-node-select': CustomEvent<PpEventMap['pp-node-select']>;
    'pp-why': CustomEvent<PpEventMap['pp-why']>;
    'pp-apply-fix': CustomEvent<PpEventMap['pp-apply-fix']>;
    'pp-reach-run': CustomEvent<PpEventMap['pp-reach-run']>;
    'pp-reach-cancel': CustomEvent<PpEventMap['pp-reach-cancel']>;
    'pp-reach-cell': CustomEvent<PpEventMap['pp-reach-cell']>;
  }
}
