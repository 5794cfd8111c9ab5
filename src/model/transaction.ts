/**
 * A command's changes to the world, undoable in place. The command runs against a recording view
 * of the world: every object it reaches is seen through a Proxy (made once per object and kept),
 * its writes go straight to the world, and each write records the value it replaced. A command
 * that fails is rolled back by replaying that undo log backwards; one that succeeds drops the log.
 * So a command costs what it reads and writes, not the size of the world — copying the whole world
 * per command (structuredClone) made a script of n containers cost O(n²). The world stays plain
 * data: nothing but raw objects is ever stored in it.
 */

interface Undo {
  target: Record<PropertyKey, unknown>;
  key: PropertyKey;
  had: boolean;
  old: unknown;
}

/** The log of the command running now (null between commands). */
let log: Undo[] | null = null;

// ---- regions: which part of the world a write changed ------------------------------------------
//
// Consumers that keep views derived from the world (the simulation's per-host tables, the model's
// world-wide indexes) ask which parts changed instead of recomputing everything. The world is cut
// into regions: the root (its own fields), each object held directly by the root (for the world:
// the hosts list, the underlay, the clients, the swarm), and each element of a list marked with
// `regionList` (the hosts). Every other object belongs to the region it was reached from. Each
// write journals its region (once per transaction); a consumer keeps a cursor into the journal.
// An object stored in a second region (moved or shared between hosts) makes the regions of that
// world unreliable: from then on every consumer is told that anything may have changed.

/** Lists whose elements are regions of their own. */
const regionLists = new WeakSet<object>();
/**
 * Each raw object's view and region are kept on the object itself, in one record under a symbol
 * that is not enumerable (JSON, structuredClone, spreads and Object.keys never see it): a WeakMap
 * entry per object of a large world costs more in garbage collection than the commands themselves.
 * Objects that cannot take a property (frozen) keep theirs in a WeakMap.
 */
const META = Symbol('meta');
/** Asked of a view, answers its raw object (asked of a raw object, nothing). */
const RAW = Symbol('raw');
const frozenMeta = new WeakMap<object, Meta>();

interface Meta {
  view?: object;
  region?: object;
}
type Marked = { [META]?: Meta; [RAW]?: object };

function metaOf(raw: object): Meta | undefined {
  return (raw as Marked)[META] ?? (Object.isExtensible(raw) ? undefined : frozenMeta.get(raw));
}

function metaFor(raw: object): Meta {
  let m = metaOf(raw);
  if (!m) {
    m = {};
    if (Object.isExtensible(raw)) Object.defineProperty(raw, META, { value: m });
    else frozenMeta.set(raw, m);
  }
  return m;
}

function regionGet(raw: object): object | undefined {
  return metaOf(raw)?.region;
}

function rawOf(value: object): object | undefined {
  return (value as Marked)[RAW];
}

interface Journal {
  entries: object[];
  /** An object was found in two regions: regions no longer say what changed. */
  unreliable: boolean;
}
const journals = new WeakMap<object, Journal>();
/** Writes through a view outside any transaction (no root to charge them to). */
let untracked = 0;

/**
 * The transaction running now: its root, the regions journaled since a consumer last read the
 * journal (each once), and every region it wrote (journaled again if it rolls back).
 */
let tx: { root: object; journal: Journal; touched: Set<object>; written: Set<object>; read: { during: boolean } } | null = null;

function journalOf(root: object): Journal {
  let j = journals.get(root);
  if (!j) journals.set(root, (j = { entries: [], unreliable: false }));
  return j;
}

/** Marks a list whose elements are regions of their own (a world's hosts). */
export function regionList(list: object): void {
  regionLists.add(list);
}

export function isRegionList(list: object): boolean {
  return regionLists.has(list);
}

/** The region of `child`, reached from (or stored in) `parent`. */
function regionOf(parent: object, child: object): object {
  return parent === tx?.root || regionLists.has(parent) ? child : regionGet(parent) ?? parent;
}

