/** `packet-path import FILE... [-o OUT.pp] [--json]`: a script rebuilding a real host from its pasted outputs. */
import { writeFileSync } from 'node:fs';
import { readRegularFile } from './files.js';
import { printable } from './printable.js';
import { importHost, ImportError, MAX_IMPORT_CHARS } from '../import/index.js';

export interface ImportArgs {
  files: string[];
  /** Where to write the script (stdout when absent). */
  out?: string;
  /** Print the whole result (script, unmapped, sources) as JSON. */
  json: boolean;
}

export function importCommand(args: ImportArgs, stdout: (s: string) => void, stderr: (s: string) => void): number {
  const err = (s: string): void => stderr(printable(s));
  const texts: string[] = [];
  for (const file of args.files) {
    let text: string | 'not-a-file' | 'too-large';
    try {
      text = readRegularFile(file, MAX_IMPORT_CHARS);
    } catch (e) {
      err(`packet-path import: cannot read ${file}: ${(e as Error).message}`);
      return 2;
    }
    if (text === 'not-a-file' || text === 'too-large') {
      err(`packet-path import: cannot read ${file}: ${text === 'not-a-file' ? 'not a regular file' : `larger than ${MAX_IMPORT_CHARS >> 20} MiB`}`);
      return 2;
    }
    texts.push(text);
  }
  let result;
  try {
    result = importHost(texts);
  } catch (e) {
    if (e instanceof ImportError) {
      err(`packet-path import: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (args.out) {
    try {
      writeFileSync(args.out, result.script);
    } catch (e) {
      err(`packet-path import: cannot write ${args.out}: ${(e as Error).message}`);
      return 2;
    }
  }
  if (args.json) stdout(JSON.stringify(result, null, 2));
  else if (!args.out) stdout(printable(result.script.replace(/\n$/, '')));
  else err(`packet-path import: wrote ${args.out} (${result.sources.length} outputs read, ${result.unmapped.length} not mapped)`);
  // Nothing recognised at all is a failure the caller should see.
  return result.sources.length ? 0 : 1;
}
