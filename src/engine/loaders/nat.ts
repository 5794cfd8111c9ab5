/**
 * WinNAT on either core: loading an instance's configuration (stage nat, a0 = instance id), the NAT
 * clock, and the readers behind the UI's WinNAT tables (Get-NetNatSession-like session rows, static
 * and dynamic mappings, free pool ports). Both cores answer the readers identically.
 *
 * A host may run several NAT networks on one WinNAT: load one instance whose internalPrefixes are
 * all the networks' prefixes (that is what WinNAT's InternalIPInterfaceAddressPrefix partitions are),
 * or one instance per network when they must not share ports.
 */
import type { PacketCore, WasmCore } from '../core.js';
import type { RefCore } from '../reference/core.js';
import {
  loadRefNat, flushRefNat, setRefNatClock, refNatClock, refNatConfig, refNatSessions, refNatDynamicMappings,
  refNatSessionCount, refNatPoolFree,
} from '../reference/nat.js';
import {
  type NatConfig, type NormalizedNatConfig, type NatSessionInfo, type NatMappingInfo, NAT_MAX_INSTANCES,
  NAT_SESSION_SIZE, NAT_MAPPING_SIZE, NAT_CONFIGURE_ERRORS, normalizeNatConfig, encodeNatImage, decodeSession,
  decodeMapping, compareMappings,
} from '../../table-images/nat.js';
import { intToIp } from '../../wire/ipv4.js';

interface NatExports {
  nat_configure(id: number, image: number, len: number): number;
  nat_flush(id: number): void;
  nat_set_now(seconds: number): void;
  nat_now(): number;
  nat_sessions(id: number): number;
  nat_capacity(id: number): number;
  nat_session_count(id: number): number;
  nat_mappings(id: number): number;
  nat_mapping_capacity(id: number): number;
  nat_pool_free(id: number, cls: number): number;
}

function wasm(core: PacketCore): NatExports {
  return (core as WasmCore).exports as unknown as NatExports;
}

/** What the wasm side loaded, per core (the readers need the external address and static mappings),
 *  and the image buffer reused by later loads (core memory is never returned). */
const wasmState = new WeakMap<PacketCore, { configs: (NormalizedNatConfig | undefined)[]; image: number; imageSize: number }>();

function checkId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id >= NAT_MAX_INSTANCES) {
    throw new RangeError(`NAT instance id ${id} outside 0..${NAT_MAX_INSTANCES - 1}`);
  }
}

/**
 * Validates `config` (RangeError with the reason) and loads it as NAT instance `id`. The first load,
 * or one with another capacity or external address, starts with an empty session table; a reload
 * keeps the live sessions the new configuration still allows (see natConfigure). Called by the
 * simulation when WinNAT's configuration changes (network created, container published a port).
 */
export function loadNat(core: PacketCore, id: number, config: NatConfig): NormalizedNatConfig {
  checkId(id);
  const cfg = normalizeNatConfig(config);
  if (core.kind === 'reference') {
    loadRefNat(core as RefCore, id, cfg);
    return cfg;
  }
  let st = wasmState.get(core);
  if (!st) {
    st = { configs: [], image: 0, imageSize: 0 };
    wasmState.set(core, st);
  }
  const image = encodeNatImage(cfg);
  if (image.length > st.imageSize) {
    st.imageSize = Math.max(image.length, 1024);
    core.free(st.image);
    st.image = core.alloc(st.imageSize);
  }
  core.bytes().set(image, st.image);
  const rc = wasm(core).nat_configure(id, st.image, image.length);
  // nat_configure may have grown memory: views are refreshed by the next bytes()/view() call.
  if (rc !== 0) throw new RangeError(NAT_CONFIGURE_ERRORS[rc] ?? `nat_configure failed (${rc})`);
  st.configs[id] = cfg;
  return cfg;
}

/** The configuration loaded as instance `id`, or undefined. */
export function natConfig(core: PacketCore, id: number): NormalizedNatConfig | undefined {
  checkId(id);
  if (core.kind === 'reference') return refNatConfig(core as RefCore, id);
  return wasmState.get(core)?.configs[id];
}