/** Gives `raw` its region, or finds it already in another one. */
function place(raw: object, region: object): void {
  const m = metaFor(raw);
  const had = m.region;
  if (had === undefined) {
    m.region = region;
    // A new region (a host added): the command may go on writing it through its raw object.
    if (region === raw) tx?.written.add(raw);
  } else if (had !== region && tx) tx.journal.unreliable = true;
}

/** Journals the region of a write to `target` (the root's own scalar fields are nobody's region). */
function journalWrite(target: object, scalar: boolean): void {
  if (!tx) {
    untracked++;
    return;
  }
  if (target === tx.root && scalar) return;
  const region = target === tx.root ? target : regionGet(target) ?? target;
  if (tx.touched.has(region)) return;
  tx.touched.add(region);
  tx.written.add(region);
  tx.journal.entries.push(region);
}

/** Where a consumer is in a root's journal. */
export interface ChangeCursor {
  at: number;
  untracked: number;
}

export function changeCursor(): ChangeCursor {
  return { at: 0, untracked: -1 };
}

/**
 * The regions written since `cursor` (which moves past them), or null when anything may have changed:
 * the cursor is new, a write went through a view outside a transaction, or an object was moved or
 * shared between regions.
 */
export function changesSince(root: object, cursor: ChangeCursor): Set<object> | null {
  const j = journalOf(root);
  // Read during a command: its later writes must be journaled again for the next read, and what it
  // wrote is journaled again when it ends (a command writes the objects it creates raw).
  if (tx?.root === root) {
    tx.touched.clear();
    tx.read.during = true;
  }
  const fresh = cursor.untracked === untracked && !j.unreliable;
  const out = new Set<object>();
  for (; cursor.at < j.entries.length; cursor.at++) out.add(j.entries[cursor.at]!);
  cursor.untracked = untracked;
  return fresh ? out : null;
}

/**
 * Bumped by every write that may change what an index built over world lists has read: a field
 * that says which address, MAC, network or name an object holds, an array slot other than an append,
 * an array made shorter, and every rollback. Appends leave it alone, so an index keeps up with a
 * growing list by reading only the new elements.
 */
let epoch = 0;
const WATCHED = new Set<PropertyKey>(['ip', 'mac', 'networkId', 'containerId', 'name']);

export function changeEpoch(): number {
  return epoch;
}


function remember(target: Record<PropertyKey, unknown>, key: PropertyKey, value?: unknown): void {
  if (Array.isArray(target) ? key !== 'length' && Number(key) !== target.length : WATCHED.has(key)) epoch++;
  journalWrite(target, typeof value !== 'object');
  if (!log) return;
  // Writing past an array's end lengthens it before any write of `length`: remember the length first.
  if (Array.isArray(target) && typeof key === 'string' && Number(key) >= target.length) log.push({ target, key: 'length', had: true, old: target.length });
  log.push({ target, key, had: Object.hasOwn(target, key), old: target[key] });
}

/**
 * A value about to be stored in the world, with every view in it replaced by its raw object; stored
 * under `parent`, the objects take its region (or are found already in another).
 */
function plain<T>(value: T, parent?: object): T {
  if (typeof value !== 'object' || value === null) return value;
  const raw = rawOf(value);
  if (raw) {
    if (parent) place(raw, regionOf(parent, raw));
    return raw as T;
  }
  if (parent) place(value, regionOf(parent, value));
  const o = value as Record<PropertyKey, unknown>;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (typeof v === 'object' && v !== null) o[k] = plain(v, parent && value);
  }
  return value;
}

