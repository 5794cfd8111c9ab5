/** What a bench workload gives the runner: a program and a batch, set up on one core. */
import type { PacketCore, ProgramStep } from '../engine/core.js';

export interface Prepared {
  program: ProgramStep[];
  frames: Uint8Array[];
  /** Per-packet in-ports and contexts for writeBatch. */
  inPorts?: number[] | number;
  ctx?: number[] | number;
  /**
   * Bytes of each slot (from the slot start, headroom included) that the program rewrites and that
   * must be restored before every timed batch; 0 when the program changes descriptors only.
   */
  restoreBytes?: number;
  /**
   * Called once after the batch is written and before the snapshot, untimed: fills descriptor fields
   * that an earlier stage would have set (e.g. runs parse once), so the timed program can be one
   * stage alone and every restore brings those fields back.
   */
  prepare?(core: PacketCore): void;
  /** Called before every timed batch, after the restore (e.g. to make every flow new); timed. */
  beforeBatch?(iteration: number): void;
  /** What one unit is: packets (default) or new NAT sessions. */
  unit?: 'packets' | 'sessions';
}

export interface Workload {
  /** Workload name as in the bench table (`nat-established`). */
  name: string;
  /** The data-plane stage it measures (`nat`, or `pipeline`). */
  stage: string;
  params: Record<string, number>;
  setup(core: PacketCore): Prepared | Promise<Prepared>;
}

export interface BenchResult {
  name: string;
  stage: string;
  impl: 'wasm' | 'reference';
  params: Record<string, number>;
  /** Median million units (packets, or sessions for nat-new) per second. */
  mpps: number;
  nsPerPacket: number;
  runs: number;
  /** Mpps of the slowest, median and fastest run. */
  min: number;
  median: number;
  max: number;
  /** ns per packet of the harness alone (restore and beforeBatch, no program), median of as many
   *  runs: `nsPerPacket - harnessNsPerPacket` is the program's own cost. The runner always sets it;
   *  documents written before it existed (old `--compare` baselines, saved figures) lack it. */
  harnessNsPerPacket?: number;
  /** With `--compare OLD.json`: this median over OLD's median for the same workload (> 1 faster). */
  ratio?: number;
  unit: 'packets' | 'sessions';
}
