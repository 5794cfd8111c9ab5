/**
 * Diagnostics while typing: the real parser (src/script/) and the vocabulary's editor diagnostics
 * (src/vocabulary.ts: unsupported options and commands the run does not simulate, each with the
 * text the run prints). Never throws: a parser crash becomes one diagnostic on line 1.
 */
import { parseScript } from '../../src/script/index.js';
import { editorDiagnostics } from '../../src/vocabulary.js';
import type { Script } from '../../src/script/ast.js';
import type { Diagnostic } from '../../src/result.js';

export interface Analysis {
  script: Script | null;
  diagnostics: Diagnostic[];
}

export function analyse(text: string): Analysis {
  try {
    const script = parseScript(text);
    let hints: Diagnostic[] = [];
    try {
      hints = editorDiagnostics(script);
    } catch {
      hints = [];
    }
    const seen = new Set<string>();
    const diagnostics = [...script.diagnostics, ...hints].filter((d) => {
      const k = `${d.line}:${d.column}:${d.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    return { script, diagnostics };
  } catch (e) {
    return { script: null, diagnostics: [{ line: 1, column: 1, length: 1, severity: 'error', message: `the parser failed: ${e instanceof Error ? e.message : String(e)}`, code: 'parser-crash' }] };
  }
}
