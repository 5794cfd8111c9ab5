/**
 * The typed results of the analyses (`packet-path reach`, `packet-path diff`, and the library's
 * `reach`, `probe`, `diff`): field names are a contract, documented in docs/analysis.md.
 */
import type { Hop, Trace } from '../result.js';
import type { ProbeAnswer } from '../sim/traffic.js';

export type { ProbeAnswer };

/** A cell's verdict: the answer came back, a hop dropped the request or its reply, or nothing came back. */
export type ReachVerdict = 'reachable' | 'blocked' | 'no-answer';

/** `icmp`, `tcp/80`, `udp/53`. */
export type PortText = string;

/** A hop of a probe, with `line`: the script line that made the rule or entry that acted, when one did. */
export interface ReachHop extends Hop {
  line?: number;
}

/** Who sends probes: a container, a host's own stack, a declared client, or the internet. */
export interface ReachSource {
  /** The name the matrix uses: the container's name (`host/name` when two hosts have one of that name),
   *  the host's, the client's, or `internet`. */
  name: string;
  kind: 'container' | 'host' | 'client' | 'internet';
  /** The host a container or host source is on. */
  host?: string;
  /** Its addresses. */
  addresses: string[];
}

/** What probes are sent to: a name (resolved by DNS as the source would) or an address. */
export interface ReachTarget {
  /** The target as a tool takes it: `web`, `172.20.0.2`, `host1`, `localhost`. */
  name: string;
  /** Whose it is: a container's, a host's, a client's, the internet's, or `localhost` (the source's own). */
  kind: 'container' | 'host' | 'client' | 'internet' | 'localhost';
  /** The entity's name (`web`, `host1`, `laptop`, `internet`, `localhost`). */
  of: string;
  /** `name` for a DNS name, `address` for an IP address. */
  by: 'name' | 'address';
}

/** One probe: from a source to a target on a port, and what happened. */
export interface ReachCell {
  from: string;
  to: string;
  /** The address the target resolved to from this source (null when it did not resolve). */
  address: string | null;
  port: PortText;
  result: ReachVerdict;
  /** What came back (see ProbeAnswer). */
  answer: ProbeAnswer;
  /** For `blocked`: the first hop that dropped the request, its reply, or an exchange they needed (ARP, DNS). */
  hop?: ReachHop;
  /** Which packet that hop dropped. */
  direction?: 'request' | 'reply' | 'arp' | 'dns';
  /** The drop reason's text (`blocked`). */
  dropReason?: string;
  /** The script line responsible: the line that made the rule or entry of `hop`, when one did. */
  line?: number;
  /** The cell in words: `echo reply`, `connection refused (RST)`, `dropped at ... by ...`. */
  detail: string;
  /** The probe's packets hop by hop (`probe()`, and `reach()` with `traces: true`). */
  traces?: Trace[];
}

export interface ReachResult {
  version: 1;
  /** The script line the world was taken at (the last line when `--at` was not given). */
  at: number;
  sources: ReachSource[];
  destinations: ReachTarget[];
  ports: PortText[];
  /** Row-major: sources × destinations × ports, skipping pairs that make no sense (`localhost` from a
   *  client or the internet). */
  cells: ReachCell[];
  /** Probes sent and the time they took (ms), for the record. */
  stats: { probes: number; ms: number };
  /** Problems with the request (a `--from` name that matches nothing), in words. */
  warnings: string[];
}

/** `packet-path diff A B`: what changed between two scripts' behaviour. */
export interface DiffResult {
  version: 1;
  /** Cells (same from, to, port) whose result or answer differs, and cells only one side has. */
  cells: CellChange[];
  /** Steps (paired in order by command text) whose output or verdict changed. */
  steps: StepChange[];
  /** Expectations whose verdict changed. */
  expectations: { line: { a?: number; b?: number }; a?: boolean; b?: boolean }[];
}

export interface CellChange {
  from: string;
  to: string;
  port: PortText;
  a: Pick<ReachCell, 'result' | 'answer' | 'address' | 'detail' | 'line'> | null;
  b: Pick<ReachCell, 'result' | 'answer' | 'address' | 'detail' | 'line'> | null;
  /** The first hop where the two probes' paths part (index into the probe's first packet's hops), when both ran. */
  diverges?: Divergence;
}

/** Where two paths part: the hop index, and each side's hop there (null past its end). */
export interface Divergence {
  /** Which packet of the exchange (0 = the request). */
  packet: number;
  hop: number;
  a: ReachHop | null;
  b: ReachHop | null;
}

export interface StepChange {
  command: string;
  a: { line: number; ok: boolean; output: string; error: string | null } | null;
  b: { line: number; ok: boolean; output: string; error: string | null } | null;
  /** What changed: `verdict` (ok flipped), `output`, `added`, `removed`. */
  change: 'verdict' | 'output' | 'added' | 'removed';
  diverges?: Divergence;
}
