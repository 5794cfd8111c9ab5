import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runScript } from '../../src/run.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { parseScript } from '../../src/script/parser.js';
it('probe', async () => {
  const text = readFileSync('examples/05-transparent-static.pp', 'utf8');
  console.log(JSON.stringify(parseScript(text).diagnostics));
  let prog = 0;
  const t0 = Date.now();
  const r = await runScript(text, { createCore: () => loadWasmCore(), onProgress: (f: number) => { prog++; } } as any);
  console.log('ms', Date.now() - t0, 'progress calls', prog);
  for (const s of r.steps) {
    console.log(s.line, s.ok, s.command, '|', s.error, '|', s.output.slice(0, 200));
    for (const t of s.traces) for (const p of t.packets.slice(0, 2)) {
      console.log('  ', p.summary, p.verdict, p.dropReason);
      for (const h of p.hops) console.log('     ', h.host, '|', h.at, '|', h.stage, h.action, '|', h.rule, JSON.stringify(h.before), JSON.stringify(h.after), h.sourceLine ?? '');
    }
  }
}, 120000);
