/**
 * The control plane's state: plain data only (no classes, no functions, no Map or Set), so a
 * world can be copied with structuredClone or JSON, and a command's writes can be recorded and
 * undone property by property (transaction.ts).
 * Every object records the script line that created it (`line`), so a drop in the data plane
 * can name the line responsible.
 */
import type { OsName } from './os.js';
import type { Prefix } from '../addr.js';

export type Driver = 'nat' | 'transparent' | 'overlay' | 'l2bridge' | 'l2tunnel' | 'null' | 'ics';

export interface World {
  seed: number;
  rngState: number;
  /** Simulated seconds since the script started; every command takes one second. */
  clock: number;
  hosts: Host[];
  /** Name of the host commands run on; '' until the first command (then `host1` by default). */
  current: string;
  underlay: Underlay;
  clients: Client[];
  swarm: Swarm | null;
}

export interface Underlay {
  /** The LAN every host NIC sits on (derived from the first host NIC unless declared). */
  subnet: string | null;
  /** The router's address on the LAN (the hosts' default gateway). */
  gateway: string | null;
  dhcp: { first: string; last: string; gateway: string | null; line: number; leases: DhcpLease[] } | null;
  /** DNS server handed out by DHCP and used by hosts (the router, as on a home/office LAN). */
  dns: string | null;
}

export interface DhcpLease {
  mac: string;
  ip: string;
  /** Host + container that holds it, for `ipconfig` and the sim. */
  owner: string;
}

export interface Client {
  name: string;
  ip: string;
  /** On the LAN segment, or beyond the router ("the internet"). */
  where: 'lan' | 'internet';
  mac: string;
  line: number;
}

export interface Nic {
  name: string;
  /** `10.0.0.10/24` or null for an adapter without an address (a NIC kept for an external vSwitch). */
  ip: string | null;
  mac: string;
  description: string;
  ifIndex: number;
  line: number;
}

export interface Host {
  name: string;
  os: OsName;
  line: number;
  index: number;
  nics: Nic[];
  gateway: string | null;
  virtualized: boolean;
  macSpoofing: boolean;
  ipv6: boolean;
  /** `reg delete ... DisabledComponents` ran; IPv6 comes back at the next Restart-Computer. */
  ipv6PendingReboot: boolean;
  trunk: boolean;
  fixedCidr: string | null;
  dockerForWindows: boolean;
  kb4015217: boolean;
  /** Second byte of this host's HNS MAC pools (00-15-5D-xx-...). */
  macByte: number;
  engine: Engine | null;
  vswitches: VSwitch[];
  networks: Network[];
  endpoints: Endpoint[];
  containers: Container[];
  winnats: WinNat[];
  /** Host (default compartment) firewall rules beyond the profile's defaults. */
  firewall: FirewallRule[];
  nextCompartment: number;
  nextIfIndex: number;
  /** Counter for the third MAC byte nibble of HNS pools, one per network. */
  nextPool: number;
  /** Docker-allocated host ports for l2bridge/overlay publishing (OS port allocator). */
  nextEphemeralPort: number;
  /** `hns` knows external switches created out of band after its last restart. */
  hnsGeneration: number;
  /** Windows services stopped with Stop-Service (`docker`, `hns`), lower case. */
  stoppedServices: string[];
  /** Host processes listening on ports (the `listen` line). */
  listeners: HostListener[];
  /** Excluded port ranges (`netsh int ipv4 add excludedportrange`); absent = none. */
  excludedPorts?: { protocol: 'tcp' | 'udp'; start: number; end: number; administered: boolean }[];
  /** The dynamic port range (`netsh int ipv4 set dynamicport`); absent = Windows' default 49152 + 16384. */
  dynamicPorts?: Record<'tcp' | 'udp', { start: number; num: number }>;
  /** The text of C:\ProgramData\docker\config\daemon.json (`Set-Content`); absent = no file. */
  daemonJson?: string;
  /** The first character of the byte-order mark `Set-Content -Encoding` wrote before it, as Go's JSON decoder sees it. */
  daemonJsonBom?: string;
  /** What dockerd read from daemon.json when it last started (src/model/daemon-config.ts); absent = defaults. */
  daemonConfig?: DaemonConfig;
}

/** The daemon.json keys that change networking, as dockerd loaded them. */
export interface DaemonConfig {
  /** `"bridge": "none"`: no default nat network; containers on `nat` run without a network. */
  bridgeNone: boolean;
  fixedCidr: string | null;
  dns: string[];
  dnsSearch: string[];
}

export interface HostListener {
  name: string;
  protocol: 'tcp' | 'udp';
  port: number;
  line: number;
}

export interface Engine {
  startedAt: number;
  line: number;
  /** Swarm membership of this node. */
  swarmRole: 'manager' | 'worker' | null;
  nodeId: string | null;
}

export interface HostVnic {
  name: string;
  mac: string;
  /** CIDR on the host vNIC (nat gateway, or the moved host IP for an external switch). */
  ip: string | null;
  ifIndex: number;
}

