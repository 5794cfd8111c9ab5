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

/** Each raw object's view, and each view's raw object. */
const views = new WeakMap<object, object>();
const raws = new WeakMap<object, object>();

function remember(target: Record<PropertyKey, unknown>, key: PropertyKey): void {
  if (Array.isArray(target) ? key !== 'length' && Number(key) !== target.length : WATCHED.has(key)) epoch++;
  if (!log) return;
  // Writing past an array's end lengthens it before any write of `length`: remember the length first.
  if (Array.isArray(target) && typeof key === 'string' && Number(key) >= target.length) log.push({ target, key: 'length', had: true, old: target.length });
  log.push({ target, key, had: Object.hasOwn(target, key), old: target[key] });
}

/** A value about to be stored in the world, with every view in it replaced by its raw object. */
function plain<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const raw = raws.get(value);
  if (raw) return raw as T;
  const o = value as Record<PropertyKey, unknown>;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (typeof v === 'object' && v !== null) o[k] = plain(v);
  }
  return value;
}

const recording: ProxyHandler<Record<PropertyKey, unknown>> = {
  get(target, key) {
    const v = target[key];
    return typeof v === 'object' && v !== null ? view(v) : v;
  },
  set(target, key, value) {
    if (Array.isArray(target) && key === 'length' && Number(value) < target.length) {
      // Shortening an array drops its tail: remember each dropped element before the length.
      epoch++;
      for (let i = Number(value); i < target.length; i++) remember(target, String(i));
    }
    remember(target, key);
    target[key] = plain(value);
    return true;
  },
  deleteProperty(target, key) {
    if (Object.hasOwn(target, key)) {
      remember(target, key);
      delete target[key];
    }
    return true;
  },
  defineProperty(target, key, desc) {
    remember(target, key);
    return Reflect.defineProperty(target, key, 'value' in desc ? { ...desc, value: plain(desc.value) } : desc);
  },
};

/** The recording view of a world object (the same view every time). */
function view<T extends object>(raw: T): T {
  if (raws.has(raw)) return raw;
  let v = views.get(raw);
  if (!v) {
    v = new Proxy(raw as Record<PropertyKey, unknown>, recording);
    views.set(raw, v);
    raws.set(v, raw);
  }
  return v as T;
}

/**
 * Runs `change` on a recording view of `root`. If it throws, every write it made is undone (in
 * reverse order) and the error is rethrown; otherwise its result is returned with no view in it.
 */
export function transaction<R extends object, T>(root: R, change: (draft: R) => T): T {
  const outer = log;
  const mine: Undo[] = [];
  log = mine;
  try {
    return plain(change(view(root)));
  } catch (e) {
    epoch++;
    for (let i = mine.length - 1; i >= 0; i--) {
      const u = mine[i]!;
      if (u.had) u.target[u.key] = u.old;
      else delete u.target[u.key];
    }
    throw e;
  } finally {
    log = outer;
  }
}

/** The raw object behind a view, for scans that only read (a view costs a trap per property read). */
export function unrecorded<T>(value: T): T {
  return typeof value === 'object' && value !== null ? ((raws.get(value) as T | undefined) ?? value) : value;
}

/** `item`, an element of `list` found by reading raw, as the caller sees the list (a view inside a command). */
export function asInList<T extends object>(list: readonly T[], item: T | undefined): T | undefined {
  return item !== undefined && raws.has(list) ? view(item) : item;
}

/**
 * `list.find(test)` over the raw elements — `test` must only read — answering with the element as
 * the caller sees the list (its view inside a command, so writes to it are recorded).
 */
export function findUnrecorded<T extends object>(list: readonly T[], test: (item: T) => boolean): T | undefined {
  const raw = unrecorded(list);
  const found = raw.find(test);
  return found !== undefined && raw !== list ? view(found) : found;
}
