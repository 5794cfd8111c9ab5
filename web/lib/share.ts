/**
 * Share links: the scripts (and compose files) and the view compressed into the URL fragment, so a
 * link carries the whole playground and no server sees it.
 *
 * Format, version 2: `#v2=<base64url(deflate-raw(JSON))>` with
 *   { "v": 2,
 *     "scripts": [ { "s": script, "c"?: compose, "n"?: compose file name }, ... ],   one or two
 *     "view"?: { "step"?, "trace"?, "packet"?, "hop"?, "tab"? } }
 * The second script is room for a pair (a behaviour diff's "before" and "after"). Version 1 links
 * (`#v1=`, `{ "s": script, "c"?: compose }`) keep opening.
 *
 * Both directions are bounded: a link whose fragment or whose unpacked text is larger than the caps
 * is refused with a sentence that says so (a 1 KB link must not unpack into hundreds of megabytes).
 * Decoding stops reading the decompressed stream as soon as it passes the cap.
 */

export const SHARE_VERSION = 2;
/** Longest fragment accepted, in characters (browsers keep URLs of a few MB; links get pasted). */
export const MAX_FRAGMENT_CHARS = 512 * 1024;
/** Largest unpacked JSON accepted, in bytes. */
export const MAX_UNPACKED_BYTES = 2 * 1024 * 1024;

export interface SharedScript {
  script: string;
  compose?: string;
  composeName?: string;
}

/** What the page was showing: the selected step, packet and hop, and the details tab. */
export interface SharedView {
  step?: number;
  trace?: number;
  packet?: number;
  hop?: number;
  tab?: string;
}

export interface SharedState extends SharedScript {
  /** A second script (a pair to compare). */
  second?: SharedScript;
  view?: SharedView;
}

/** A link that carries something, but not something the page can open. */
export interface ShareError {
  error: string;
}

export function isShareError(x: SharedState | ShareError | null): x is ShareError {
  return !!x && 'error' in x;
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw')));
  return new Uint8Array(await out.arrayBuffer());
}

/** Inflates, reading at most `cap` bytes of output; null past the cap. */
async function inflate(bytes: Uint8Array, cap: number): Promise<Uint8Array | null> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

function kib(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

function packScript(s: SharedScript): Record<string, string> {
  const out: Record<string, string> = { s: s.script };
  if (s.compose) out.c = s.compose;
  if (s.compose && s.composeName) out.n = s.composeName;
  return out;
}

/** The fragment (without `#`) for a state. Throws a RangeError with a readable message past the caps. */
export async function encodeShare(state: SharedState): Promise<string> {
  const scripts = [packScript(state), ...(state.second ? [packScript(state.second)] : [])];
  const json = JSON.stringify({ v: SHARE_VERSION, scripts, ...(state.view ? { view: state.view } : {}) });
  const raw = new TextEncoder().encode(json);
  if (raw.byteLength > MAX_UNPACKED_BYTES) throw new RangeError(`The script is too large to share as a link (${kib(raw.byteLength)}; links carry at most ${kib(MAX_UNPACKED_BYTES)}).`);
  const frag = `v${SHARE_VERSION}=${toBase64Url(await deflate(raw))}`;
  if (frag.length > MAX_FRAGMENT_CHARS) throw new RangeError(`The script is too large to share as a link (the link would be ${kib(frag.length)}; at most ${kib(MAX_FRAGMENT_CHARS)}).`);
  return frag;
}

function readScript(x: unknown): SharedScript | null {
  if (!x || typeof x !== 'object') return null;
  const o = x as Record<string, unknown>;
  if (typeof o.s !== 'string') return null;
  const out: SharedScript = { script: o.s };
  if (typeof o.c === 'string') out.compose = o.c;
  if (typeof o.n === 'string' && out.compose) out.composeName = o.n;
  return out;
}

function readView(x: unknown): SharedView | undefined {
  if (!x || typeof x !== 'object') return undefined;
  const o = x as Record<string, unknown>;
  const view: SharedView = {};
  for (const k of ['step', 'trace', 'packet', 'hop'] as const) {
    const v = o[k];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) view[k] = v;
  }
  if (typeof o.tab === 'string' && /^[a-z-]{1,20}$/.test(o.tab)) view.tab = o.tab;
  return Object.keys(view).length ? view : undefined;
}

const DAMAGED = 'This link is damaged (it was cut short or changed) and carries no script that can be read. Your own script is kept.';

/**
 * The state a fragment carries; null when it carries none; a ShareError when it carries one that is
 * damaged, too large, or from a newer version of the page.
 */
export async function decodeShare(fragment: string): Promise<SharedState | ShareError | null> {
  const m = /(?:^|[#&])v(\d+)=([^&]*)/.exec(fragment);
  if (!m) return null;
  const version = Number(m[1]);
  if (version > SHARE_VERSION) return { error: `This link was made by a newer version of Packet Path (link format ${version}); this page reads up to ${SHARE_VERSION}.` };
  if (m[2].length > MAX_FRAGMENT_CHARS) return { error: `This link is too large to open (${kib(m[2].length)}; links carry at most ${kib(MAX_FRAGMENT_CHARS)}).` };
  if (!/^[A-Za-z0-9_-]+$/.test(m[2])) return { error: DAMAGED };
  try {
    const bytes = await inflate(fromBase64Url(m[2]), MAX_UNPACKED_BYTES);
    if (!bytes) return { error: `This link unpacks to more than ${kib(MAX_UNPACKED_BYTES)}, the most a shared script may hold; it was not opened.` };
    const data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Record<string, unknown>;
    if (version === 1) {
      const one = readScript(data);
      return one ?? { error: DAMAGED };
    }
    const list = Array.isArray(data.scripts) ? data.scripts.map(readScript) : [];
    const first = list[0];
    if (!first) return { error: DAMAGED };
    const state: SharedState = { ...first };
    if (list[1]) state.second = list[1];
    const view = readView(data.view);
    if (view) state.view = view;
    return state;
  } catch {
    return { error: DAMAGED };
  }
}
