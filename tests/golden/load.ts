/**
 * Loads the golden frames of this folder: one frame per `<name>.hex` file, hex bytes separated
 * by white space, `#` starts a comment to the end of the line. Shared by the TypeScript wire
 * tests (wire.test.ts) and the data plane's parse-stage tests, so both read the same bytes.
 * The frames were made with Scapy (make-golden.py) and checked with tshark; see README.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = dirname(fileURLToPath(import.meta.url));

/** Names of all golden frames (file names without `.hex`), sorted. */
export function goldenNames(): string[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.hex'))
    .map((f) => f.slice(0, -'.hex'.length))
    .sort();
}

/** Parse the text of a .hex file; throws on anything but hex byte pairs and comments (a broken fixture). */
export function parseGoldenHex(text: string, name = '(text)'): Uint8Array {
  const out: number[] = [];
  text.split('\n').forEach((line, i) => {
    const code = line.replace(/#.*$/, '').trim();
    if (code === '') return;
    for (const tok of code.split(/\s+/)) {
      if (!/^[0-9a-fA-F]{2}$/.test(tok)) throw new Error(`${name}.hex line ${i + 1}: "${tok}" is not a hex byte`);
      out.push(parseInt(tok, 16));
    }
  });
  return Uint8Array.from(out);
}

/** The bytes of golden frame `name` (e.g. 'tcp_syn'), a fresh copy each call. */
export function loadGolden(name: string): Uint8Array {
  return parseGoldenHex(readFileSync(join(DIR, `${name}.hex`), 'utf8'), name);
}

/** The comment lines of golden frame `name` (its description and provenance), without the `# `. */
export function goldenComment(name: string): string[] {
  return readFileSync(join(DIR, `${name}.hex`), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('#'))
    .map((l) => l.replace(/^#\s?/, ''));
}
