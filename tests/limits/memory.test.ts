/**
 * Memory is returned: a table reload frees the image it replaces, so a long script of restarts,
 * runs, removals and pings runs in the same WebAssembly memory as a short one.
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/run.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import type { WasmCore } from '../../src/engine/core.js';

/** `n` rounds of: restart a container (a new compartment: every table of it reloads), ping, and
 *  every tenth round a container created and removed. */
function churn(n: number): string {
  const lines = ['docker run -d --name a img', 'docker run -d --name b img', 'docker run -d --name w -p 8080:80 img'];
  for (let i = 0; i < n; i++) {
    lines.push('docker restart a', 'docker exec a ping -n 1 b');
    if (i % 10 === 0) lines.push(`docker run -d --name t${i} -p ${9000 + i}:80 img`, `docker exec t${i} ping -n 1 a`, `docker rm -f t${i}`);
  }
  return lines.join('\n') + '\n';
}

/** Runs the script; returns the size of every data plane's memory at the end (bytes). */
async function memoryAfter(text: string): Promise<{ sizes: number[]; failed: number }> {
  const cores: WasmCore[] = [];
  const r = await runScript(text, {
    trace: false,
    createCore: async () => {
      const c = await loadWasmCore();
      cores.push(c);
      return c;
    },
  });
  return { sizes: cores.map((c) => c.exports.memory.buffer.byteLength), failed: r.steps.filter((s) => !s.ok).length };
}

describe('data-plane memory', () => {
  it('stays flat over 600 restarts, 60 runs and removals and their pings (as after 60 restarts)', async () => {
    const short = await memoryAfter(churn(60));
    const long = await memoryAfter(churn(600));
    expect(short.failed).toBe(0);
    expect(long.failed).toBe(0);
    expect(long.sizes).toEqual(short.sizes);
  }, 60_000);
});
