/** Entry of the `packet-path` command line. Returns the process exit status. */
import { parseArgs } from 'node:util';
import { benchCommand } from './bench.js';
import { importCommand } from './import.js';
import { runCommand } from './run.js';
import { reachCommand, diffCommand } from './reach.js';
import { whyCommand } from './why.js';

const USAGE = `Usage:
  packet-path run FILE.pp [--json] [--trace] [--pcap OUT.pcap] [--seed N] [--flood-workers W]
                  [--allow-dir DIR]...
      Run a script of Windows container host commands; print the transcript (or one JSON
      document with --json). A line the parser rejects is a failed step where it stands.
      Exit 0 when every expect/expect-fail held and every line parsed, 1 when an expectation
      did not hold, 2 when the file cannot be read or a line was rejected. A command reads
      files (docker compose -f) from the script's folder, and from each folder named with
      --allow-dir. --flood-workers sets the workers of a flood that has no --workers (default:
      the cores, at most 8, and one for a flood under 500,000 packets).
  packet-path reach FILE.pp [--at LINE] [--from A,B] [--to C,D] [--ports tcp/80,udp/53,icmp] [--json]
      The reachability matrix: every container, host, client and the internet × every address,
      name and localhost × the ports (default icmp, tcp/80, tcp/443, udp/53 and the published
      ones), one probe of real packets per cell on the world as the script left it (at LINE).
      ✓ reachable, ✗ blocked (with the hop, rule and script line), ? no answer.
  packet-path why FILE.pp [--line N | --from A --to B --port icmp|tcp/N|udp/N] [--json] [--seed N] [--allow-dir DIR]...
      Why a line failed (default: the first expectation that did not hold, else the first failed
      step), or why B is not reachable from A (a matrix probe): the cause from the symptom back to
      the line that made the state, the evidence, and the fixes that a re-run of the edited script
      verified. Exit 0 with an answer, 2 when the file cannot be read or the request names nothing.
  packet-path diff A.pp B.pp [--json]
      What changed between two scripts: steps whose verdict or output changed, expectations that
      flipped, matrix cells that changed, and the first hop where each changed path parts.
      Exit 0 when nothing changed, 1 when something did.
  packet-path bench [--json] [--quick] [--only NAME[,NAME]] [--impl wasm|reference] [--compare OLD.json]
                    [--clock wall|cpu]
      Data-plane throughput: median of 5 timed runs per workload, WebAssembly and reference, with
      the harness's own cost per packet; --compare adds each workload's ratio to OLD (a --json output);
      --clock cpu times runs in this process's CPU time (a machine shared with other work).
  packet-path import FILE... [-o OUT.pp] [--json]
      Rebuild a real Windows container host from outputs run on it (docker network ls, docker
      network inspect, docker inspect, Get-HnsNetwork | ConvertTo-Json, Get-HnsEndpoint,
      ipconfig /all, Get-NetNat, Get-VMSwitch, Get-NetAdapter; English output, several in one
      file): print the script (or write it to OUT.pp), what could not be mapped listed at its top.
      Exit 0 when an output was recognised, 1 when none was, 2 when a file cannot be read.
`;

