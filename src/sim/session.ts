/**
 * A simulation session: the data planes of every host and of the LAN, kept in step with the model.
 * One session per script run.
 *
 * sync(world) derives what every plane holds (derive.ts), compiles its stage programs (programs.ts)
 * and loads what changed (load.ts: each table is compared with what the plane last loaded, so learned
 * FDB entries and NAT sessions survive commands that do not touch them). Neighbours learned by ARP are
 * the one table the session itself owns: learning one reloads that routing domain's neighbours only.
 */
import { SpaceCore, WasmCore, type PacketCore } from '../engine/core.js';
import type { World } from '../model/types.js';
import { setNatClock } from '../engine/loaders/nat.js';
import { CorePlane, type Plane } from './planes.js';
import type { HostFabric } from './fabric.js';
import { deriveHost, deriveLan, type HostPlan, type LanPlan, type PlaneContents } from './derive.js';
import { compilePrograms, type HostPrograms } from './programs.js';
import { describeEntry, loadPlaneContents, loadDomainNeighbors } from './load.js';
import { Stations, type NameResolver } from './stations.js';
import { Walker, type LanLayout, type WalkWorld } from './walker.js';

export interface CoreFactory {
  (): Promise<PacketCore>;
}

/**
 * Planes share WebAssembly instances: an instance serves hosts (and the LAN) as table spaces
 * (assembly/spaces.ts) until its memory passes this size, then the next host starts a new one
 * (a pool; wasm32 memory ends at 4 GiB, and one table may not exceed 1 GiB).
 */
const INSTANCE_BYTES = 1 << 30;

/** One data plane and what it holds: derived contents as last loaded, and the neighbours it learned. */
export interface PlaneState {
  plane: Plane;
  loaded: PlaneContents | null;
  /** Routing domain → IP → MAC, learned from ARP. */
  learned: Map<number, Map<number, number>>;
}

export class SimSession implements WalkWorld {
  private readonly states = new Map<string, PlaneState>();
  /** The instance new planes join as table spaces, and the next space id in it. */
  private pool: { core: WasmCore; next: number } | null = null;
  private lanState: PlaneState | null = null;
  private plans = new Map<string, HostPlan>();
  private compiled = new Map<string, HostPrograms>();
  private lanPlanValue: LanPlan | null = null;
  lan!: LanLayout;
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

  /** Derives every plane's contents and programs from the model and loads what changed. */
  async sync(world: World): Promise<void> {
    this.world = world;
    this.plans = new Map(world.hosts.map((h) => [h.name, deriveHost(world, h)]));
    this.compiled = new Map([...this.plans].map(([name, plan]) => [name, compilePrograms(world, plan)]));
    const lan = deriveLan(world);
    this.lanPlanValue = lan;
    this.lan = lanLayout(lan);
    for (const [name, plan] of this.plans) {
      let st = this.states.get(name);
      if (!st) this.states.set(name, (st = { plane: new CorePlane(await this.newCore()), loaded: null, learned: new Map() }));
      this.apply(st, plan.contents, this.compiled.get(name)!.guards);
      // WinNAT's session timeouts follow the script's simulated clock (one second per command).
      if (plan.contents.nat.length) setNatClock(st.plane.core, world.clock);
    }
    this.lanState ??= { plane: new CorePlane(await this.newCore()), loaded: null, learned: new Map() };
    this.apply(this.lanState, lan.contents, []);
  }

  /** A data plane for one more place: a table space of the pooled instance, or a core of its own
   *  (the reference core has no spaces). */
  private async newCore(): Promise<PacketCore> {
    const pool = this.pool;
    if (pool && pool.core.exports.memory.buffer.byteLength < INSTANCE_BYTES) return new SpaceCore(pool.core, pool.next++);
    const core = await this.createCore();
    if (!(core instanceof WasmCore) || typeof core.exports.space_select !== 'function') return core;
    this.pool = { core, next: 1 };
    return new SpaceCore(core, 0);
  }

  /** Loads derived contents merged with the learned neighbours; only tables that changed are written. */
  private apply(st: PlaneState, derived: PlaneContents, guards: HostPrograms['guards']): void {
    // Neighbours learned in a compartment that is gone are forgotten with it.
    for (const d of st.learned.keys()) if (!derived.domains.some((x) => x.id === d)) st.learned.delete(d);
    const next = { ...withLearned(derived, st.learned), guards };
    loadPlaneContents(st.plane.core, next, st.loaded);
    st.loaded = next;
  }

