/**
 * What the pasted outputs say about one host, merged: each block's reader adds facts, and the
 * same object named by several outputs (a network by its Docker name, Docker ID, HNS ID or HNS
 * name; a container by its name or ID) becomes one record. A field keeps the value of the most
 * specific source that gave it (docker inspect over HNS over the one-line listings).
 */
import { parseCidr, formatPrefix, parseMac, formatMac } from '../addr.js';
import type { OsName } from '../model/os.js';

/** How specific a source is: a higher rank wins a field. */
export const RANK = { listing: 1, hnsList: 2, hnsJson: 3, docker: 4 } as const;

export interface NetworkFact {
  name?: string;
  dockerId?: string;
  hnsId?: string;
  hnsName?: string;
  driver?: string;
  subnet?: string;
  gateway?: string;
  vlan?: number;
  vsid?: number;
  vni?: number;
  scope?: string;
  /** `-o` options as Docker shows them (com.docker.network.windowsshim.*, ...). */
  options: Record<string, string>;
  /** The adapter an HNS network is bound to (NetworkAdapterName). */
  adapter?: string;
  /** Seen by Docker (docker network ls / inspect), or only by HNS. */
  docker: boolean;
  /** docker network inspect showed it: its options are the ones the network was created with. */
  inspected?: boolean;
  rank: Record<string, number>;
}

export interface AttachmentFact {
  /** A network reference: Docker name, Docker ID (or its 12-hex prefix), HNS ID or HNS name. */
  network: string;
  ip?: string;
  mac?: string;
}

export interface PortFact {
  protocol: 'tcp' | 'udp';
  hostPort: number;
  containerPort: number;
}

export interface ContainerFact {
  name?: string;
  id?: string;
  image?: string;
  state?: string;
  attachments: AttachmentFact[];
  ports: PortFact[];
  rank: Record<string, number>;
}

export interface NicFact {
  name: string;
  mac?: string;
  /** CIDR. */
  ip?: string;
  gateway?: string;
  description?: string;
  /** A vNIC of the host (`vEthernet (...)`), kept to move an external switch's address to its NIC. */
  virtual: boolean;
  disconnected?: boolean;
}

export interface SwitchFact {
  name: string;
  type?: string;
  /** NetAdapterInterfaceDescription(s). */
  adapterDescriptions: string[];
}

export interface HostFacts {
  hostName: string | null;
  os: { name: OsName; evidence: string } | null;
  nics: NicFact[];
  switches: SwitchFact[];
  networks: NetworkFact[];
  containers: ContainerFact[];
  /** `Get-NetNat` internal prefixes (the gateway form, `172.24.240.1/20`). */
  natPrefixes: string[];
  unmapped: string[];
  /** Containers by name, by ID (full and its 12-hex short form) and by the addresses they hold: each
   *  lookup is one step, so an import stays linear in the number of containers. */
  index: { byName: Map<string, ContainerFact>; byId: Map<string, ContainerFact>; byAddress: Map<string, ContainerFact> };
}

export function emptyFacts(): HostFacts {
  return {
    hostName: null, os: null, nics: [], switches: [], networks: [], containers: [], natPrefixes: [], unmapped: [],
    index: { byName: new Map(), byId: new Map(), byAddress: new Map() },
  };
}

/** Sets a field when the source outranks the one that set it (or nobody did). */
export function put<T extends { rank: Record<string, number> }, K extends keyof T & string>(o: T, key: K, value: T[K] | undefined | null, rank: number): void {
  if (value === undefined || value === null || value === '') return;
  if ((o.rank[key] ?? 0) > rank) return;
  o.rank[key] = rank;
  o[key] = value;
}

const HEX12 = /^[0-9a-f]{12,64}$/i;

/** The network a reference names, or undefined. */
export function findNetwork(f: HostFacts, ref: { name?: string; dockerId?: string; hnsId?: string; hnsName?: string }): NetworkFact | undefined {
  const id = ref.dockerId?.toLowerCase();
  const hns = ref.hnsId?.toUpperCase();
  return f.networks.find((n) =>
    (hns && n.hnsId === hns)
    || (id && n.dockerId && (n.dockerId.startsWith(id) || id.startsWith(n.dockerId)))
    || (ref.name !== undefined && n.name === ref.name)
    || (ref.hnsName !== undefined && (n.hnsName === ref.hnsName || (n.name === ref.hnsName && !n.hnsName))));
}

