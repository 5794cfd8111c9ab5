/**
 * Editor hints that need no simulation: the options SPEC §3 lists as unsupported on Windows, and
 * commands Packet Path does not simulate. The model decides what really happens at run time (it
 * refuses or ignores with its own warning); these are the squiggles the editor can show at once.
 */
import type { Command, DockerCommand, Flag, Script } from './ast.js';
import type { Diagnostic } from '../result.js';
import { findCmdlet } from './powershell.js';

export interface UnsupportedOption {
  /** `DockerCommand.path` the option belongs to. */
  path: readonly string[];
  /** Long flag name (`internal`), or `opt encrypted` for the driver option. */
  flag: string;
  /** `ignored`: Docker on Windows accepts it and it has no effect; `refused`: the daemon errors. */
  effect: 'ignored' | 'refused' | 'unsupported';
  message: string;
}

/** SPEC §3's list (the seed's "unsupported features and network options"), with what Windows does. */
export const UNSUPPORTED_OPTIONS: readonly UnsupportedOption[] = [
  { path: ['run'], flag: 'link', effect: 'ignored', message: '--link has no effect on Windows: container links are not supported (Docker ignores them); use service discovery (container names) instead' },
  { path: ['run'], flag: 'ip6', effect: 'unsupported', message: '--ip6 is not supported on Windows: containers get no IPv6 address' },
  { path: ['run'], flag: 'dns-option', effect: 'unsupported', message: '--dns-option is not supported on Windows' },
  { path: ['run'], flag: 'dns-opt', effect: 'unsupported', message: '--dns-opt is not supported on Windows' },
  { path: ['run'], flag: 'dns-search', effect: 'unsupported', message: 'more than one --dns-search is not supported on Windows' },
  { path: ['network', 'create'], flag: 'aux-address', effect: 'ignored', message: '--aux-address has no effect on Windows: the windows IPAM driver ignores it' },
  { path: ['network', 'create'], flag: 'internal', effect: 'ignored', message: '--internal has no effect on Windows: the network still gets outside connectivity' },
  { path: ['network', 'create'], flag: 'ip-range', effect: 'refused', message: "--ip-range is not supported on Windows: the daemon answers \"this request is not supported by the 'windows' ipam driver\"" },
  { path: ['network', 'create'], flag: 'ipam-driver', effect: 'unsupported', message: '--ipam-driver is not supported on Windows' },
  { path: ['network', 'create'], flag: 'ipam-opt', effect: 'unsupported', message: '--ipam-opt is not supported on Windows' },
  { path: ['network', 'create'], flag: 'ipv6', effect: 'refused', message: "--ipv6 is not supported on Windows: the daemon answers \"this request is not supported by the 'windows' ipam driver\"" },
  { path: ['network', 'create'], flag: 'opt encrypted', effect: 'unsupported', message: 'data-plane encryption (--opt encrypted) is not supported on Windows' },
];

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function warn(f: { span: Flag['span'] }, message: string, code: string, severity: Diagnostic['severity'] = 'warning'): Diagnostic {
  return { line: f.span.line, column: f.span.column, length: f.span.length, severity, message, code };
}

function dockerHints(cmd: DockerCommand, out: Diagnostic[]): void {
  const rules = UNSUPPORTED_OPTIONS.filter((u) => same(u.path, cmd.path));
  if (rules.length === 0) return;
  let dnsSearch = 0;
  for (const f of cmd.flags) {
    if (f.name === 'dns-search' && same(cmd.path, ['run'])) {
      if (++dnsSearch === 2) out.push(warn(f, rules.find((r) => r.flag === 'dns-search')!.message, 'unsupported-option'));
      continue;
    }
    if ((f.name === 'opt') && typeof f.value === 'string' && /^encrypted(=|$)/.test(f.value)) {
      out.push(warn(f, rules.find((r) => r.flag === 'opt encrypted')!.message, 'unsupported-option'));
      continue;
    }
    if (f.name === 'ipv6' && f.value !== true) continue;
    const r = rules.find((x) => x.flag === f.name);
    if (r) out.push(warn(f, r.message, 'unsupported-option'));
  }
}

/**
 * Warnings and notes for the editor: unsupported options (SPEC §3) and commands Packet Path does
 * not simulate. Cheap: one pass over the parsed commands.
 */
export function scriptHints(script: Script): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (cmd: Command) => {
    switch (cmd.kind) {
      case 'docker':
        dockerHints(cmd, out);
        if (cmd.inner?.tool === 'other' && cmd.inner.name) {
          out.push(warn(cmd.inner.name, `'${cmd.inner.name.value}' is not a command Packet Path simulates inside a container`, 'unknown-command', 'info'));
        }
        break;
      case 'tool':
        if (cmd.tool === 'other' && cmd.name) {
          out.push(warn(cmd.name, `'${cmd.name.value}' is not a command Packet Path simulates; it fails like an unrecognised command`, 'unknown-command', 'info'));
        }
        break;
      case 'powershell':
        for (const c of cmd.pipeline) {
          if (!findCmdlet(c.name.value)) {
            out.push(warn(c.name, `'${c.name.value}' is not a cmdlet Packet Path simulates; it fails like an unrecognised command`, 'unknown-command', 'info'));
          }
        }
        break;
      default:
        break;
    }
  };
  for (const c of script.commands) visit(c);
  return out;
}
