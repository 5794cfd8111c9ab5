/**
 * The result of running a script: the object `runScript()` returns and `packet-path run --json`
 * prints (SPEC §5). Field names are a contract: tests, docs and users rely on them.
 */

export type Stage =
  | 'parse' | 'vlan' | 'acl' | 'nat' | 'vxlan-encap' | 'vxlan-decap'
  | 'mac-rewrite' | 'switch' | 'route' | 'wire' | 'deliver';

export type Severity = 'error' | 'warning' | 'info';

/** A problem found in the script text, with a 1-based line and column. */
export interface Diagnostic {
  line: number;
  column: number;
  length: number;
  severity: Severity;
  message: string;
  /** Machine-readable code, e.g. `unknown-flag`, `unsupported-option`. */
  code?: string;
}

export interface NicInfo {
  name: string;
  /** CIDR, e.g. `10.0.0.10/24`. */
  ip: string;
  /** Windows format, `00-15-5D-00-00-0A`. */
  mac: string;
}

export interface HostInfo {
  name: string;
  os: string;
  nics: NicInfo[];
}

/** One place a packet passed through and what happened to it there. */
export interface Hop {
  host: string;
  /** Where on the host: `vSwitch nat, port web`, `WinNAT`, `Ethernet`, `wire (LAN)`. */
  at: string;
  stage: Stage;
  /** `allow`, `block`, `translate`, `encap`, `decap`, `rewrite`, `forward`, `flood`, `drop`, `deliver`, ... */
  action: string;
  /** The rule or table entry responsible, in words, or null. */
  rule: string | null;
  /** Header fields this hop changed, before and after (`ip.src`, `tcp.sport`, `eth.dst`, `vxlan.vni`, ...). */
  before: Record<string, string | number>;
  after: Record<string, string | number>;
  /** Script line that created the rule / network / mapping responsible, when known. */
  sourceLine?: number;
}

export type Verdict = 'delivered' | 'dropped' | 'timeout';

export interface PacketTrace {
  summary: string;
  verdict: Verdict;
  dropReason: string | null;
  hops: Hop[];
  /** The frame as it was on each wire it crossed, hex, for the flow inspector and pcap. */
  frames?: { at: string; hex: string }[];
}

export interface Trace {
  from: string;
  to: string;
  packets: PacketTrace[];
}

export interface Step {
  /** 1-based script line of the command. */
  line: number;
  host: string;
  command: string;
  ok: boolean;
  output: string;
  error: string | null;
  warnings: string[];
  traces: Trace[];
}

export interface Expectation {
  line: number;
  ok: boolean;
  /** Why it failed, when it did. */
  message?: string;
}

export interface RunResult {
  version: 1;
  hosts: HostInfo[];
  steps: Step[];
  expectations: Expectation[];
  diagnostics: Diagnostic[];
}
