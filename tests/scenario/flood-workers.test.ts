/**
 * A flood gives the same answer on any number of workers: the whole `--json` document (steps,
 * traces, and the world snapshots with NAT sessions, learned MACs and ACL hit counters) of
 * examples/41-flood.pp and of other flood scripts, run with 1, 2 and 4 workers, is the same byte for
 * byte apart from the measured rates. The workers are Node worker threads running the built worker
 * (dist/src/sim/flood-node-worker.js): run `npm run build:ts` first, as for the CLI tests.
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/index.js';
import type { RunResult } from '../../src/result.js';
import { loadExample } from './examples-support.js';
import { nodeFloodPool } from '../../src/sim/flood-node.js';

// An even split between the script's thread and the workers (these floods are small: by default the
// script's thread would keep most flows while the workers start).
const pool = nodeFloodPool({ startPackets: 0 });

/** The rates and the worker count are the only things allowed to differ. */
function comparable(r: RunResult): string {
  for (const s of r.steps) {
    s.output = s.output
      .replace(/[\d,.]+ packets\/s end to end \([\d.]+ s(, \d+ workers)?\)/g, 'N packets/s end to end (T s)')
      .replace(/the data plane alone [\d.]+ M packet-stages\/s( per worker)?/g, 'the data plane alone N M packet-stages/s');
  }
  return JSON.stringify(r, null, 1);
}

const floodLine = (r: RunResult) => r.steps.find((s) => s.command.startsWith('flood'))!.output;

const NAT = ['client bing --ip 204.79.197.200 --internet', 'docker run -d --name web -p 8080:80 microsoft/iis'];

const scripts: { name: string; text: string; workersUsed: boolean }[] = [
  { name: 'examples/41-flood.pp (a published port, 64 flows)', text: loadExample('41-flood.pp').text, workersUsed: true },
  { name: 'outbound UDP through WinNAT, 3,000 flows (dynamic ports)', text: [...NAT, 'flood web bing udp/53 --packets 30000 --flows 3000'].join('\n'), workersUsed: true },
  { name: 'outbound ICMP echo, 300 flows', text: [...NAT, 'flood web bing icmp --packets 20000 --flows 300'].join('\n'), workersUsed: true },
  // 20,000 flows need more sessions than WinNAT's table holds (16,384): the opening packets decide
  // which flows get one, the same for any number of workers.
  { name: 'more flows than the NAT session table holds', text: [...NAT, 'flood web bing tcp/443 --packets 45000 --flows 20000'].join('\n'), workersUsed: true },
  { name: 'a port nothing publishes (every packet dropped)', text: [...NAT, 'client laptop --ip 10.0.0.50', 'flood laptop host1 tcp/9999 --packets 5000 --flows 50'].join('\n'), workersUsed: false },
  { name: 'one flow', text: [...NAT, 'flood web bing udp/53 --packets 5000'].join('\n'), workersUsed: false },
];

describe('a flood on 1, 2 and 4 workers', () => {
  for (const s of scripts) {
    it(s.name, async () => {
      const runs: RunResult[] = [];
      for (const w of [1, 2, 4]) runs.push(await runScript(s.text, { seed: 1, floodWorkers: w, snapshots: true, floodPool: pool }));
      expect(floodLine(runs[0]!)).not.toMatch(/workers/);
      if (s.workersUsed) {
        expect(floodLine(runs[1]!)).toMatch(/, 2 workers\)/);
        expect(floodLine(runs[2]!)).toMatch(/, 4 workers\)/);
      }
      const [one, two, four] = runs.map(comparable);
      expect(two).toBe(one);
      expect(four).toBe(one);
    });
  }

  it('a flood with more flows than the session table reports the same drops as one worker would', async () => {
    const r = await runScript([...NAT, 'flood web bing tcp/443 --packets 45000 --flows 20000 --workers 2'].join('\n'), { seed: 1, floodPool: pool });
    const out = floodLine(r);
    expect(out).toMatch(/dropped +[\d,]+ +NAT_TABLE_FULL/);
  });
});
