/**
 * The library never imports the CLI: `src/cli/` sits on top of the library (it prints what the
 * library returns), so no module under `src/` outside `src/cli/` may import from it.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const SRC = resolve(import.meta.dirname, '../../src');
const CLI = join(SRC, 'cli');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.ts$/.test(e.name) ? [p] : [];
  });
}

/** Every module specifier a file imports or re-exports, static or dynamic (`import()`). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

function isInside(dir: string, file: string): boolean {
  return file === dir || file.startsWith(dir + sep);
}

describe('the library and the CLI', () => {
  it('finds the library modules and reads their imports', () => {
    const files = sourceFiles(SRC);
    // The check below must look at real files: the entry and the transcript formatter are among them.
    expect(files.map((f) => relative(SRC, f))).toEqual(expect.arrayContaining(['index.ts', 'transcript.ts', join('cli', 'run.ts')]));
    expect(importsOf(join(SRC, 'cli', 'run.ts'))).toContain('../transcript.js');
  });

  it('no module under src/ outside src/cli/ imports src/cli/', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(SRC)) {
      if (isInside(CLI, file)) continue;
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        if (isInside(CLI, target)) offenders.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
