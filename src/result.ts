/**
 * The result of running a script: the object `runScript()` returns and `packet-path run --json`
 * prints (SPEC §5). Field names are a contract: tests, docs and users rely on them.
 */

export type Stage =
  | 'parse' | 'vlan' | 'acl' | 'nat' | 'vxlan-encap' | 'vxlan-decap'
  | 'mac-rewrite' | 'switch' | 'route' | 'wire' | 'deliver'
  /** VFP's unified flow table: a packet of a known flow took the port's fast path (action `fast-path`). */
  | 'uft';

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
  /** Optional (playground): the topology node this hop happened at (see `NodeId`). */
  node?: NodeId;
  /** A `uft` hop (a packet of a known flow at a vSwitch port): the flow table entry it used and, in
   *  words, the rules and NAT session its flow's first packet met in the port's layers. */
  fastPath?: { entry: number; builtBy: string[] };
}

/** `ignored`: a copy a station received and correctly ignored (a flooded frame not addressed to it). */
export type Verdict = 'delivered' | 'dropped' | 'timeout' | 'ignored';

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
  /** Set on a line the parser rejected: it ran as a failed step with the tool's error (SPEC §5). */
  rejected?: true;
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
  /** Optional (playground): the world after each step, `snapshots[i]` after `steps[i]` (see WorldSnapshot). */
  snapshots?: WorldSnapshot[];
}

/* ───────────────────────────────────────────────────────────────────────────────────────────────
 * OPTIONAL additions for the playground (web/): the world as it stands after each step, so the
 * topology and table views can show any point of the run. `runScript()` fills them when it can;
 * every field is optional so `--json` consumers that do not care can ignore them. Added by the
 * playground engineer; the simulation fills them (src/sim/, src/model/).
 * ─────────────────────────────────────────────────────────────────────────────────────────────── */

/**
 * Topology node ids, used by `Hop.node` and the snapshot records so the flow inspector can place a
 * hop on the drawing without parsing `Hop.at`. Stable across steps:
 * - `host:<host>`                        the host itself (its default compartment, host stack)
 * - `nic:<host>:<nic name>`              a physical NIC (`nic:host1:Ethernet`)
 * - `vswitch:<host>:<vSwitch name>`      a Hyper-V vSwitch (`vswitch:host1:nat`)
 * - `hostvnic:<host>:<vNIC name>`        a host vNIC (`hostvnic:host1:vEthernet (nat)`)
 * - `winnat:<host>`                      the host's WinNAT
 * - `ep:<host>:<endpoint id>`            a container endpoint (vSwitch port)
 * - `lan`, `router`, `internet`          the underlay segment, its router, beyond the router
 * - `client:<name>`                      an external client
 */
export type NodeId = string;

/** A world snapshot per step: `RunResult.snapshots[i]` is the world after `steps[i]` ran. */
export interface WorldSnapshot {
  /** Index into `steps` this snapshot follows. */
  step: number;
  hosts: HostSnapshot[];
  lan: LanSnapshot;
  clients: ClientSnapshot[];
  /** Swarm membership when a swarm exists. */
  swarm?: { managers: string[]; workers: string[] };
}

export interface LanSnapshot {
  /** Underlay subnet, e.g. `10.0.0.0/24`. */
  subnet: string;
  /** Router address (the hosts' gateway). */
  gateway: string;
  /** DHCP range when `lan dhcp` was declared, e.g. `10.0.0.100-10.0.0.200`. */
  dhcp?: string;
  /** VLAN ids seen tagged on the LAN (from transparent/l2bridge networks with a vlanid). */
  vlans: number[];
}

export interface ClientSnapshot {
  name: string;
  ip: string;
  /** `lan`: on the underlay segment; `internet`: beyond the router. */
  where: 'lan' | 'internet';
  mac?: string;
  sourceLine?: number;
}

export interface HostSnapshot {
  name: string;
  os: string;
  virtualized: boolean;
  macSpoofing: boolean;
  ipv6: boolean;
  /** Physical NICs in trunk mode (carry tagged frames). */
  trunk: boolean;
  /** Docker engine started (first docker command ran). */
  dockerRunning: boolean;
  nics: NicSnapshot[];
  vSwitches: VSwitchSnapshot[];
  networks: NetworkSnapshot[];
  endpoints: EndpointSnapshot[];
  compartments: CompartmentSnapshot[];
  tables: HostTables;
  sourceLine?: number;
}

export interface NicSnapshot {
  name: string;
  mac: string;
  /** CIDR, or null when the NIC is bound to an external vSwitch and has no host IP of its own. */
  ip: string | null;
  /** Name of the external vSwitch bound to this NIC, if any. */
  vSwitch?: string;
}

