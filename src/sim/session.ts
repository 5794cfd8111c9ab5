/**
 * A simulation session: the data planes of every host and of the LAN, kept in step with the model.
 * One session per script run.
 *
 * sync(world) learns which hosts the commands since the last sync changed (the model's journal of
 * changes); a changed host's plane contents are derived (derive.ts), its stage programs compiled
 * (programs.ts) and what changed loaded (load.ts: each table is compared with what the plane last
 * loaded, so learned FDB entries and NAT sessions survive commands that do not touch them) when
 * traffic first reaches the host, so a command costs what it changed, not the world. Neighbours learned by ARP are
 * the one table the session itself owns: learning one reloads that routing domain's neighbours only.
 */
import { SpaceCore, WasmCore, type EngineState, type PacketCore } from '../engine/core.js';
import type { Host, World } from '../model/types.js';
import { changeCursor, worldChanges } from '../model/changes.js';
import { findHost } from '../model/hosts.js';
import { setNatClock } from '../engine/loaders/nat.js';
import { CorePlane, type Plane } from './planes.js';
import type { HostFabric } from './fabric.js';
import { fabricIndex } from './fabric-index.js';
import { deriveHost, deriveLan, type HostPlan, type LanPlan, type PlaneContents } from './derive.js';
import { compilePrograms, type HostPrograms } from './programs.js';
import { describeEntry, loadPlaneContents, loadDomainNeighbors } from './load.js';
import { Stations, type NameResolver } from './stations.js';
import { Walker, type LanLayout, type WalkWorld } from './walker.js';
import type { FastPathBuilt, PacketKey } from './walk-types.js';

export interface CoreFactory {
  (): Promise<PacketCore>;
}

/**
 * Planes share WebAssembly instances: an instance serves hosts (and the LAN) as table spaces
 * (assembly/spaces.ts) until its memory passes this size at a sync, then the hosts whose tables are
 * first loaded after it start a new one (a pool; wasm32 memory ends at 4 GiB, and one table may not
 * exceed 1 GiB). A host takes its space when its tables are first loaded, so a host no traffic
 * reaches costs no data plane.
 */
const INSTANCE_BYTES = 1 << 30;

/** One data plane and what it holds: derived contents as last loaded, and the neighbours it learned. */
export interface PlaneState {
  /** Taken when the place's tables are first loaded (planeOf). */
  plane: Plane | null;
  loaded: PlaneContents | null;
  /** Routing domain → IP → MAC, learned from ARP. */
  learned: Map<number, Map<number, number>>;
  /** The simulated clock the plane's NAT tables were last told. */
  clock: number;
}

/** What a host's derived tables read of the world outside the host itself (derive.ts). */
function readsOtherHosts(world: World, plan: HostPlan): boolean {
  return !!plan.contents.vxlan || plan.vips.length > 0 || (!!world.swarm && plan.host.endpoints.length > 0);
}

/** What the LAN's tables read of a host: its name, NICs and trunk mode. */
function lanView(h: Host): string {
  return JSON.stringify([h.name, h.trunk, h.nics]);
}

export class SimSession implements WalkWorld {
  private readonly states = new Map<string, PlaneState>();
  /** The instance new planes join as table spaces, and the next space id in it. */
  private pool: { core: WasmCore; next: number } | null = null;
  /** Whether the factory's cores have table spaces; if not, the core made to find out, kept for a place. */
  private spaces = true;
  private spare: PacketCore | null = null;
  private lanState: PlaneState | null = null;
  private plans = new Map<string, HostPlan>();
  private compiled = new Map<string, HostPrograms>();
  private lanPlanValue: LanPlan | null = null;
  private lanLayoutValue: LanLayout | null = null;
  /** Hosts whose tables must be derived again before a packet reaches them (derived lazily). */
  private readonly stale = new Set<string>();
  private lanStale = true;
  /** Where this session is in the world's journal of changes. */
  private cursor = changeCursor();
  /** Hosts whose tables read other hosts (overlay tunnels, service VIPs, swarm networks). */
  private readonly readers = new Set<string>();
  private readonly lanViews = new Map<string, string>();
  /** Hosts derived (count), for tests and the scale figures. */
  derivations = 0;
  readonly stations: Stations;
  readonly walker: Walker;
  /** Frames seen on simulated wires, in order, for pcap export. */
  readonly captured: { at: string; frame: Uint8Array }[] = [];
  capturing = false;
  /** The planes traffic reached since saveDynamic or the last restoreDynamic (null: not noted). */
  private touched: Set<PlaneState> | null = null;