export interface VSwitch {
  id: string;
  name: string;
  type: 'Internal' | 'External' | 'Private';
  /** Adapters bound (External). Several = Switch Embedded Teaming. */
  nics: string[];
  embeddedTeaming: boolean;
  allowManagementOS: boolean;
  hostVnic: HostVnic | null;
  createdBy: 'hns' | 'user' | 'docker-for-windows' | 'hyper-v';
  /** For a switch made out of band: the hns generation it was created in (HNS learns it on restart). */
  hnsGeneration: number;
  line: number;
}

export interface Subnet {
  prefix: string;
  gateway: string;
}

export interface Network {
  /** Docker network ID (64 hex, or 25 base-36 for swarm-scope). */
  id: string;
  hnsId: string;
  /** Remove-HnsNetwork deleted the HNS side while dockerd kept the network (until dockerd restarts). */
  hnsRemoved?: boolean;
  name: string;
  hnsName: string;
  driver: Driver;
  scope: 'local' | 'swarm';
  subnets: Subnet[];
  /** `--subnet` was given (or swarm-allocated); false = HNS chose (nat) or DHCP (transparent). */
  userSubnet: boolean;
  /** transparent with no subnet: addresses come from the LAN's DHCP server. */
  dhcp: boolean;
  vswitch: string | null;
  interfaces: string[];
  vlan: number | null;
  vsid: number | null;
  vni: number | null;
  options: Record<string, string>;
  labels: Record<string, string>;
  dnsSuffix: string | null;
  dnsServers: string[];
  macPool: { start: string; end: string };
  nextMac: number;
  enableOutboundNat: boolean;
  outboundNatExceptions: string[];
  disableGatewayDns: boolean;
  internal: boolean;
  attachable: boolean;
  ingress: boolean;
  /** Visible in `docker network ls` (false: an HNS network Docker has not adopted). */
  dockerVisible: boolean;
  /** Created by Docker at engine start (nat, none), adopted from HNS, or by a command. */
  origin: 'default' | 'adopted' | 'user' | 'swarm';
  winnat: string | null;
  createdAt: number;
  line: number;
}

export interface PortMapping {
  protocol: 'tcp' | 'udp';
  hostPort: number;
  /** The end of a host port range given for one container port (`-p 8000-8001:80`). */
  hostPortEnd?: number;
  containerPort: number;
  line: number;
  /** Why the Windows driver refuses the binding when it creates the endpoint (libnetwork
   *  drivers/windows ConvertPortBindings), at the container's start. */
  refusal?: string;
}

export interface Route {
  destination: string;
  nextHop: string;
  metric: number;
  interface: string;
}

/** An inclusive port range 0..65535. */
export interface PortRange {
  lo: number;
  hi: number;
}

/**
 * What a firewall rule or an HNS ACL policy matches, parsed once when the command ran
 * (src/model/rule-match.ts). Every list empty = any; ports exist only for TCP and UDP.
 */
export interface RuleMatch {
  /** IANA protocol numbers 0..255; [] = any. */
  protocols: number[];
  /** IPv4 prefixes (base with host bits clear). */
  local: Prefix[];
  remote: Prefix[];
  localPorts: PortRange[];
  remotePorts: PortRange[];
}

export interface AclPolicy {
  id: string;
  action: 'Allow' | 'Block';
  direction: 'In' | 'Out';
  protocol: number;
  localAddresses: string;
  remoteAddresses: string;
  localPorts: string;
  remotePorts: string;
  priority: number;
  ruleType: 'Switch' | 'Host';
  /** The text fields above, typed. */
  match: RuleMatch;
  line: number;
}

export interface Endpoint {
  id: string;
  hnsId: string;
  networkId: string;
  /** Container ID, or '' for a host endpoint. */
  containerId: string;
  ip: string;
  /** Prefix length of the subnet (what the compartment routes with). */
  prefixLen: number;
  /** Prefix length Docker reports (classful for HNS-assigned addresses, see windows.go). */
  dockerPrefixLen: number;
  mac: string;
  gateway: string | null;
  compartmentId: number;
  dnsServers: string[];
  dnsSuffix: string | null;
  dnsSearch: string[];
  vlan: number | null;
  state: 'Created' | 'Attached' | 'Detached';
  portMappings: PortMapping[];
  acls: AclPolicy[];
  outboundNat: { exceptions: string[] } | null;
  aliases: string[];
  /** ws2016 overlay: the extra nat endpoint that carries external traffic. */
  role: 'primary' | 'overlay-gateway';
  /** Address obtained by DHCP / APIPA (transparent without subnet). */
  dhcp: 'lease' | 'apipa' | null;
  encapOverhead: number;
  linkLocal: string;
  ifIndex: number;
  line: number;
}

export interface FirewallRule {
  name: string;
  direction: 'In' | 'Out';
  action: 'Allow' | 'Block';
  /** `TCP`, `UDP`, `ICMPv4`, `Any`, or a number. */
  protocol: string;
  localPorts: string;
  remotePorts: string;
  localAddresses: string;
  remoteAddresses: string;
  enabled: boolean;
  profile: string;
  origin: 'default' | 'publish' | 'user';
  /** The protocol, port and address text above, typed (what the data plane matches). */
  match: RuleMatch;
  line: number;
}

