/**
 * Names a script defines (networks, containers, hosts, clients, services), read from the real
 * parser's syntax tree (src/script/ast.ts), for completions and hovers.
 */
import type { Command, DockerCommand, Flag, Script, SimCommand } from '../../src/script/ast.js';

export interface NameInfo {
  name: string;
  line: number;
  /** Network driver, container network, client location... */
  detail: string;
}

export interface DefinedNames {
  networks: NameInfo[];
  containers: NameInfo[];
  hosts: NameInfo[];
  clients: NameInfo[];
  services: NameInfo[];
}

function flag(flags: Flag[], ...names: string[]): string | undefined {
  for (let k = flags.length - 1; k >= 0; k--) {
    const f = flags[k];
    if (names.includes(f.name) && typeof f.value === 'string') return f.value;
  }
  return undefined;
}

function add(list: NameInfo[], info: NameInfo): void {
  if (!info.name || list.some((n) => n.name === info.name)) return;
  list.push(info);
}

/** Names defined by commands that start before `beforeLine` (all of them when omitted). */
export function definedNames(script: Script | null, beforeLine = Infinity): DefinedNames {
  const out: DefinedNames = { networks: [], containers: [], hosts: [], clients: [], services: [] };
  add(out.networks, { name: 'nat', line: 0, detail: 'nat (default network)' });
  add(out.networks, { name: 'none', line: 0, detail: 'null' });
  if (!script) return out;
  for (const c of script.commands as Command[]) {
    if (c.line >= beforeLine) break;
    if (c.kind === 'sim') {
      const s = c as SimCommand;
      const name = s.args[0]?.value;
      if (s.verb === 'host' && name) add(out.hosts, { name, line: c.line, detail: `host (${flag(s.flags, 'os') ?? 'ws2019'})` });
      if (s.verb === 'client' && name && flag(s.flags, 'ip')) {
        const where = s.flags.some((f) => f.name === 'internet') ? 'internet' : 'LAN';
        add(out.clients, { name, line: c.line, detail: `client ${flag(s.flags, 'ip')} (${where})` });
      }
    } else if (c.kind === 'docker') {
      const d = c as DockerCommand;
      const path = d.path.join(' ');
      if (path === 'network create' && d.args[0]) {
        add(out.networks, { name: d.args[0].value, line: c.line, detail: `${flag(d.flags, 'driver', 'd') ?? 'nat'} network${flag(d.flags, 'subnet') ? ' ' + flag(d.flags, 'subnet') : ''}` });
      } else if (path === 'run') {
        const name = flag(d.flags, 'name');
        if (name) add(out.containers, { name, line: c.line, detail: `container on ${flag(d.flags, 'network', 'net') ?? 'nat'}${flag(d.flags, 'ip') ? ' ' + flag(d.flags, 'ip') : ''}` });
      } else if (path === 'service create') {
        const name = flag(d.flags, 'name');
        if (name) add(out.services, { name, line: c.line, detail: `service on ${flag(d.flags, 'network') ?? 'ingress'}` });
      }
    }
  }
  return out;
}