  constructor(
    public world: World,
    private readonly createCore: CoreFactory,
    resolver: NameResolver,
  ) {
    this.stations = new Stations(this, resolver);
    this.walker = new Walker(this);
  }

  /**
   * Brings the session up to the world before traffic: finds what changed since the last sync (the
   * model's journal of changes) and marks those hosts' tables stale; each stale host is derived,
   * compiled and loaded when traffic (or a snapshot) first reaches it. A change on one host costs
   * that host, not the world.
   */
  async sync(world: World): Promise<void> {
    if (world !== this.world) this.cursor = changeCursor();
    this.world = world;
    const ch = worldChanges(world, this.cursor);
    if (ch.all || ch.hostList) {
      for (const name of [...this.plans.keys()]) if (!findHost(world, name)) this.forget(name);
      for (const h of world.hosts) {
        if (ch.all || !this.plans.has(h.name)) this.stale.add(h.name);
        if (!this.states.has(h.name)) this.states.set(h.name, { plane: null, loaded: null, learned: new Map(), clock: -1 });
      }
      this.lanStale = true;
    }
    if (ch.lan) this.lanStale = true;
    for (const h of ch.hosts) {
      this.stale.add(h.name);
      if (this.lanViews.get(h.name) !== lanView(h)) this.lanStale = true;
    }
    // Overlay tunnels and service VIPs are tables of one host built from others: any change to a
    // host or the swarm re-derives the hosts that read them.
    if (ch.all || ch.hostList || ch.swarm || ch.hosts.size) for (const name of this.readers) this.stale.add(name);
    this.lanState ??= { plane: null, loaded: null, learned: new Map(), clock: -1 };
    await this.prepareCores();
  }

  private forget(name: string): void {
    this.plans.delete(name);
    this.compiled.delete(name);
    this.readers.delete(name);
    this.stale.delete(name);
  }

  /** A host's plane with its tables derived from the world as it is now (derived only when stale). */
  private ensure(name: string): PlaneState {
    const st = this.states.get(name);
    if (!st) throw new Error(`no data plane for host ${name}`);
    if (this.stale.has(name)) {
      const h = findHost(this.world, name);
      if (!h) throw new Error(`no plan for host ${name}`);
      const plan = deriveHost(this.world, h);
      const programs = compilePrograms(this.world, plan);
      this.derivations++;
      this.plans.set(name, plan);
      this.compiled.set(name, programs);
      if (readsOtherHosts(this.world, plan)) this.readers.add(name);
      else this.readers.delete(name);
      this.apply(st, plan.contents, programs);
      this.stale.delete(name);
    }
    // WinNAT's session timeouts follow the script's simulated clock (one second per command).
    if (st.clock !== this.world.clock && st.loaded?.nat.length) {
      setNatClock(this.planeOf(st).core, this.world.clock);
      st.clock = this.world.clock;
    }
    return st;
  }

  /** The LAN and its router, derived again when a host's NICs, the clients or the underlay changed. */
  private ensureLan(): PlaneState {
    const st = this.lanState;
    if (!st) throw new Error('the LAN has no data plane before sync');
    if (this.lanStale) {
      const lan = deriveLan(this.world);
      this.lanViews.clear();
      for (const h of this.world.hosts) this.lanViews.set(h.name, lanView(h));
      this.lanPlanValue = lan;
      this.lanLayoutValue = lanLayout(lan);
      this.apply(st, lan.contents, { guards: [], ufts: [] });
      this.lanStale = false;
    }
    return st;
  }

  get lan(): LanLayout {
    this.ensureLan();
    return this.lanLayoutValue!;
  }

  /**
   * Makes sure every place can have a data plane before traffic: a pooled instance with room (a new
   * one once the current passes INSTANCE_BYTES), or, for cores without table spaces (the reference
   * core), a core of its own for each place that has none.
   */
  private async prepareCores(): Promise<void> {
    if (this.spaces && (!this.pool || this.pool.core.exports.memory.buffer.byteLength >= INSTANCE_BYTES)) {
      const core = await this.createCore();
      if (core instanceof WasmCore && typeof core.exports.space_select === 'function') this.pool = { core, next: 0 };
      else {
        this.spaces = false;
        this.spare = core;
      }
    }
    if (this.spaces) return;
    for (const st of [...this.states.values(), this.lanState!]) {
      if (st.plane) continue;
      st.plane = new CorePlane(this.spare ?? (await this.createCore()));
      this.spare = null;
    }
  }

