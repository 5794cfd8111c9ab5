/** `packet-path run FILE.pp [--json] [--trace] [--pcap OUT.pcap] [--seed N] [--flood-workers W] [--allow-dir DIR]...` */
import { writeFileSync } from 'node:fs';
import { openScript } from './files.js';
import { printable } from './printable.js';
import { runScript } from '../index.js';
import { formatTranscript } from '../transcript.js';
import { pcapOfRun } from '../engine/pcap.js';
import type { RunResult } from '../result.js';

export interface RunArgs {
  file: string;
  json: boolean;
  trace: boolean;
  pcap?: string;
  seed?: number;
  /** More folders the script's commands may read files from (`--allow-dir`). */
  allowDirs?: string[];
  /** Workers of a flood that does not say `--workers` (`--flood-workers`). */
  floodWorkers?: number;
}

export async function runCommand(args: RunArgs, stdout: (s: string) => void, stderr: (s: string) => void): Promise<number> {
  // JSON escapes control characters itself; a transcript and messages go to a terminal as they are.
  const out = (s: string): void => stdout(args.json ? s : printable(s));
  const err = (s: string): void => stderr(printable(s));
  const script = openScript('run', args.file, args.allowDirs ?? [], err);
  if (!script) return 2;
  const { text, readFile } = script;
  const result = await runScript(text, { seed: args.seed, trace: true, readFile, capture: !!args.pcap, floodWorkers: args.floodWorkers });
  if (args.json) out(JSON.stringify(result, null, 2));
  else out(formatTranscript(result, { trace: args.trace }));
  if (args.pcap) {
    try {
      writeFileSync(args.pcap, pcapOfRun(result));
    } catch (e) {
      err(`packet-path run: cannot write ${args.pcap}: ${(e as Error).message}`);
      return 2;
    }
  }
  // SPEC §5: a rejected line makes the status 2, whatever the expectations say.
  const rejected = result.steps.filter((s) => s.rejected).map((s) => s.line);
  if (rejected.length || result.diagnostics.some((d) => d.severity === 'error')) {
    const where = rejected.length ? `rejected line${rejected.length === 1 ? '' : 's'} ${rejected.join(', ')}` : 'errors';
    if (!args.json) err(`packet-path run: ${args.file}: ${where} (see above)`);
    return 2;
  }
  return result.expectations.every((e) => e.ok) ? 0 : 1;
}