/** Empties instance `id`: no sessions, no dynamic mappings, pools as after a fresh load. */
export function flushNat(core: PacketCore, id: number): void {
  checkId(id);
  if (core.kind === 'reference') flushRefNat(core as RefCore, id);
  else wasm(core).nat_flush(id);
}

/** Sets the NAT clock (whole seconds, 0..2^32-1) every instance of the core expires sessions by. */
export function setNatClock(core: PacketCore, seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 0xffffffff) throw new RangeError(`NAT clock ${seconds} is not a u32 of seconds`);
  if (core.kind === 'reference') setRefNatClock(core as RefCore, seconds);
  else wasm(core).nat_set_now(seconds);
}

export function natClock(core: PacketCore): number {
  return core.kind === 'reference' ? refNatClock(core as RefCore) : wasm(core).nat_now() >>> 0;
}

/** Sessions held by the table (index order) — live ones, and expired ones not yet reclaimed, which
 *  `expired` marks (the data plane reclaims lazily). */
export function readNatSessions(core: PacketCore, id: number): (NatSessionInfo & { expired: boolean })[] {
  checkId(id);
  const now = natClock(core);
  let rows: NatSessionInfo[];
  if (core.kind === 'reference') {
    rows = refNatSessions(core as RefCore, id);
  } else {
    const x = wasm(core);
    const base = x.nat_sessions(id) >>> 0;
    const cap = x.nat_capacity(id) >>> 0;
    let left = x.nat_session_count(id) >>> 0;
    const dv = core.view();
    rows = [];
    for (let s = 0; s < cap && left > 0; s++) {
      const row = decodeSession(dv, base + s * NAT_SESSION_SIZE, s);
      if (row) {
        rows.push(row);
        left--;
      }
    }
  }
  return rows.map((r) => ({ ...r, expired: now >= r.expiresAt }));
}

/** Number of sessions the table holds (live and not yet reclaimed). */
export function natSessionCount(core: PacketCore, id: number): number {
  checkId(id);
  return core.kind === 'reference' ? refNatSessionCount(core as RefCore, id) : wasm(core).nat_session_count(id) >>> 0;
}

/** Static mappings (published ports, in load order), then dynamic ones by protocol and external port. */
export function readNatMappings(core: PacketCore, id: number): NatMappingInfo[] {
  const cfg = natConfig(core, id);
  if (!cfg) return [];
  const ext = intToIp(cfg.externalAddress);
  const statics: NatMappingInfo[] = cfg.staticMappings.map((m) => ({
    protocol: m.protocol, internalAddress: intToIp(m.internalAddress), internalPort: m.internalPort,
    externalAddress: ext, externalPort: m.externalPort, published: true,
  }));
  let dynamic: NatMappingInfo[];
  if (core.kind === 'reference') {
    dynamic = refNatDynamicMappings(core as RefCore, id);
  } else {
    const x = wasm(core);
    const base = x.nat_mappings(id) >>> 0;
    const cap = x.nat_mapping_capacity(id) >>> 0;
    const dv = core.view();
    dynamic = [];
    for (let m = 0; m < cap; m++) {
      const row = decodeMapping(dv, base + m * NAT_MAPPING_SIZE, cfg.externalAddress);
      if (row) dynamic.push(row);
    }
    dynamic.sort(compareMappings);
  }
  return [...statics, ...dynamic];
}

/** Free external ports (TCP, UDP) and ICMP identifiers left in instance `id`'s pools. */
export function natPoolFree(core: PacketCore, id: number): { tcp: number; udp: number; icmp: number } {
  checkId(id);
  if (core.kind === 'reference') {
    const [tcp, udp, icmp] = refNatPoolFree(core as RefCore, id);
    return { tcp, udp, icmp };
  }
  const x = wasm(core);
  return { tcp: x.nat_pool_free(id, 0) >>> 0, udp: x.nat_pool_free(id, 1) >>> 0, icmp: x.nat_pool_free(id, 2) >>> 0 };
}