export async function main(argv: string[], out = (s: string) => process.stdout.write(s + '\n'), err = (s: string) => process.stderr.write(s + '\n')): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === 'bench') {
      const { values } = parseArgs({
        args: rest,
        options: {
          json: { type: 'boolean' }, quick: { type: 'boolean' }, only: { type: 'string' }, impl: { type: 'string' },
          compare: { type: 'string' }, clock: { type: 'string' },
        },
      });
      const impl = values.impl;
      if (impl !== undefined && impl !== 'wasm' && impl !== 'reference') {
        err(`packet-path bench: --impl takes wasm or reference, not ${impl}`);
        return 2;
      }
      const clock = values.clock;
      if (clock !== undefined && clock !== 'wall' && clock !== 'cpu') {
        err(`packet-path bench: --clock takes wall or cpu, not ${clock}`);
        return 2;
      }
      return await benchCommand({ json: !!values.json, quick: !!values.quick, only: values.only, impl, compare: values.compare, clock }, out, err);
    }
    if (cmd === 'run') {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          json: { type: 'boolean' }, trace: { type: 'boolean' }, pcap: { type: 'string' }, seed: { type: 'string' },
          'allow-dir': { type: 'string', multiple: true }, 'flood-workers': { type: 'string' },
        },
      });
      if (positionals.length !== 1) {
        err(USAGE);
        return 2;
      }
      const seed = values.seed === undefined ? undefined : Number(values.seed);
      if (seed !== undefined && !Number.isInteger(seed)) {
        err(`packet-path run: --seed takes an integer, not ${values.seed}`);
        return 2;
      }
      const fw = values['flood-workers'];
      const floodWorkers = fw === undefined ? undefined : Number(fw);
      if (floodWorkers !== undefined && !(Number.isInteger(floodWorkers) && floodWorkers >= 1 && floodWorkers <= 64)) {
        err(`packet-path run: --flood-workers takes an integer from 1 to 64, not ${fw}`);
        return 2;
      }
      return await runCommand({ file: positionals[0], json: !!values.json, trace: !!values.trace, pcap: values.pcap, seed, allowDirs: values['allow-dir'] ?? [], floodWorkers }, out, err);
    }
    if (cmd === 'import') {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { out: { type: 'string', short: 'o' }, json: { type: 'boolean' } },
      });
      if (positionals.length === 0) {
        err(USAGE);
        return 2;
      }
      return importCommand({ files: positionals, out: values.out, json: !!values.json }, out, err);
    }
    if (cmd === 'reach') {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          json: { type: 'boolean' }, at: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
          ports: { type: 'string' }, seed: { type: 'string' }, 'allow-dir': { type: 'string', multiple: true },
        },
      });
      if (positionals.length !== 1) {
        err(USAGE);
        return 2;
      }
      const at = values.at === undefined ? undefined : Number(values.at);
      if (at !== undefined && !(Number.isInteger(at) && at >= 1)) {
        err(`packet-path reach: --at takes a line number, not ${values.at}`);
        return 2;
      }
      const seed = intOption('reach', 'seed', values.seed, err);
      if (seed === null) return 2;
      const list = (v: string | undefined) => (v === undefined ? undefined : v.split(',').map((x) => x.trim()).filter(Boolean));
      return await reachCommand({ file: positionals[0], json: !!values.json, at, from: list(values.from), to: list(values.to), ports: list(values.ports), seed, allowDirs: values['allow-dir'] ?? [] }, out, err);
    }
    if (cmd === 'why') {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          json: { type: 'boolean' }, line: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, port: { type: 'string' },
          seed: { type: 'string' }, 'allow-dir': { type: 'string', multiple: true },
        },
      });
      const line = values.line === undefined ? undefined : Number(values.line);
      const seed = intOption('why', 'seed', values.seed, err);
      if (seed === null) return 2;
      const probeGiven = [values.from, values.to].filter((v) => v !== undefined).length;
      if (positionals.length !== 1 || (line !== undefined && !(Number.isInteger(line) && line > 0)) || probeGiven === 1 || (probeGiven === 2 && line !== undefined)) {
        err(`packet-path why: give FILE.pp and either --line N (a positive integer) or --from A --to B [--port icmp|tcp/N|udp/N]\n${USAGE}`);
        return 2;
      }
      const probe = probeGiven === 2 ? { from: values.from!, to: values.to!, port: values.port ?? 'icmp' } : undefined;
      return await whyCommand({ file: positionals[0], json: !!values.json, line, probe, seed, allowDirs: values['allow-dir'] ?? [] }, out, err);
    }
    if (cmd === 'diff') {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { json: { type: 'boolean' }, seed: { type: 'string' }, 'allow-dir': { type: 'string', multiple: true } },
      });
      if (positionals.length !== 2) {
        err(USAGE);
        return 2;
      }
      const seed = intOption('diff', 'seed', values.seed, err);
      if (seed === null) return 2;
      return await diffCommand({ a: positionals[0], b: positionals[1], json: !!values.json, seed, allowDirs: values['allow-dir'] ?? [] }, out, err);
    }
    if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      out(USAGE);
      return cmd === undefined ? 2 : 0;
    }
    err(`packet-path: unknown command "${cmd}"\n${USAGE}`);
    return 2;
  } catch (e) {
    if (e instanceof TypeError && /ERR_PARSE_ARGS/.test((e as NodeJS.ErrnoException).code ?? '')) {
      err(`packet-path: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

/** An integer option: undefined when absent, null (after a message) when not an integer. */
function intOption(cmd: string, name: string, v: string | undefined, err: (s: string) => void): number | undefined | null {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) {
    err(`packet-path ${cmd}: --${name} takes an integer, not ${v}`);
    return null;
  }
  return n;
}
