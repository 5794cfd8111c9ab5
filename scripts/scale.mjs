#!/usr/bin/env node
// Scale figures: the cost of a script as it grows (hosts, containers, one published port range),
// the model alone (parse + every command) and end to end (runScript, tables ready, a ping on the
// first and last host), for hosts <= 100. Run after `npm run build`: node scripts/scale.mjs [--model-only] [--quick]
import { performance } from 'node:perf_hooks';
import { parseScript } from '../dist/src/script/parser.js';
import { createWorld, execute } from '../dist/src/model/index.js';
import { runScript } from '../dist/src/index.js';

const modelOnly = process.argv.includes('--model-only');
const quick = process.argv.includes('--quick');

/** `hosts` hosts with `per` containers each, on the /16 LAN; a ping from the first container to the last on the first and the last host. */
function script(hosts, per) {
  const lines = [];
  for (let h = 0; h < hosts; h++) {
    lines.push(`host h${h} --ip 10.0.${Math.floor(h / 250)}.${(h % 250) + 2}/16 --gateway 10.0.255.254`);
    // A nat network holds 4,094 addresses and 4,095 MACs: a new network every 2,000 containers.
    for (let c = 0; c < per; c++) {
      if (c % 2000 === 0) lines.push(`docker network create -d nat app${c / 2000}`);
      lines.push(`docker run -d --name c${c} --network app${Math.floor(c / 2000)} img`);
    }
  }
  for (const h of new Set([0, hosts - 1])) lines.push(`host h${h}`, `docker exec c0 ping -n 1 c${per - 1}`);
  return lines.join('\n') + '\n';
}

function rss() {
  return process.memoryUsage().rss / 2 ** 20;
}

async function measure(hosts, per) {
  const text = script(hosts, per);
  global.gc?.();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const parsed = parseScript(text);
  const world = createWorld({ seed: 1 });
  let failed = 0;
  for (const cmd of parsed.commands) if (!execute(world, cmd).ok) failed++;
  const model = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  // CPU time as well as wall time: on a shared machine the wall time says more about the neighbours.
  const row = { hosts, containers: hosts * per, lines: parsed.commands.length, modelMs: Math.round(model), modelCpuMs: Math.round((cpu.user + cpu.system) / 1000), modelFailed: failed };
  // End to end only where the data planes fit this machine (one 4.4 MB plane per host today).
  if (!modelOnly && hosts <= 100) {
    const t1 = performance.now();
    let peak = rss();
    const timer = setInterval(() => (peak = Math.max(peak, rss())), 20);
    const r = await runScript(text, { seed: 1, trace: false });
    clearInterval(timer);
    peak = Math.max(peak, rss());
    row.e2eMs = Math.round(performance.now() - t1);
    row.peakRssMiB = Math.round(peak);
    row.pings = r.steps.filter((s) => s.command.includes('ping')).map((s) => (s.ok ? 'ok' : (s.error ?? s.output).split('\n')[0].slice(0, 60))).join(' | ');
  }
  return row;
}

const cases = quick
  ? [[10, 10], [100, 10], [1, 100], [1, 1000]]
  : [[10, 10], [100, 10], [1000, 10], [1, 100], [1, 1000], [1, 10000], [10, 1000]];
for (const [h, c] of cases) console.log(JSON.stringify(await measure(h, c)));
