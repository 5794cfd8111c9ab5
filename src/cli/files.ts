/**
 * What the CLI lets a script read: a file a parsed command names (`docker compose -f FILE`),
 * relative to the script's folder, inside that folder or a folder named with `--allow-dir`, a
 * regular file (no folder, device or pipe) of at most 1 MiB. Links are followed before the check,
 * so a link cannot lead outside.
 */
import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { FileAnswer } from '../model/files.js';
import { MAX_SCRIPT_CHARS } from '../script/parser.js';

/** Largest file a script may name (a compose file is a few KiB). */
export const MAX_SCRIPT_FILE = 1 << 20;

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** A resolver for runScript's `readFile`: paths as written in the script, relative to `scriptDir`. */
export function scriptFileResolver(scriptDir: string, allowDirs: readonly string[] = []): (path: string) => FileAnswer {
  const roots = [scriptDir, ...allowDirs].map((d) => realOrNull(resolve(d))).filter((d): d is string => d !== null);
  return (written) => {
    // A script is written for Windows: `.\compose\app.yml` names compose/app.yml.
    const local = sep === '/' ? written.replace(/\\/g, '/') : written;
    const real = realOrNull(resolve(scriptDir, local));
    if (real === null) return { missing: true };
    if (!roots.some((r) => inside(r, real)))
      return { refused: `packet-path: ${written} is outside the script's folder; name its folder with --allow-dir DIR to read it` };
    const r = readRegularFile(real, MAX_SCRIPT_FILE);
    if (r === 'not-a-file') return { refused: `packet-path: ${written} is not a regular file` };
    return r === 'too-large' ? { refused: `packet-path: ${written} is larger than 1 MiB, the most a script's file may be` } : { text: r };
  };
}

/**
 * A regular file's text, read no further than `maxBytes` (a device such as /dev/zero never ends;
 * a folder or pipe is refused before it is opened, since opening a pipe waits for a writer).
 */
export function readRegularFile(path: string, maxBytes: number): string | 'not-a-file' | 'too-large' {
  if (!statSync(path).isFile()) return 'not-a-file';
  const fd = openSync(path, 'r');
  try {
    if (fstatSync(fd).size > maxBytes) return 'too-large';
    const buf = Buffer.alloc(maxBytes + 1);
    let n = 0;
    for (let got = 1; got > 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    return n > maxBytes ? 'too-large' : buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}

/** A script named on the command line: its text, or the message saying why it cannot be read. */
export function readScriptFile(path: string, maxChars: number): { text: string } | { error: string } {
  let text: string | 'not-a-file' | 'too-large';
  try {
    // A little over the parser's limit, so that a larger script gets the parser's refusal at line 1.
    text = readRegularFile(path, maxChars * 4 + 4);
  } catch (e) {
    return { error: `cannot read ${path}: ${(e as Error).message}` };
  }
  if (text === 'not-a-file' || text === 'too-large')
    return { error: `cannot read ${path}: ${text === 'not-a-file' ? 'not a regular file' : `larger than ${(maxChars * 4) >> 20} MiB; Packet Path runs scripts of up to ${maxChars >> 20} MiB`}` };
  return { text };
}

/**
 * A script named on the command line, opened for a command: its text, and the resolver for the files
 * its commands name (its folder and the `--allow-dir` folders). null, with the message said, when it
 * cannot be read (the command exits 2).
 */
export function openScript(cmd: string, file: string, allowDirs: readonly string[], err: (s: string) => void): { text: string; readFile: (path: string) => FileAnswer } | null {
  const read = readScriptFile(file, MAX_SCRIPT_CHARS);
  if ('error' in read) {
    err(`packet-path ${cmd}: ${read.error}`);
    return null;
  }
  return { text: read.text, readFile: scriptFileResolver(dirname(resolve(file)), allowDirs) };
}
