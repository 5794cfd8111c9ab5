import { describe, it, expect } from 'vitest';
import { decodeShare, encodeShare, isShareError, MAX_FRAGMENT_CHARS, MAX_UNPACKED_BYTES } from './share.js';

/** A version 1 fragment as the previous page wrote it: deflate-raw of `{ s, c? }`, base64url. */
async function v1Fragment(data: object): Promise<string> {
  const raw = new TextEncoder().encode(JSON.stringify(data));
  const packed = new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
  return 'v1=' + Buffer.from(packed).toString('base64url');
}

async function rawFragment(version: number, json: string): Promise<string> {
  const packed = new Uint8Array(await new Response(new Blob([new TextEncoder().encode(json)]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
  return `v${version}=` + Buffer.from(packed).toString('base64url');
}

describe('share links', () => {
  it('round-trips a script and a compose file through the fragment, with a version', async () => {
    const script = 'docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2", "Ethernet 3" TeamedNet\n# ünïcödé ✓\n';
    const compose = 'networks:\n  default:\n    external:\n      name: "nat"\n';
    const frag = await encodeShare({ script, compose, composeName: 'web.yml' });
    expect(frag).toMatch(/^v2=[A-Za-z0-9_-]+$/);
    expect(await decodeShare('#' + frag)).toEqual({ script, compose, composeName: 'web.yml' });
  });

  it('carries the view and a second script', async () => {
    const state = { script: 'docker ps\n', second: { script: 'docker network ls\n' }, view: { step: 3, trace: 1, packet: 2, hop: 4, tab: 'tables' } };
    expect(await decodeShare(await encodeShare(state))).toEqual(state);
  });

  it('keeps opening version 1 links', async () => {
    expect(await decodeShare('#' + (await v1Fragment({ s: 'docker ps', c: 'services: {}' })))).toEqual({ script: 'docker ps', compose: 'services: {}' });
  });

  it('compresses: a long repetitive script gives a much shorter fragment', async () => {
    const script = Array.from({ length: 200 }, (_, k) => `docker run -d --name c${k} --network nat microsoft/nanoserver`).join('\n');
    const frag = await encodeShare({ script });
    expect(frag.length).toBeLessThan(script.length / 5);
    expect(await decodeShare(frag)).toEqual({ script });
  });

  it('gives null for a fragment without a script, and says so for a damaged one', async () => {
    expect(await decodeShare('')).toBeNull();
    expect(await decodeShare('#other=1')).toBeNull();
    const damaged = await decodeShare('#v1=AAAA');
    expect(isShareError(damaged) && damaged.error).toMatch(/damaged/);
    const noScript = await decodeShare('#' + (await rawFragment(2, '{"v":2,"scripts":[]}')));
    expect(isShareError(noScript) && noScript.error).toMatch(/damaged/);
    const newer = await decodeShare('#' + (await rawFragment(9, '{}')));
    expect(isShareError(newer) && newer.error).toMatch(/newer version/);
  });

  it('refuses a small link that unpacks past the cap, without unpacking it all', async () => {
    // 40 MB of one character compresses to a few tens of KB: the "zip bomb" of a share link.
    const bomb = await rawFragment(2, JSON.stringify({ v: 2, scripts: [{ s: 'x'.repeat(40 * 1024 * 1024) }] }));
    expect(bomb.length).toBeLessThan(MAX_FRAGMENT_CHARS);
    const got = await decodeShare('#' + bomb);
    expect(isShareError(got) && got.error).toMatch(/unpacks to more than 2 MB/);
  });

  it('refuses to make a link past the caps, with a readable message', async () => {
    const big = Array.from({ length: MAX_UNPACKED_BYTES / 8 }, (_, k) => `#${k.toString(36)}`).join('\n');
    await expect(encodeShare({ script: big })).rejects.toThrow(/too large to share as a link/);
    const tooLong = '#v2=' + 'A'.repeat(MAX_FRAGMENT_CHARS + 4);
    const got = await decodeShare(tooLong);
    expect(isShareError(got) && got.error).toMatch(/too large to open/);
  });
});
