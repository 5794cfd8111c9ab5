#!/usr/bin/env node
// Scale figures: the cost of a script as it grows, in hosts (10 containers each) and in containers
// (on 10 hosts). Each case runs in a child process of its own so that its peak RSS is its own:
//   model   parse + every command against the model (no data plane)
//   run     runScript end to end: the script, then a ping from c0 to the host's last container on
//           the first and on the last host (tables derived lazily for the hosts traffic reaches)
//   tables  the model, then every host's and the LAN's tables derived, compiled and loaded
// Run after `npm run build`: node scripts/scale.mjs [--quick] [--json]   (--quick: the two smaller
// rows of each axis)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const self = fileURLToPath(import.meta.url);
const dist = new URL('../dist/src/', import.meta.url).href;

/** `hosts` hosts with `per` containers each on the /16 LAN; a ping from c0 to the last container on the first and the last host. */
export function script(hosts, per) {
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

/** A case still running after this long is stopped and reported as such. */
const CASE_TIMEOUT_MS = 10 * 60 * 1000;

const cpuMs = (u) => Math.round((u.user + u.system) / 1000);

/** One measurement, in this process (a child): prints one JSON line. */
async function child(mode, hosts, per) {
  const text = script(hosts, per);
  const out = { mode, hosts, containers: hosts * per, lines: text.split('\n').length - 1 };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  if (mode === 'run') {
    const { runScript } = await import(`${dist}index.js`);
    const r = await runScript(text, { seed: 1, trace: false });
    out.failed = r.steps.filter((s) => !s.ok && !s.command.includes('ping')).length;
    out.pings = r.steps.filter((s) => s.command.includes('ping')).map((s) => (s.ok ? 'ok' : (s.error || s.output).split('\n').find((l) => l.trim()).trim().slice(0, 70)));
  } else {
    const { parseScript } = await import(`${dist}script/parser.js`);
    const { createWorld, execute, resolveName } = await import(`${dist}model/index.js`);
    const world = createWorld({ seed: 1 });
    out.failed = 0;
    for (const cmd of parseScript(text).commands) if (!execute(world, cmd).ok) out.failed++;
    if (mode === 'tables') {
      out.modelMs = Math.round(performance.now() - t0);
      const { SimSession } = await import(`${dist}sim/session.js`);
      const { loadWasmCore } = await import(`${dist}engine/load-node.js`);
      const sim = new SimSession(world, () => loadWasmCore({ slots: 256, traceCapacity: 8192 }), resolveName);
      await sim.sync(world);
      for (const h of world.hosts) sim.planeContents(h.name);
      sim.lanPlan();
      out.derived = sim.derivations;
    }
  }
  out.ms = Math.round(performance.now() - t0);
  out.cpuMs = cpuMs(process.cpuUsage(c0));
  out.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify(out));
}

function measure(mode, hosts, per) {
  const r = spawnSync(process.execPath, [self, '--child', mode, String(hosts), String(per)], { encoding: 'utf8', maxBuffer: 1 << 24, timeout: CASE_TIMEOUT_MS });
  if (r.error?.code === 'ETIMEDOUT' || r.signal) return { mode, hosts, containers: hosts * per, error: `stopped after ${CASE_TIMEOUT_MS / 60000} min of wall time` };
  const line = r.stdout.trim().split('\n').at(-1);
  try {
    return JSON.parse(line);
  } catch {
    return { mode, hosts, containers: hosts * per, error: (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').slice(-3).join(' ') };
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await child(args[1], Number(args[2]), Number(args[3]));
} else {
  const quick = args.includes('--quick');
  const json = args.includes('--json');
  // Hosts: 10 / 100 / 1,000 with 10 containers each; containers: 100 / 1,000 / 10,000 on 10 hosts.
  const cases = quick ? [[10, 10], [100, 10], [10, 100]] : [[10, 10], [100, 10], [1000, 10], [10, 100], [10, 1000]];
  const rows = [];
  for (const [hosts, per] of cases) {
    const row = { hosts, containers: hosts * per };
    for (const mode of ['model', 'run', 'tables']) row[mode] = measure(mode, hosts, per);
    rows.push(row);
    if (json) console.log(JSON.stringify(row));
  }
  if (!json) {
    const s = (x) => (x.error ? x.error.slice(0, 80) : `${(x.ms / 1000).toFixed(2)} s (CPU ${(x.cpuMs / 1000).toFixed(2)} s), ${x.peakRssMiB} MiB`);
    console.log('| Script | Lines | Model (parse + commands) | Run: script → a ping on the first and last host | Pings | All tables ready |');
    console.log('|---|---|---|---|---|---|');
    for (const r of rows) {
      const pings = r.run.pings ? [...new Set(r.run.pings)].join(' / ') : '';
      console.log(`| ${r.hosts.toLocaleString('en')} hosts × ${(r.containers / r.hosts).toLocaleString('en')} containers | ${(r.model.lines ?? 0).toLocaleString('en')} | ${s(r.model)} | ${s(r.run)} | ${pings} | ${s(r.tables)} |`);
    }
  }
}