  /** A place's data plane, taken when its tables are first loaded: a table space of the pooled instance. */
  private planeOf(st: PlaneState): Plane {
    if (!st.plane) {
      if (!this.pool) throw new Error('no data plane before sync');
      st.plane = new CorePlane(new SpaceCore(this.pool.core, this.pool.next++));
    }
    return st.plane;
  }

  /** Loads derived contents merged with the learned neighbours; only tables that changed are written. */
  private apply(st: PlaneState, derived: PlaneContents, { guards, ufts }: Pick<HostPrograms, 'guards' | 'ufts'>): void {
    // Neighbours learned in a compartment that is gone are forgotten with it.
    for (const d of st.learned.keys()) if (!derived.domains.some((x) => x.id === d)) st.learned.delete(d);
    const next = { ...withLearned(derived, st.learned), guards, ufts };
    loadPlaneContents(this.planeOf(st).core, next, st.loaded);
    st.loaded = next;
  }

  hostPlane(host: string): Plane {
    const st = this.ensure(host);
    this.touched?.add(st);
    return this.planeOf(st);
  }

  hasPlane(host: string): boolean {
    return this.states.has(host) && !!findHost(this.world, host);
  }

  lanPlane(): Plane {
    const st = this.ensureLan();
    this.touched?.add(st);
    return this.planeOf(st);
  }

  plan(host: string): HostPlan {
    if (!this.states.has(host)) throw new Error(`no plan for host ${host}`);
    this.ensure(host);
    return this.plans.get(host)!;
  }

  lanPlan(): LanPlan {
    this.ensureLan();
    return this.lanPlanValue!;
  }

  fabric(host: string): HostFabric {
    return this.plan(host).fabric;
  }

  programs(host: string): HostPrograms {
    if (!this.states.has(host)) throw new Error(`no programs for host ${host}`);
    this.ensure(host);
    return this.compiled.get(host)!;
  }

  /** What a plane holds now (derived contents and learned neighbours), by host name or 'lan'. */
  planeContents(name: string): PlaneContents | undefined {
    if (name === 'lan') return this.lanState ? this.ensureLan().loaded ?? undefined : undefined;
    return this.states.has(name) && findHost(this.world, name) ? this.ensure(name).loaded ?? undefined : undefined;
  }

  learnNeighbor(host: string, domain: number, ip: number, mac: number): void {
    const st = host === 'router' ? (this.lanState && this.ensureLan()) : this.states.has(host) ? this.ensure(host) : undefined;
    if (!st?.loaded) return;
    this.touched?.add(st);
    let m = st.learned.get(domain);
    if (!m) st.learned.set(domain, (m = new Map()));
    if (m.get(ip) === mac) return;
    m.set(ip, mac);
    const d = st.loaded.domains.find((x) => x.id === domain);
    if (!d) return;
    const neighbors = mergeNeighbors(d.neighbors.filter((n) => n.ip !== ip), new Map([[ip, mac]]));
    loadDomainNeighbors(this.planeOf(st).core, domain, neighbors);
    st.loaded = { ...st.loaded, domains: st.loaded.domains.map((x) => (x.id === domain ? { ...x, neighbors } : x)) };
  }

  describe(host: string | 'lan', stage: number, entry: number, action: number, a0?: number, pkt?: PacketKey, built?: FastPathBuilt): { text: string; line?: number; builtBy?: string[] } | null {
    const portName = (p: number) => (host === 'lan' ? (p === this.lan.routerPort ? 'LAN' : this.lan.portName(p)) : fabricIndex(this.plan(host).fabric).port(p)?.name ?? `port ${p}`);
    return describeEntry(this.planeContents(host), stage, entry, action, a0 ?? 0, portName, pkt, built);
  }

  capture(at: string, frame: Uint8Array): void {
    if (this.capturing) this.captured.push({ at, frame });
  }