const recording: ProxyHandler<Record<PropertyKey, unknown>> = {
  get(target, key) {
    // Symbols are never world data: the view's own marks.
    if (typeof key === 'symbol') return key === RAW ? target : target[key];
    const v = target[key];
    return typeof v === 'object' && v !== null ? view(v, target) : v;
  },
  set(target, key, value) {
    // Writing the value a field already holds changes nothing: no undo entry, no journal, and the
    // indexes over world lists stay valid (a field like `networkId` rewritten as it was would move
    // changeEpoch and make every index rebuild).
    if (typeof value !== 'object' && Object.hasOwn(target, key) && Object.is(target[key], value)) return true;
    if (Array.isArray(target) && key === 'length' && Number(value) < target.length) {
      // Shortening an array drops its tail: remember each dropped element before the length.
      epoch++;
      for (let i = Number(value); i < target.length; i++) remember(target, String(i));
    }
    remember(target, key, value);
    target[key] = plain(value, target);
    return true;
  },
  deleteProperty(target, key) {
    if (Object.hasOwn(target, key)) {
      remember(target, key, null);
      delete target[key];
    }
    return true;
  },
  defineProperty(target, key, desc) {
    remember(target, key, 'value' in desc ? desc.value : null);
    return Reflect.defineProperty(target, key, 'value' in desc ? { ...desc, value: plain(desc.value, target) } : desc);
  },
};

/** The recording view of a world object (the same view every time), reached from `parent`. */
function view<T extends object>(raw: T, parent?: object): T {
  const known = (raw as Marked)[META]?.view;
  if (known) return known as T;
  if (rawOf(raw)) return raw;
  const m = metaFor(raw);
  if (!m.view) {
    m.view = new Proxy(raw as Record<PropertyKey, unknown>, recording);
    // First reached: the object takes its region from where it was reached (or already has one).
    if (parent) place(raw, regionOf(parent, raw));
  }
  return m.view as T;
}

/**
 * Runs `change` on a recording view of `root`. If it throws, every write it made is undone (in
 * reverse order) and the error is rethrown; otherwise its result is returned with no view in it.
 */
export function transaction<R extends object, T>(root: R, change: (draft: R) => T, opts: { keepOnError?: boolean | ((e: unknown) => boolean) } = {}): T {
  const outer = log;
  const outerTx = tx;
  const mine: Undo[] = [];
  log = mine;
  tx = outerTx?.root === root ? { ...outerTx, written: new Set() } : { root, journal: journalOf(root), touched: new Set(), written: new Set(), read: { during: false } };
  try {
    const result = plain(change(view(root)));
    if (tx.read.during && !outerTx) for (const r of tx.written) tx.journal.entries.push(r);
    // Inside another transaction, what this one kept is undone if the outer one fails.
    if (outer) for (const u of mine) outer.push(u);
    return result;
  } catch (e) {
    if (typeof opts.keepOnError === 'function' ? opts.keepOnError(e) : opts.keepOnError) {
      if (tx.read.during && !outerTx) for (const r of tx.written) tx.journal.entries.push(r);
      if (outer) for (const u of mine) outer.push(u);
    } else {
      epoch++;
      for (let i = mine.length - 1; i >= 0; i--) {
        const u = mine[i]!;
        if (u.had) u.target[u.key] = u.old;
        else delete u.target[u.key];
      }
      // What a consumer read during the command is undone: it must read those regions again.
      for (const r of tx.written) tx.journal.entries.push(r);
    }
    throw e;
  } finally {
    if (outerTx && tx) for (const r of tx.written) outerTx.written.add(r);
    log = outer;
    tx = outerTx;
  }
}

/** The raw object behind a view, for scans that only read (a view costs a trap per property read). */
export function unrecorded<T>(value: T): T {
  return typeof value === 'object' && value !== null ? ((rawOf(value) as T | undefined) ?? value) : value;
}

/** `item`, an element of `list` found by reading raw, as the caller sees the list (a view inside a command). */
export function asInList<T extends object>(list: readonly T[], item: T | undefined): T | undefined {
  const raw = rawOf(list);
  return item !== undefined && raw ? view(item, raw) : item;
}

/**
 * `list.find(test)` over the raw elements — `test` must only read — answering with the element as
 * the caller sees the list (its view inside a command, so writes to it are recorded).
 */
export function findUnrecorded<T extends object>(list: readonly T[], test: (item: T) => boolean): T | undefined {
  const raw = unrecorded(list);
  const found = raw.find(test);
  return found !== undefined && raw !== list ? view(found, raw) : found;
}