/** The network a reference names, made when none does. */
export function network(f: HostFacts, ref: { name?: string; dockerId?: string; hnsId?: string; hnsName?: string }): NetworkFact {
  let n = findNetwork(f, ref);
  if (!n) {
    n = { options: {}, docker: false, rank: {} };
    f.networks.push(n);
  }
  if (ref.name && !n.name) n.name = ref.name;
  if (ref.dockerId && (!n.dockerId || ref.dockerId.length > n.dockerId.length)) n.dockerId = ref.dockerId.toLowerCase();
  if (ref.hnsId) n.hnsId = ref.hnsId.toUpperCase();
  if (ref.hnsName && !n.hnsName) n.hnsName = ref.hnsName;
  return n;
}

/** Resolves an attachment's network reference to a network fact. */
export function networkOf(f: HostFacts, ref: string): NetworkFact | undefined {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(ref)) return findNetwork(f, { hnsId: ref });
  return findNetwork(f, { name: ref }) ?? findNetwork(f, { hnsName: ref }) ?? (HEX12.test(ref) ? findNetwork(f, { dockerId: ref }) : undefined);
}

/** The container a name or ID names, made when none does. */
export function container(f: HostFacts, ref: { name?: string; id?: string }): ContainerFact {
  const name = ref.name?.replace(/^\//, '');
  const id = ref.id?.toLowerCase();
  const { byName, byId } = f.index;
  // A short ID (docker ps) and the full one (docker inspect) name the same container; two full IDs
  // that only share their first 12 digits do not.
  const short = id ? byId.get(id.slice(0, 12)) : undefined;
  const byShort = short && id && (short.id!.length === 12 || id.length === 12) ? short : undefined;
  let c = (name ? byName.get(name) : undefined) ?? (id ? byId.get(id) ?? byShort : undefined);
  if (!c) {
    c = { attachments: [], ports: [], rank: {} };
    f.containers.push(c);
  }
  if (name && !c.name) {
    c.name = name;
    byName.set(name, c);
  }
  if (id && (!c.id || id.length > c.id.length)) {
    c.id = id;
    byId.set(id, c);
    if (!byId.has(id.slice(0, 12))) byId.set(id.slice(0, 12), c);
  }
  return c;
}

/** The container holding an address (IP or MAC) on a network, if one does. */
export function holderOf(f: HostFacts, network: string, address: string | undefined): ContainerFact | undefined {
  return address ? f.index.byAddress.get(`${network}|${address}`) : undefined;
}

/** Adds (or completes) a container's attachment to a network; `network` is how the attachment names it. */
export function attach(f: HostFacts, c: ContainerFact, a: AttachmentFact, same: (x: AttachmentFact) => boolean): void {
  let had = c.attachments.find(same);
  if (!had) {
    had = { ...a };
    c.attachments.push(had);
  } else {
    had.ip ??= a.ip;
    had.mac ??= a.mac;
  }
  for (const addr of [had.ip, had.mac]) if (addr) f.index.byAddress.set(`${had.network}|${addr}`, c);
}

/** A MAC in Windows' form (`00-15-5D-0A-12-DA`), or undefined. */
export function mac(s: unknown): string | undefined {
  if (typeof s !== 'string') return undefined;
  const v = parseMac(s.trim());
  return v === undefined ? undefined : formatMac(v);
}

/** An IPv4 prefix in canonical form, or undefined (`0.0.0.0/0` — no subnet — too). */
export function prefix(s: unknown): string | undefined {
  if (typeof s !== 'string') return undefined;
  const p = parseCidr(s.trim());
  if (!p || p.prefix.len === 0) return undefined;
  return formatPrefix(p.prefix);
}

/** Dotted mask → prefix length, or undefined. */
export function maskLen(mask: string | undefined): number | undefined {
  if (!mask) return undefined;
  const parts = mask.split('.').map(Number);
  if (parts.length !== 4 || parts.some((x) => !(x >= 0 && x <= 255))) return undefined;
  const bits = parts.map((x) => x.toString(2).padStart(8, '0')).join('');
  return /^1*0*$/.test(bits) ? bits.indexOf('0') === -1 ? 32 : bits.indexOf('0') : undefined;
}