export interface VSwitchSnapshot {
  name: string;
  type: 'Internal' | 'External' | 'Private';
  /** NICs bound (External); more than one = Switch Embedded Teaming. */
  nics: string[];
  embeddedTeaming: boolean;
  /** VFP extension enabled on this switch (l2bridge/overlay/l2tunnel). */
  vfp: boolean;
  /** Host vNIC on this switch (`vEthernet (nat)`) and its IP (CIDR), if any. */
  hostVnic?: { name: string; ip: string | null; mac: string };
  /** Created out of band (`New-VMSwitch`) and not (yet) visible to Docker. */
  outOfBand?: boolean;
}

export interface NetworkSnapshot {
  /** Docker network id (64 hex). */
  id: string;
  name: string;
  driver: 'nat' | 'transparent' | 'overlay' | 'l2bridge' | 'l2tunnel' | 'null' | 'ics' | string;
  /** Name HNS shows (`windowsshim.networkname`), defaults to the Docker name or id. */
  hnsName: string;
  /** CIDR or null (DHCP / none). */
  subnet: string | null;
  gateway: string | null;
  vSwitch: string | null;
  vlan?: number;
  /** Overlay VNI. */
  vni?: number;
  scope: 'local' | 'swarm';
  /** All `-o` options as given. */
  options: Record<string, string>;
  sourceLine?: number;
}

export interface PortMappingSnapshot {
  protocol: 'tcp' | 'udp';
  hostPort: number;
  containerPort: number;
}

export interface EndpointSnapshot {
  /** HNS endpoint id (GUID). */
  id: string;
  /** Container name (without the leading slash); a container with several endpoints appears once per endpoint. */
  container: string;
  containerId: string;
  network: string;
  ip: string | null;
  mac: string;
  /** Compartment id holding this endpoint. */
  compartment: number;
  state: 'running' | 'stopped';
  vlan?: number;
  ports: PortMappingSnapshot[];
  /** Swarm service this task belongs to, if any. */
  service?: string;
  sourceLine?: number;
}

export interface CompartmentSnapshot {
  id: number;
  description: string;
  /** Container name, or null for the default compartment (host stack). */
  container: string | null;
  interfaces: { name: string; ip: string | null; mac: string }[];
  routes: { prefix: string; nextHop: string; iface: string }[];
  dns: string[];
}

/** The data-plane tables of one host, as loaded after the step. */
export interface HostTables {
  natMappings: NatMappingRow[];
  natSessions: NatSessionRow[];
  fdb: FdbRow[];
  acl: AclRow[];
  vtep: VtepRow[];
}

/** A WinNAT static mapping (a published port): `Get-NetNatStaticMapping`. */
export interface NatMappingRow {
  natName: string;
  protocol: 'TCP' | 'UDP';
  externalIp: string;
  externalPort: number;
  internalIp: string;
  internalPort: number;
  sourceLine?: number;
}

/** A WinNAT (or VFP outbound NAT) session: internal 5-tuple and its translation. */
export interface NatSessionRow {
  protocol: 'TCP' | 'UDP' | 'ICMP';
  /** `ip:port` inside (container side). */
  internal: string;
  /** `ip:port` after translation (host side). */
  external: string;
  /** `ip:port` of the remote peer. */
  remote: string;
  /** `outbound` (SNAT) or `inbound` (via a static mapping). */
  direction: 'outbound' | 'inbound';
  /** Seconds left before the session expires, by the simulated clock. */
  expiresIn: number;
  packets: number;
}

/** One MAC table entry of a vSwitch. */
export interface FdbRow {
  vSwitch: string;
  mac: string;
  /** Port name (container endpoint, host vNIC, or the external port). */
  port: string;
  vlan: number | null;
  /** `static` entries come from HNS endpoints; `learned` from traffic. */
  kind: 'static' | 'learned';
}

/** One ACL rule on a port (HNS ACL policy or firewall rule), with its hit counter. */
export interface AclRow {
  /** Where the rule sits: a container endpoint name, or `host`. */
  port: string;
  id: string;
  direction: 'In' | 'Out';
  action: 'Allow' | 'Block';
  protocol: string;
  localAddresses: string;
  remoteAddresses: string;
  localPorts: string;
  remotePorts: string;
  priority: number;
  ruleType: 'Host' | 'Switch';
  hits: number;
  sourceLine?: number;
}

/** Overlay: where a remote endpoint lives (VXLAN tunnel endpoint table). */
export interface VtepRow {
  network: string;
  vni: number;
  /** Inner (customer) address and MAC of the remote endpoint. */
  ip: string;
  mac: string;
  /** Provider address of the host that holds it (outer destination). */
  providerAddress: string;
  host: string;
}
