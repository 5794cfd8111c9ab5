/** `packet-path why FILE.pp [--line N | --from A --to B --port P] [--json] [--seed N] [--allow-dir DIR]...` */
import { openScript } from './files.js';
import { printable } from './printable.js';
import '../index.js';
import { why, type WhyProbe, type WhyResult } from '../analysis/why.js';
import type { ScriptEdit } from '../analysis/fixes.js';

export interface WhyArgs {
  file: string;
  json: boolean;
  line?: number;
  probe?: WhyProbe;
  seed?: number;
  allowDirs?: string[];
}

function formatEdit(e: ScriptEdit): string[] {
  if (e.kind === 'insert') return e.lines.map((l) => `       + before line ${e.before}: ${l}`);
  if (e.kind === 'delete') return [`       - line ${e.line}: ${e.was}`];
  return [`       - line ${e.line}: ${e.was}`, `       + line ${e.line}: ${e.text}`];
}

/** The answer as a terminal reads it. */
export function formatWhy(r: WhyResult): string {
  if (!r.target) return `Nothing to explain: ${r.message ?? ''}`;
  const probe = r.probe ? ` (probe ${r.probe.from} → ${r.probe.to} ${r.probe.port}, after the last line)` : '';
  const out = [r.probe ? `Why ${r.probe.to} is not reachable from ${r.probe.from} on ${r.probe.port}: ${r.target.command}${probe}` : `Why line ${r.target.line} failed: ${r.target.command}`, `  symptom: ${r.target.symptom}`, '', 'Cause (from the symptom back to the root):'];
  r.causes.forEach((c, i) => out.push(`  ${i + 1}. ${c.line ? `line ${c.line}: ` : ''}${c.text}${i === r.causes.length - 1 ? `  [${c.id}; ${c.source}]` : ''}`));
  if (r.evidence.length) {
    out.push('', 'Evidence:');
    for (const e of r.evidence) out.push(`  - ${e.line ? `line ${e.line}: ` : ''}${e.text}`);
  }
  out.push('', r.fixes.length ? 'Verified fixes (each applied to a copy of the script and re-run):' : 'No verified fix.');
  r.fixes.forEach((f, i) => out.push(`  ${i + 1}. ${f.title}`, ...f.edits.flatMap(formatEdit)));
  if (r.rejected.length) {
    out.push('', 'Not offered:');
    for (const f of r.rejected) out.push(`  - ${f.title}: ${f.reason}`);
  }
  return out.join('\n');
}

export async function whyCommand(args: WhyArgs, stdout: (s: string) => void, stderr: (s: string) => void): Promise<number> {
  const out = (s: string): void => stdout(args.json ? s : printable(s));
  const err = (s: string): void => stderr(printable(s));
  const script = openScript('why', args.file, args.allowDirs ?? [], err);
  if (!script) return 2;
  const { text, readFile } = script;
  const result = await why(text, { seed: args.seed, readFile, line: args.line, probe: args.probe });
  if (result.status === 'invalid') {
    if (args.json) out(JSON.stringify(result, null, 2));
    else err(`packet-path why: ${result.message}`);
    return 2;
  }
  out(args.json ? JSON.stringify(result, null, 2) : formatWhy(result));
  return 0;
}
