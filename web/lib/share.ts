/**
 * Share links: the script (and compose file) compressed into the URL fragment, so a link carries the
 * whole playground and no server sees it. Format: `#v1=<base64url(deflate-raw(JSON))>`.
 */

export interface SharedState {
  script: string;
  compose?: string;
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

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** The fragment (without `#`) for a state. */
export async function encodeShare(state: SharedState): Promise<string> {
  const json = JSON.stringify(state.compose ? { s: state.script, c: state.compose } : { s: state.script });
  const packed = await pipe(new TextEncoder().encode(json), new CompressionStream('deflate-raw'));
  return `v1=${toBase64Url(packed)}`;
}

/** The state a fragment carries, or null when it carries none (or is damaged). */
export async function decodeShare(fragment: string): Promise<SharedState | null> {
  const m = /(?:^|[#&])v1=([A-Za-z0-9_-]+)/.exec(fragment);
  if (!m) return null;
  try {
    const bytes = await pipe(fromBase64Url(m[1]), new DecompressionStream('deflate-raw'));
    const data = JSON.parse(new TextDecoder().decode(bytes)) as { s?: unknown; c?: unknown };
    if (typeof data.s !== 'string') return null;
    return { script: data.s, compose: typeof data.c === 'string' ? data.c : undefined };
  } catch {
    return null;
  }
}
