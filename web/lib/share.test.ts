import { describe, it, expect } from 'vitest';
import { decodeShare, encodeShare } from './share.js';

describe('share links', () => {
  it('round-trips a script and a compose file through the fragment', async () => {
    const script = 'docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2", "Ethernet 3" TeamedNet\n# ünïcödé ✓\n';
    const compose = 'networks:\n  default:\n    external:\n      name: "nat"\n';
    const frag = await encodeShare({ script, compose });
    expect(frag).toMatch(/^v1=[A-Za-z0-9_-]+$/);
    expect(await decodeShare('#' + frag)).toEqual({ script, compose });
  });

  it('compresses: a long repetitive script gives a much shorter fragment', async () => {
    const script = Array.from({ length: 200 }, (_, k) => `docker run -d --name c${k} --network nat microsoft/nanoserver`).join('\n');
    const frag = await encodeShare({ script });
    expect(frag.length).toBeLessThan(script.length / 5);
    expect((await decodeShare(frag))?.script).toBe(script);
  });

  it('gives null for a fragment without a script or a damaged one', async () => {
    expect(await decodeShare('')).toBeNull();
    expect(await decodeShare('#other=1')).toBeNull();
    expect(await decodeShare('#v1=AAAA')).toBeNull();
  });
});
