/**
 * Helpers of the limits suite: run the built `packet-path` command in a child process with a time
 * bound (a hang is a failure, not a stuck test run), in a fresh folder of files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/packet-path.js');

/** The CLI is built (`npm run build`); the CLI tests need dist/. */
export const built = existsSync(join(ROOT, 'dist/src/cli/main.js'));

export interface CliRun {
  /** null when the process was killed at the time bound. */
  status: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs `packet-path ARGS` in `cwd`, killed after `timeoutMs` (and its output capped). */
export function cli(args: string[], cwd: string, timeoutMs = 30_000): CliRun {
  const p = spawnSync(process.execPath, ['--max-old-space-size=1024', BIN, ...args], {
    cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 << 20, killSignal: 'SIGKILL',
  });
  return { status: p.status, stdout: p.stdout ?? '', stderr: p.stderr ?? '', timedOut: p.signal === 'SIGKILL' };
}

/** A fresh folder with the given files (paths relative to it; a trailing `/` makes a folder). */
export function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pp-limits-'));
  for (const [name, text] of Object.entries(files)) {
    const p = join(dir, name);
    if (name.endsWith('/')) {
      mkdirSync(p, { recursive: true });
      continue;
    }
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}

/** Words of the implementation that must never reach a user (JavaScript errors, internal checks). */
export const INTERNAL_WORDING =
  /internal error|could not be simulated|is not a function|Cannot read propert|undefined|NaN|\brepr\b|a slot holds|bad IPv4|bad CIDR|RangeError|TypeError|    at /;
