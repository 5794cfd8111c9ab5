/**
 * Hovers for `.pp` scripts: what a command or option does, quoting the seed document (which
 * drivers an option applies to, what Windows does not support), and where a name was defined.
 * Pure: returns Markdown, monaco.ts shows it.
 */
import { stripExpect, wordAt } from './context.js';
import { DRIVERS, findCmdlet, findCommand, findFlag, findOption, TOOLS } from './knowledge.js';
import type { DefinedNames } from './names.js';

export interface HoverText {
  markdown: string;
  line: number;
  start: number;
  end: number;
}

function optionApplies(drivers: string, driver: string): boolean {
  if (drivers.includes('except nat')) return driver !== 'nat';
  if (drivers.startsWith('all')) return true;
  return drivers.split(/[ ,()]+/).includes(driver);
}

export function hoverAt(text: string, line: number, column: number, defined: DefinedNames): HoverText | null {
  const at = wordAt(text, line, column);
  if (!at) return null;
  const words = stripExpect(at.command.words);
  const offset = at.command.words.length - words.length;
  const index = at.index - offset;
  const word = at.word;
  const range = { line: word.line, start: word.start, end: word.end };
  const value = word.value;
  const values = words.map((w) => w.value);

  if (index < 0) {
    const doc = findCommand([value]);
    return doc ? { markdown: `**${value}** — ${doc.doc}\n\n\`${doc.syntax}\``, ...range } : null;
  }

  // Driver option `-o com.docker.network.windowsshim.vlanid=11`
  if (value.toLowerCase().startsWith('com.docker.')) {
    const key = value.split('=')[0];
    const opt = findOption(key);
    if (!opt) return { markdown: `**${key}** — not a known Windows driver option.`, ...range };
    const driver = driverOf(values);
    const note = driver && !optionApplies(opt.drivers, driver) ? `\n\n⚠ This network's driver is **${driver}**: the option does not apply to it.` : '';
    return { markdown: `**${opt.key}**\n\nApplies to **${opt.drivers}** (seed).\n\n${opt.doc}${note}`, ...range };
  }

  const cmd = findCommand(values);
  if (value.startsWith('-')) {
    const cmdlet = findCmdlet(values[0] ?? '');
    if (cmdlet) return { markdown: `**${value}** — parameter of \`${cmdlet.name}\`.`, ...range };
    const flag = findFlag(cmd, value);
    if (!flag) return null;
    const unsupported = flag.unsupported ? `\n\n⚠ **Not supported on Windows.** ${flag.unsupported}` : '';
    const name = flag.short ? `${flag.name}, ${flag.short}` : flag.name;
    return { markdown: `**${name}**${flag.value ? ` \`${flag.value}\`` : ''} — ${flag.doc}${unsupported}`, ...range };
  }

  if (cmd && index < cmd.words.length) {
    return { markdown: `**${cmd.words.join(' ')}** — ${cmd.doc}\n\n\`${cmd.syntax}\``, ...range };
  }

  const cmdlet = findCmdlet(value);
  if (cmdlet) return { markdown: `**${cmdlet.name}** — ${cmdlet.doc}`, ...range };
  const tool = TOOLS.find((t) => t.name === value.toLowerCase());
  if (tool && index > 0) return { markdown: `**${tool.name}** — ${tool.doc}`, ...range };

  const prev = values[index - 1];
  if (prev === '-d' || prev === '--driver' || value.startsWith('--driver=')) {
    const d = DRIVERS.find((x) => x.name === value.replace('--driver=', ''));
    if (d) return { markdown: `**${d.name}** driver — ${d.doc}`, ...range };
  }

  const known = [
    ...defined.networks.map((n) => ({ ...n, what: 'network' })),
    ...defined.containers.map((n) => ({ ...n, what: 'container' })),
    ...defined.hosts.map((n) => ({ ...n, what: 'host' })),
    ...defined.clients.map((n) => ({ ...n, what: 'client' })),
    ...defined.services.map((n) => ({ ...n, what: 'service' })),
  ];
  const name = value.replace(/^https?:\/\//, '').split(/[/:]/)[0];
  const hit = known.find((n) => n.name === name);
  if (hit) return { markdown: `**${hit.name}** — ${hit.detail}${hit.line ? ` (defined on line ${hit.line})` : ''}`, ...range };
  return null;
}

function driverOf(values: string[]): string | undefined {
  for (let k = 0; k < values.length; k++) {
    if ((values[k] === '-d' || values[k] === '--driver') && values[k + 1]) return values[k + 1];
    if (values[k].startsWith('--driver=')) return values[k].slice(9);
  }
  return values[0] === 'docker' && values[1] === 'network' && values[2] === 'create' ? 'nat' : undefined;
}
