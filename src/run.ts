/**
 * `runScript(text, options)`: runs a Packet Path script and returns the `--json` document of SPEC §5.
 */
import type { RunResult } from './result.js';

export interface RunOptions {
  /** Seed for IDs, MACs and the data plane's hashes (default 1). */
  seed?: number;
  /** Record hop-by-hop traces for traffic commands (default true). */
  trace?: boolean;
  /** Other files the script refers to (compose files), by path as written in the script. */
  files?: Record<string, string>;
  /** Collect every frame seen on a simulated wire (for pcap export). */
  capture?: boolean;
  /** Optional (playground): called between batches of a long command (`flood`) so a UI can show progress. */
  onProgress?: (p: import('./result.js').RunProgress) => void;
  /** Optional (playground): checked between batches; when aborted, the long command stops early and
   *  its step reports what was done so far. */
  signal?: AbortSignal;
}
