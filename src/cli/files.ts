/**
 * What the CLI lets a script read: a file a parsed command names (`docker compose -f FILE`),
 * relative to the script's folder, inside that folder or a folder named with `--allow-dir`, a
 * regular file (no folder, device or pipe) of at most 1 MiB. Links are followed before the check,
 * so a link cannot lead outside.
 */
import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { FileAnswer } from '../model/files.js';

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
    // stat before open: opening a pipe would wait for a writer.
    if (!statSync(real).isFile()) return { refused: `packet-path: ${written} is not a regular file` };
    const text = readCapped(real);
    return text === null ? { refused: `packet-path: ${written} is larger than 1 MiB, the most a script's file may be` } : { text };
  };
}

/** The file's text, or null when it holds more than MAX_SCRIPT_FILE bytes (read no further). */
function readCapped(path: string): string | null {
  const fd = openSync(path, 'r');
  try {
    if (fstatSync(fd).size > MAX_SCRIPT_FILE) return null;
    const buf = Buffer.alloc(MAX_SCRIPT_FILE + 1);
    let n = 0;
    for (let got = 1; got > 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    return n > MAX_SCRIPT_FILE ? null : buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}
