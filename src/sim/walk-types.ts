/**
 * The walker's vocabulary: where a frame is (a Location), a frame in flight with its trace (an Item),
 * what a walk yields, and what the world around the walker provides (WalkWorld).
 */
import type { Descriptor, ProgramStep } from '../engine/core.js';
import type { PacketTrace } from '../result.js';
import type { Plane } from './planes.js';
import type { HostFabric } from './fabric.js';
import type { HostPrograms } from './programs.js';
import type { LanPortOwner } from './derive.js';
import type { Station } from './station.js';
import type { PortDesc } from './fabric.js';

/** Where a frame is, waiting to be processed. */
export type Location =
  | { kind: 'route'; host: string; domain: number }
  | { kind: 'vswitch-in'; host: string; port: number }
  | { kind: 'port-out'; host: string; port: number }
  | { kind: 'host-in'; host: string; port: number }
  | { kind: 'lan-in'; port: number }
  | { kind: 'router-in'; fromInternet: boolean }
  | { kind: 'deliver'; station: Station; via: string };

/** A frame handed to a station. */
export interface Delivery {
  station: Station;
  frame: Uint8Array;
  trace: PacketTrace;
}

/** What the world around the walker provides: the planes, their programs, the stations. */
export interface WalkWorld {
  hostPlane(host: string): Plane;
  lanPlane(): Plane;
  fabric(host: string): HostFabric;
  /** The LAN's port for a host NIC (by host and NIC name), the router's and each client's. */
  lan: LanLayout;
  /** The compiled stage programs of a host's places. */
  programs(host: string): HostPrograms;
  /** Who owns an address and what it answers. */
  stations: StationAnswers;
  /** Neighbour cache: learns (and reloads the plane's neighbour table). */
  learnNeighbor(host: string | 'router', domain: number, ip: number, mac: number): void;
  /** Describes the rule / entry a stage hit at a place (a hop's `rule`), and the script line behind it. */
  /** `built`: a fast-path event's ACL rule (-1 none) and NAT session (0xffffffff none). */
  describe(host: string | 'lan', stage: number, entry: number, action: number, a0?: number, pkt?: PacketKey, built?: FastPathBuilt): { text: string; line?: number; builtBy?: string[] } | null;
  /** Records a frame seen on a wire (for pcap and the flow inspector). */
  capture?(at: string, frame: Uint8Array): void;
}

export interface LanLayout {
  routerPort: number;
  internetPort: number;
  routerMac: number;
  routerIp: number;
  routerLen: number;
  hostNicPort(host: string, nic: string): number | undefined;
  /** Who sits behind a LAN port. */
  portOwner(port: number): LanPortOwner | undefined;
  clientPort(name: string): number | undefined;
  portName(port: number): string;
}

/** A station's answer to a frame it received, handed back to the walk. */
export type Answer = (st: Station, f: Uint8Array) => void;

/** A place a packet passed: enough to run the same program over a batch of similar packets. */
export interface RecordedPlace {
  plane: Plane;
  at: string;
  inPort: number;
  program: ProgramStep[];
  ctx: number;
}

export interface WalkResult {
  packets: PacketTrace[];
  deliveries: Delivery[];
}

export interface Item {
  loc: Location;
  frame: Uint8Array;
  /** The descriptor the previous place left (offsets, VLAN, out-port), for programs without parse. */
  desc?: Descriptor | null;
  trace: PacketTrace;
  steps: number;
  /** ARP already tried for this packet at this place (one resolution per packet and place). */
  arpTried?: Set<string>;
}

/** What the walker asks of the stations (stations.ts). */
export interface StationAnswers {
  /** A frame reached a station: the frames it answers with (none for a reply). */
  receive(st: Station, frame: Uint8Array): Uint8Array[];
  /** Why the VM host's switch drops a frame from a virtualized host, or null. */
  outerSwitchDrop(host: string, frame: Uint8Array): string | null;
  /** The station that owns an address behind the router. */
  internet(ip: number): Station;
  /** VFP's ARP responder on an endpoint port: the reply and why VFP knows the answer, or null. */
  arpProxy(host: string, port: PortDesc, frame: Uint8Array): { reply: Uint8Array; why: string } | null;
  /** Whether a frame handed to a station is addressed to it. */
  addressedTo(st: Station, frame: Uint8Array): boolean;
  /** ICMP Time Exceeded from a forwarding station (via: the interface the packet came in on), or null. */
  timeExceeded(st: Station, frame: Uint8Array, via: { ip: number; mac: number }): Uint8Array | null;
  /** Fills in the Ethernet addresses of a frame a station without a routing plane sends (a LAN client). */
  fixL2(st: Station, frame: Uint8Array): Uint8Array;
  /** What the station's stack puts on the wire for a frame: it, or its IPv4 fragments (none: DF forbids). */
  transmit(st: Station, frame: Uint8Array): Uint8Array[];
}

/** The addresses and ports of the packet a stage looked at (a NAT hop names the mapping it used by them). */
export interface PacketKey {
  proto: number;
  src: number;
  dst: number;
  sport: number;
  dport: number;
}

/** What built a UFT entry, as its fast-path trace event names it. */
export interface FastPathBuilt {
  aclRule: number;
  natSession: number;
}
