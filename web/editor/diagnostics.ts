/**
 * Diagnostics while typing: the real parser (src/script/) and its editor hints (options Windows
 * does not support). Never throws: a parser crash becomes one diagnostic on line 1.
 */
import { parseScript, scriptHints } from '../../src/script/index.js';
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
      hints = scriptHints(script);
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