export interface Container {
  id: string;
  name: string;
  image: string;
  command: string;
  state: 'created' | 'running' | 'exited';
  exitCode: number;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  /** Networks in the order they were attached (network IDs), with the endpoint when running/created. */
  attachments: Attachment[];
  publish: PortMapping[];
  expose: string[];
  dns: string[];
  dnsSearch: string[];
  hostname: string;
  compartmentId: number;
  /** Rules added inside the container (`docker exec C netsh advfirewall ...`). */
  firewall: FirewallRule[];
  isolation: 'process' | 'hyperv';
  service: { serviceId: string; slot: number; taskId: string } | null;
  /** `--mac-address` given at run (used for the first network's endpoint). */
  macAddress?: string | null;
  /** `--restart` (docker/cli's default `no`); dockerd applies it when it starts again (src/model/repair.ts). */
  restartPolicy?: RestartPolicy;
  /** Stopped by `docker stop` rather than by dockerd shutting down (moby daemon/kill.go `HasBeenManuallyStopped`). */
  manuallyStopped?: boolean;
  /** What `docker run` was given that only `docker inspect` shows back (absent for service tasks). */
  run?: RunSettings;
  line: number;
}

export interface RestartPolicy {
  name: 'no' | 'always' | 'unless-stopped' | 'on-failure';
  maximumRetryCount: number;
}

/** The parts of a `docker run` command line the container's inspect object echoes (docker/cli opts.go). */
export interface RunSettings {
  /** HostConfig.NetworkMode as the client sent it: `default` when no `--network` was given. */
  networkMode: string;
  /** Config.Cmd: the words after the image (null: the image's default). */
  cmd: string[] | null;
  entrypoint: string | null;
  env: string[];
  labels: Record<string, string>;
  user: string | null;
  workdir: string;
  domainname: string;
  tty: boolean;
  interactive: boolean;
  detach: boolean;
  autoRemove: boolean;
  publishAll: boolean;
  /** HostConfig.PortBindings from `-p` as typed (host IP, host port, container port/proto). */
  portBindings: { key: string; hostIp: string; hostPort: string }[];
  /** `-v` values as typed (HostConfig.Binds; the mounts `inspect` and `ps` show). */
  volumes: string[];
}

export interface Attachment {
  networkId: string;
  endpointId: string;
  /** `--ip` / `--ip` on connect. */
  ip: string | null;
  aliases: string[];
}

export interface StaticMapping {
  id: number;
  protocol: 'TCP' | 'UDP';
  externalIp: string;
  externalPort: number;
  internalIp: string;
  internalPort: number;
  endpointId: string;
  line: number;
}

export interface WinNat {
  name: string;
  /** `Get-NetNat` shows the gateway form, `172.24.240.1/20`. */
  internalPrefix: string;
  networkIds: string[];
  externalIp: string | null;
  staticMappings: StaticMapping[];
  /** Dynamic port pool for SNAT. */
  portPool: { first: number; last: number };
  line: number;
}

export interface Swarm {
  id: string;
  managerHost: string;
  managerAddr: string;
  createdAt: number;
  line: number;
  nodes: SwarmNode[];
  networks: Network[];
  services: Service[];
  nextVni: number;
  nextSubnet: number;
  tokens: { worker: string; manager: string };
}

export interface SwarmNode {
  id: string;
  host: string;
  role: 'manager' | 'worker';
  addr: string;
  /** The node's `ingress-endpoint` address on the ingress network (the routing mesh's source
   *  address), once a service publishes an ingress port on a routing-mesh node. */
  ingressIp?: string;
  /** Its endpoint ID (`docker network inspect ingress` lists it as `ingress-sbox`). */
  ingressEndpointId?: string;
  /** When it joined the swarm (its CreatedAt; the swarm's own for the node that ran init). */
  joinedAt?: number;
  /** `docker node update --label-add` (Spec.Labels). */
  labels?: Record<string, string>;
  /** `docker node update --availability`: drain moves its tasks away, pause takes no new ones. */
  availability?: 'active' | 'pause' | 'drain';
}

export interface Service {
  id: string;
  name: string;
  image: string;
  replicas: number;
  mode: 'replicated' | 'global';
  networks: string[];
  publish: { protocol: 'tcp' | 'udp'; published: number; target: number; mode: 'ingress' | 'host' }[];
  endpointMode: 'vip' | 'dnsrr';
  /** VIP per network ID. */
  vips: Record<string, string>;
  /** Network aliases of its tasks besides its name (a stack service's short name). */
  aliases?: string[];
  /** Service labels (`docker service create --label`, a stack's `com.docker.stack.namespace`). */
  labels?: Record<string, string>;
  /** The swarm object version (`Version.Index`), moved by every update. */
  version?: number;
  updatedAt?: number;
  createdAt: number;
  line: number;
}
