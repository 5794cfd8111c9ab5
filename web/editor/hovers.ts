/**
 * Hovers for `.pp` scripts: what a command, flag, cmdlet, tool or driver option does, and where a
 * name was defined. Everything comes from the vocabulary (src/vocabulary.ts), so a hover says what
 * the run does: an unsupported option shows the very text the run prints for it.
 * Pure: returns Markdown, monaco.ts shows it.
 */
import { stripExpect, wordAt } from './context.js';
import {
  CONTAINER_TOOLS, DRIVERS, HOST_TOOLS, driverOptionNote, findCmdlet, findCommand, findDriverOption, findFlag, optionDrivers,
  type VocabCommand, type VocabFlag,
} from '../../src/vocabulary.js';
import type { DefinedNames } from './names.js';

export interface HoverText {
  markdown: string;
  line: number;
  start: number;
  end: number;
}

function commandMarkdown(cmd: VocabCommand): string {
  return `**${cmd.words.join(' ')}** — ${cmd.doc}\n\n\`${cmd.usage}\``;
}

/** The values a flag has on the line (`--dns-search a --dns-search b` → a, b). */
function flagValues(values: string[], flag: VocabFlag): string[] {
  const names = [`--${flag.name}`, ...(flag.short ? [`-${flag.short}`] : [])];
  return values.flatMap((w, k) => {
    const eq = w.indexOf('=');
    if (eq > 0 && names.includes(w.slice(0, eq))) return [w.slice(eq + 1)];
    return names.includes(w) && values[k + 1] !== undefined ? [values[k + 1]!] : [];
  });
}

function flagMarkdown(flag: VocabFlag, values: string[]): string {
  const name = flag.short ? `--${flag.name}, -${flag.short}` : `--${flag.name}`;
  const u = flag.unsupported;
  const message = u?.messageFor(flagValues(values, flag), driverOf(values) ?? 'bridge');
  const note = u ? `\n\n⚠ **Not supported on Windows.** ${u.effect === 'refused' ? 'Refused' : 'Ignored, with a warning'}: ${message}` : '';
  return `**${name}**${flag.placeholder ? ` \`${flag.placeholder}\`` : ''} — ${flag.doc}${note}`;
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
    return doc ? { markdown: commandMarkdown(doc), ...range } : null;
  }

  // Driver option `-o com.docker.network.windowsshim.vlanid=11`
  if (value.toLowerCase().startsWith('com.docker.')) {
    const key = value.split('=')[0]!;
    const opt = findDriverOption(key);
    if (!opt) return { markdown: `**${key}** — not a known Windows driver option.`, ...range };
    const driver = driverOf(values);
    const warning = driver ? driverOptionNote(opt.key, driver) : undefined;
    const note = warning ? `\n\n⚠ On a **${driver}** network the option does not apply; the run warns: ${warning}` : '';
    return { markdown: `**${opt.key}**\n\nApplies to **${optionDrivers(opt)}** (seed).\n\n${opt.doc}${note}`, ...range };
  }

  const cmd = findCommand(values);
  if (value.startsWith('-')) {
    // The cmdlet of the pipeline element the parameter is in.
    const pipe = values.slice(0, index).lastIndexOf('|');
    const cmdlet = findCmdlet(values[pipe + 1] ?? '');
    if (cmdlet) {
      const lower = value.slice(1).split(':')[0]!.toLowerCase();
      const p = cmdlet.parameters.find((x) => x.name.toLowerCase() === lower);
      const doc = p?.doc ? ` ${p.doc}` : '';
      return { markdown: `**-${p?.name ?? value.slice(1)}**${p ? ` \`${p.type}\`` : ''} — parameter of \`${cmdlet.name}\`.${doc}`, ...range };
    }
    const flag = findFlag(cmd, value);
    return flag ? { markdown: flagMarkdown(flag, values), ...range } : null;
  }

  if (cmd && index < cmd.words.length) return { markdown: commandMarkdown(cmd), ...range };

  const cmdlet = findCmdlet(value);
  if (cmdlet) return { markdown: `**${cmdlet.name}** — ${cmdlet.doc}`, ...range };
  const tool = [...HOST_TOOLS, ...CONTAINER_TOOLS].find((t) => t.name.toLowerCase() === value.toLowerCase());
  if (tool && index > 0) return { markdown: `**${tool.name}** — ${tool.doc}\n\n\`${tool.usage}\``, ...range };

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
    if (values[k]!.startsWith('--driver=')) return values[k]!.slice(9);
  }
  return values[0] === 'docker' && values[1] === 'network' && values[2] === 'create' ? 'nat' : undefined;
}