  hostPlane(host: string): Plane {
    const st = this.states.get(host);
    if (!st) throw new Error(`no data plane for host ${host}`);
    this.touched?.add(st);
    return st.plane;
  }

  hasPlane(host: string): boolean {
    return this.states.has(host) && this.plans.has(host);
  }

  lanPlane(): Plane {
    this.touched?.add(this.lanState!);
    return this.lanState!.plane;
  }

  plan(host: string): HostPlan {
    const p = this.plans.get(host);
    if (!p) throw new Error(`no plan for host ${host}`);
    return p;
  }

  lanPlan(): LanPlan {
    return this.lanPlanValue!;
  }

  fabric(host: string): HostFabric {
    return this.plan(host).fabric;
  }

  programs(host: string): HostPrograms {
    const p = this.compiled.get(host);
    if (!p) throw new Error(`no programs for host ${host}`);
    return p;
  }

  /** What a plane holds now (derived contents and learned neighbours), by host name or 'lan'. */
  planeContents(name: string): PlaneContents | undefined {
    return (name === 'lan' ? this.lanState : this.states.get(name))?.loaded ?? undefined;
  }

  learnNeighbor(host: string, domain: number, ip: number, mac: number): void {
    const st = host === 'router' ? this.lanState : this.states.get(host);
    if (!st?.loaded) return;
    this.touched?.add(st);
    let m = st.learned.get(domain);
    if (!m) st.learned.set(domain, (m = new Map()));
    if (m.get(ip) === mac) return;
    m.set(ip, mac);
    const d = st.loaded.domains.find((x) => x.id === domain);
    if (!d) return;
    const neighbors = mergeNeighbors(d.neighbors.filter((n) => n.ip !== ip), [{ ip, mac }]);
    loadDomainNeighbors(st.plane.core, domain, neighbors);
    st.loaded = { ...st.loaded, domains: st.loaded.domains.map((x) => (x.id === domain ? { ...x, neighbors } : x)) };
  }

  describe(host: string | 'lan', stage: number, entry: number, action: number, a0?: number): { text: string; line?: number } | null {
    const portName = (p: number) => (host === 'lan' ? (p === this.lan.routerPort ? 'LAN' : this.lan.portName(p)) : this.plans.get(host)?.fabric.ports.find((x) => x.id === p)?.name ?? `port ${p}`);
    return describeEntry(this.planeContents(host), stage, entry, action, a0 ?? 0, portName);
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
    const planes = [...this.states.values(), ...(this.lanState ? [this.lanState] : [])];
    // From now on the planes traffic reaches are noted, so that a restore copies only their memories.
    this.touched = new Set();
    const memories = new Map<ArrayBufferLike, { core: PacketCore; bytes: Uint8Array }>();
    for (const st of planes) {
      const mem = st.plane.core.bytes();
      if (memories.has(mem.buffer)) continue;
      selectSpace(st.plane.core);
      memories.set(mem.buffer, { core: st.plane.core, bytes: st.plane.core.bytes().slice() });
    }
    const saved = [...memories.values()];
    return {
      memories: saved,
      planes: planes.map((st) => ({
        st,
        memory: saved.find((m) => m.core.bytes().buffer === st.plane.core.bytes().buffer)!,
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
  memories: { core: PacketCore; bytes: Uint8Array }[];
  planes: { st: PlaneState; memory: DynamicState['memories'][number]; loaded: PlaneContents | null; learned: Map<number, Map<number, number>> }[];
}

/** The derived neighbours of each domain, with what the plane learned added (learned answers win). */
function withLearned(derived: PlaneContents, learned: Map<number, Map<number, number>>): PlaneContents {
  if (!learned.size) return derived;
  return {
    ...derived,
    domains: derived.domains.map((d) => {
      const m = learned.get(d.id);
      return m ? { ...d, neighbors: mergeNeighbors(d.neighbors, [...m].map(([ip, mac]) => ({ ip, mac }))) } : d;
    }),
  };
}

function mergeNeighbors(a: { ip: number; mac: number }[], b: { ip: number; mac: number }[]): { ip: number; mac: number }[] {
  const m = new Map<number, number>();
  for (const n of a) m.set(n.ip, n.mac);
  for (const n of b) m.set(n.ip, n.mac);
  return [...m].map(([ip, mac]) => ({ ip, mac }));
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