  /**
   * What traffic changes in the planes (NAT sessions, learned MACs and neighbours, hit counters, flow
   * caches), saved so that src/analysis/ can run each probe on the world as it stands and put it back
   * afterwards: the memory of each data-plane instance (planes that share an instance as table spaces
   * share one copy; the allocator's state is in that memory too) and the neighbours the session learned.
   */
  saveDynamic(): DynamicState {
    // Every place's tables are derived and loaded now: a probe must not be the first to load them
    // (a restore would undo the load under a session that believes it done).
    for (const name of this.states.keys()) if (findHost(this.world, name)) this.planeOf(this.ensure(name));
    if (this.lanState) this.planeOf(this.ensureLan());
    const planes = [...this.states.values(), ...(this.lanState ? [this.lanState] : [])].filter((st) => st.plane);
    // From now on the planes traffic reaches are noted, so that a restore copies only their memories.
    this.touched = new Set();
    const memories = new Map<ArrayBufferLike, DynamicState['memories'][number]>();
    for (const st of planes) {
      const core = st.plane!.core;
      const mem = core.bytes();
      if (memories.has(mem.buffer)) continue;
      selectSpace(core);
      memories.set(mem.buffer, { core, bytes: core.bytes().slice(), engine: core.engineState?.() });
    }
    const saved = [...memories.values()];
    return {
      memories: saved,
      planes: planes.map((st) => ({
        st,
        memory: saved.find((m) => m.core.bytes().buffer === st.plane!.core.bytes().buffer)!,
        loaded: st.loaded,
        learned: new Map([...st.learned].map(([d, m]) => [d, new Map(m)])),
      })),
    };
  }

  /** Puts back what saveDynamic saved (the planes must not have been re-synced since). */
  restoreDynamic(saved: DynamicState): void {
    const memories = new Set<DynamicState['memories'][number]>();
    for (const p of saved.planes) {
      if (this.touched && !this.touched.has(p.st)) continue;
      memories.add(p.memory);
      p.st.loaded = p.loaded;
      p.st.learned = new Map([...p.learned].map(([d, m]) => [d, new Map(m)]));
    }
    for (const m of memories) {
      // The instance's one global of space state, which space is selected, goes back first: the
      // copy holds the directories of the space selected when it was taken.
      selectSpace(m.core);
      const mem = m.core.bytes();
      mem.set(m.bytes);
      // Memory a probe grew is not known to the restored allocator: it is left zero, as it came.
      if (mem.length > m.bytes.length) mem.fill(0, m.bytes.length);
      // The engine's program buffer goes back with the allocator that holds it.
      if (m.engine) m.core.setEngineState?.(m.engine);
    }
    this.touched?.clear();
  }
}

/** Makes a table space the selected one of its instance (SpaceCore selects on every call that needs it). */
function selectSpace(core: PacketCore): void {
  if (core instanceof SpaceCore) void core.exports;
}

/** The planes' dynamic state, from SimSession.saveDynamic. */
export interface DynamicState {
  /** A copy of each distinct data-plane memory. */
  memories: { core: PacketCore; bytes: Uint8Array; engine?: EngineState }[];
  planes: { st: PlaneState; memory: DynamicState['memories'][number]; loaded: PlaneContents | null; learned: Map<number, Map<number, number>> }[];
}

/** The derived neighbours of each domain, with what the plane learned added (learned answers win). */
function withLearned(derived: PlaneContents, learned: Map<number, Map<number, number>>): PlaneContents {
  if (!learned.size) return derived;
  return {
    ...derived,
    domains: derived.domains.map((d) => {
      const m = learned.get(d.id);
      return m ? { ...d, neighbors: mergeNeighbors(d.neighbors, m) } : d;
    }),
  };
}

/** `a` with `b`'s answers (IPv4 → MAC) set over it: a's order, then b's new addresses. */
function mergeNeighbors(a: { ip: number; mac: number }[], b: ReadonlyMap<number, number>): { ip: number; mac: number }[] {
  const m = new Map<number, number>();
  for (const n of a) m.set(n.ip, n.mac);
  for (const [ip, mac] of b) m.set(ip, mac);
  const out: { ip: number; mac: number }[] = new Array(m.size);
  let i = 0;
  for (const [ip, mac] of m) out[i++] = { ip, mac };
  return out;
}

/** The walker's view of the LAN's ports. */
function lanLayout(lan: LanPlan): LanLayout {
  const byId = new Map(lan.ports.map((p) => [p.id, p]));
  const nicPorts = new Map<string, number>();
  const clientPorts = new Map<string, number>();
  for (const p of lan.ports) {
    if (p.owner.kind === 'host') nicPorts.set(`${p.owner.host}\u0000${p.owner.nic}`, p.id);
    if (p.owner.kind === 'client') clientPorts.set(p.owner.name, p.id);
  }
  return {
    routerPort: lan.routerPort,
    internetPort: lan.internetPort,
    routerMac: lan.routerMac,
    routerIp: lan.routerIp,
    routerLen: lan.routerLen,
    hostNicPort: (host, nic) => nicPorts.get(`${host}\u0000${nic}`),
    portOwner: (port) => byId.get(port)?.owner,
    clientPort: (name) => clientPorts.get(name),
    portName: (port) => (port === lan.internetPort ? 'internet' : byId.get(port)?.name ?? `port ${port}`),
  };
}
