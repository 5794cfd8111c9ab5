/**
 * Renders a RunResult as a terminal transcript: PowerShell prompts, outputs, errors, hop lists. Part of
 * the library (the CLI prints it; the playground and tests use it too), so it lives outside src/cli/.
 */
import type { Hop, RunResult, Step } from './result.js';

export interface TranscriptOptions {
  /** Print the hop-by-hop path under every traffic command. */
  trace?: boolean;
}

function prompt(step: Step, multiHost: boolean): string {
  // A PowerShell remoting session shows the computer name in brackets; a script with several
  // hosts reads the same way.
  return multiHost && step.host ? `[${step.host}]: PS C:\\> ` : 'PS C:\\> ';
}

function fieldChanges(h: Hop): string {
  const keys = [...new Set([...Object.keys(h.before), ...Object.keys(h.after)])];
  return keys.map((k) => `${k} ${h.before[k] ?? '∅'} → ${h.after[k] ?? '∅'}`).join(', ');
}

export function formatHops(step: Step): string[] {
  const lines: string[] = [];
  for (const t of step.traces) {
    for (const p of t.packets) {
      const verdict = p.verdict === 'dropped' ? `dropped: ${p.dropReason ?? 'unknown reason'}` : p.verdict;
      lines.push(`  ┌ ${p.summary}  (${verdict})`);
      const rows = p.hops.map((h) => [h.host, h.at, h.stage, h.action, h.rule ?? '', fieldChanges(h)]);
      const widths = [0, 1, 2, 3].map((i) => Math.max(0, ...rows.map((r) => r[i].length)));
      rows.forEach((r, k) => {
        const lead = k === rows.length - 1 ? '  └ ' : '  │ ';
        const cols = [0, 1, 2, 3].map((i) => r[i].padEnd(widths[i])).join('  ');
        const extra = [r[4], r[5]].filter(Boolean).join('; ');
        lines.push((lead + cols + (extra ? '  ' + extra : '')).trimEnd());
      });
    }
  }
  return lines;
}

export function formatTranscript(result: RunResult, opts: TranscriptOptions = {}): string {
  const multiHost = new Set(result.steps.map((s) => s.host).filter(Boolean)).size > 1;
  const out: string[] = [];
  for (const d of result.diagnostics) {
    out.push(`${d.severity === 'error' ? 'error' : d.severity} at line ${d.line}, column ${d.column}: ${d.message}`);
  }
  if (result.diagnostics.length) out.push('');
  const failed = new Map(result.expectations.filter((e) => !e.ok).map((e) => [e.line, e]));
  for (const step of result.steps) {
    out.push(prompt(step, multiHost) + step.command);
    for (const w of step.warnings) out.push(`WARNING: ${w}`);
    if (step.output) out.push(step.output.replace(/\n+$/, ''));
    if (step.error) out.push(step.error.replace(/\n+$/, ''));
    // One push per line: a step of 20,000 traced pings has more lines than a spread's arguments may be.
    if (opts.trace) for (const l of formatHops(step)) out.push(l);
    const f = failed.get(step.line);
    if (f) out.push(`!! expectation on line ${f.line} did not hold${f.message ? `: ${f.message}` : ''}`);
    out.push('');
  }
  const held = result.expectations.filter((e) => e.ok).length;
  if (result.expectations.length) {
    out.push(`expectations: ${held} held, ${result.expectations.length - held} failed`);
  }
  return out.join('\n').replace(/\n+$/, '');
}
