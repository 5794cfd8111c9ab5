/**
 * Completions for `.pp` scripts: commands, flags, `com.docker.network.windowsshim.*` keys, driver
 * names, and the networks, containers, hosts and clients the script has defined above the cursor.
 * What is offered is the vocabulary (src/vocabulary.ts): the parser's flags and the cmdlets and
 * tools the run simulates, so nothing offered is refused as unknown or "not simulated".
 * Pure (no Monaco): `complete()` returns items that monaco.ts turns into CompletionItems.
 */
import { cursorContext, stripExpect, type EditorWord } from './context.js';
import {
  CLIENT_TOOLS, CMDLET_VOCABULARY, CONTAINER_TOOLS, DOCKER_VOCABULARY, DRIVERS, DRIVER_OPTIONS, HOST_TOOLS, SCRIPT_LINES,
  driverOptionNote, findCmdlet, findCommand, optionDrivers, type VocabCommand, type VocabFlag, type VocabTool,
} from '../../src/vocabulary.js';
import type { DefinedNames } from './names.js';

export type ItemKind = 'keyword' | 'flag' | 'option' | 'driver' | 'network' | 'container' | 'host' | 'client' | 'cmdlet' | 'tool' | 'value';

export interface Item {
  label: string;
  kind: ItemKind;
  detail?: string;
  doc?: string;
  /** Text inserted (defaults to the label). */
  insert?: string;
}

const REPEATABLE = new Set(['list']);

function flagLabel(f: VocabFlag): string {
  return f.short ? `--${f.name}, -${f.short}` : `--${f.name}`;
}

function flagItems(flags: readonly VocabFlag[], used: Set<string>): Item[] {
  return flags
    .filter((f) => REPEATABLE.has(f.type) || !(used.has(`--${f.name}`) || (f.short !== undefined && used.has(`-${f.short}`))))
    .map((f) => ({
      label: flagLabel(f),
      kind: 'flag' as const,
      detail: (f.unsupported ? '⚠ not supported on Windows — ' : '') + (f.placeholder ? `--${f.name} ${f.placeholder}` : `--${f.name}`),
      doc: f.unsupported ? `${f.doc}\n\n**Windows:** ${f.unsupported.message}` : f.doc,
      insert: f.placeholder ? `--${f.name} ` : `--${f.name}`,
    }));
}

function names(list: { name: string; detail: string; line: number }[], kind: ItemKind): Item[] {
  return list.map((n) => ({ label: n.name, kind, detail: n.detail + (n.line ? ` — line ${n.line}` : '') }));
}

function optionItems(driver: string | undefined): Item[] {
  return DRIVER_OPTIONS.map((o) => {
    const warning = driver ? driverOptionNote(o.key, driver) : undefined;
    return {
      label: o.key,
      kind: 'option' as const,
      detail: `applies to ${optionDrivers(o)}${warning ? ` — not to ${driver}` : ''}`,
      doc: warning ? `${o.doc}\n\n**On ${driver}:** ${warning}` : o.doc,
      insert: `${o.key}=`,
    };
  });
}

function valueOfFlag(words: EditorWord[], ...flags: string[]): string | undefined {
  for (let k = 0; k < words.length; k++) {
    const w = words[k].value;
    for (const f of flags) {
      if (w === f && words[k + 1]) return words[k + 1].value;
      if (w.startsWith(f + '=')) return w.slice(f.length + 1);
    }
  }
  return undefined;
}

/** Completion items at a 1-based position. `names` are the names defined above the cursor. */
export function complete(text: string, line: number, column: number, defined: DefinedNames): Item[] {
  const ctx = cursorContext(text, line, column);
  const before = stripExpect(ctx.before.filter((w) => w.value !== '|'));
  const lastPipe = ctx.before.map((w) => w.value).lastIndexOf('|');
  const partial = ctx.partial;
  const words = before.map((w) => w.value);
  const first = words[0]?.toLowerCase();
  const prev = words[words.length - 1];
  const containers = names(defined.containers, 'container');
  const networks = names(defined.networks, 'network');
  const hosts = names(defined.hosts, 'host');
  const clients = names(defined.clients, 'client');

  // A PowerShell pipeline: after `|`, a cmdlet the run takes there.
  if (lastPipe >= 0 && lastPipe === ctx.before.length - 1) return cmdletItems('piped');

  if (words.length === 0) {
    return [
      ...SCRIPT_LINES.map((c) => ({ label: c.words[0]!, kind: 'keyword' as const, detail: c.usage, doc: c.doc })),
      commandItem(DOCKER_VOCABULARY),
      ...cmdletItems('alone'),
      ...HOST_TOOLS.filter((t) => t.name === 'reg').map((t) => ({ label: t.name, kind: 'tool' as const, detail: t.usage, doc: t.doc })),
    ];
  }

  // Values of flags.
  const driver = valueOfFlag(before, '-d', '--driver');
  const flagValue = (f: string) => prev === f || (partial.startsWith(f + '=') ? true : false);
  if (partial.startsWith('--driver=') || prev === '-d' || prev === '--driver') {
    if (first === 'docker') return DRIVERS.map((d) => ({ label: d.name, kind: 'driver' as const, doc: d.doc, insert: partial.startsWith('--driver=') ? `--driver=${d.name}` : d.name }));
  }
  if (prev === '-o' || prev === '--opt' || partial.startsWith('com.')) return optionItems(driver);
  if (flagValue('--network') || flagValue('--net')) {
    const eq = partial.includes('=') ? partial.slice(0, partial.indexOf('=') + 1) : '';
    return networks.map((n) => ({ ...n, insert: eq + n.label }));
  }

  const cmd = findCommand(words);
  const valueFlag = cmd && prev !== undefined ? findFlagWritten(cmd, prev) : undefined;
  if (first !== 'docker' && valueFlag?.values) return valueFlag.values.map((v) => ({ label: v, kind: 'value' as const, detail: valueFlag.placeholder }));
  const cmdletParam = cmdletParameterBefore(ctx.before, lastPipe);
  if (cmdletParam?.values) return cmdletParam.values.map((v) => ({ label: v, kind: 'value' as const }));

  if (first === 'docker') {
    const node = cmd ?? DOCKER_VOCABULARY;
    const used = new Set(words.filter((w) => w.startsWith('-')).map((w) => w.split('=')[0]!));
    if (node.children.length > 0 && !partial.startsWith('-')) return node.children.map(commandItem);
    const path = node.words.slice(1).join(' ');
    const positional = words.slice(writtenLength(words)).filter((w, k, arr) => !w.startsWith('-') && !(k > 0 && isValueFlag(node, arr[k - 1]!)));
    // After `docker exec C TOOL`, a dash starts the tool's option, not docker's.
    const inTool = (path === 'exec' || path === 'container exec') && positional.length >= 2;
    if (partial.startsWith('-') && !inTool) return flagItems(node.flags, used);
    if (path === 'exec' || path === 'container exec') {
      const tool = positional.length >= 2 ? CONTAINER_TOOLS.find((t) => t.name.toLowerCase() === positional[1]!.toLowerCase()) : undefined;
      if (tool && wantsOptions(tool, partial, words)) return toolOptionItems(tool);
      if (positional.length === 0) return containers;
      if (positional.length === 1) return CONTAINER_TOOLS.map((t) => ({ label: t.name, kind: 'tool' as const, detail: t.usage, doc: t.doc }));
      return targetItems(positional[1]!, defined);
    }
    if (['stop', 'start', 'rm', 'inspect', 'restart'].includes(path)) return containers;
    if (path === 'network inspect' || path === 'network rm') return networks;
    if (path === 'network connect' || path === 'network disconnect') return positional.length === 0 ? networks : containers;
    return [];
  }

  if (first === 'host') {
    if (partial.startsWith('-') || words.length >= 2) return flagItems(cmd!.flags, new Set(words));
    return hosts;
  }
  if (first === 'lan') return words.length === 1 ? [{ label: 'dhcp', kind: 'keyword', detail: cmd!.usage }] : [];
  if (first === 'client') {
    if (words.length === 1) return clients;
    if (partial.startsWith('-')) return flagItems(cmd!.flags, new Set(words));
    if (words.length === 2) return [
      ...CLIENT_TOOLS.map((t) => ({ label: t.name, kind: 'tool' as const, detail: t.usage, doc: t.doc })),
      { label: '--ip', kind: 'flag', insert: '--ip ', detail: 'declare the client: --ip IP [--internet]' },
    ];
    return targetItems(words[2]!, defined);
  }
  if (first === 'flood') {
    if (partial.startsWith('-')) return flagItems(cmd!.flags, new Set(words));
    if (words.length <= 2) return [...containers, ...clients, ...hosts];
    if (words.length === 3) return ['tcp/80', 'udp/53', 'icmp'].map((p) => ({ label: p, kind: 'value' as const, detail: 'PROTO[/PORT]' }));
    return flagItems(cmd!.flags, new Set(words));
  }
  const hostTool = HOST_TOOLS.find((t) => t.name === first?.replace(/\.exe$/, ''));
  if (hostTool) return wantsOptions(hostTool, partial, words) ? toolOptionItems(hostTool) : [];
  const cmdlet = findCmdlet(lastPipe >= 0 ? ctx.before[lastPipe + 1]?.value ?? '' : words[0]!);
  if (cmdlet) {
    if (cmdlet.name === 'Get-Service' && !partial.startsWith('-')) return [{ label: 'vfpext', kind: 'value' }];
    if (cmdlet.name === 'Restart-Service' && !partial.startsWith('-')) return ['hns', 'docker'].map((v) => ({ label: v, kind: 'value' as const }));
    return cmdlet.parameters.map((p) => ({ label: `-${p.name}`, kind: 'flag' as const, detail: p.type, ...(p.doc ? { doc: p.doc } : {}), insert: `-${p.name} ` }));
  }
  return [];
}

/** How many of the words name the docker command (`docker network create` → 3; aliases count). */
function writtenLength(words: string[]): number {
  let n = 1;
  let node: VocabCommand = DOCKER_VOCABULARY;
  for (const w of words.slice(1)) {
    const next = node.children.find((c) => c.words.at(-1) === w || findCommand(['docker', ...node.words.slice(1), w]) === c);
    if (!next) break;
    node = next;
    n++;
  }
  return n;
}

function findFlagWritten(cmd: VocabCommand, written: string): VocabFlag | undefined {
  if (written.startsWith('--')) return cmd.flags.find((f) => f.name === written.slice(2));
  return written.length === 2 && written.startsWith('-') ? cmd.flags.find((f) => f.short === written[1]) : undefined;
}

function isValueFlag(cmd: VocabCommand, word: string): boolean {
  if (!word.startsWith('-') || word.includes('=')) return false;
  const f = findFlagWritten(cmd, word);
  return f !== undefined && f.type !== 'bool';
}

/** The cmdlet parameter whose value is being typed (`-MacAddressSpoofing |`), when it has values. */
function cmdletParameterBefore(before: EditorWord[], lastPipe: number) {
  const head = before[lastPipe + 1]?.value;
  const last = before[before.length - 1]?.value;
  if (!head || !last?.startsWith('-') || before.length - 1 === lastPipe + 1) return undefined;
  const cmdlet = findCmdlet(head);
  const name = last.slice(1).toLowerCase();
  return cmdlet?.parameters.find((p) => p.name.toLowerCase() === name);
}

/** Whether the word being typed is a tool option: a switch (`-n`, `/all`), or netsh's `key=` after `rule`. */
function wantsOptions(tool: VocabTool, partial: string, words: string[]): boolean {
  if (/^[-/]/.test(partial)) return true;
  return tool.options.some((o) => /^\w+=$/.test(o.written)) && words.map((w) => w.toLowerCase()).includes('rule');
}

function toolOptionItems(tool: VocabTool): Item[] {
  return tool.options.map((o) => ({ label: o.written.trimEnd(), kind: 'flag' as const, detail: tool.usage, doc: o.doc, insert: o.written }));
}

function commandItem(cmd: VocabCommand): Item {
  const detail = cmd.simulated ? cmd.usage : `not simulated — ${cmd.usage}`;
  return { label: cmd.words.at(-1)!, kind: 'keyword', detail, doc: cmd.notSimulated ? `${cmd.doc}\n\n${cmd.notSimulated}` : cmd.doc };
}

function cmdletItems(where: 'alone' | 'piped'): Item[] {
  return CMDLET_VOCABULARY.filter((c) => c.runs === where || c.runs === 'both').map((c) => ({ label: c.name, kind: 'cmdlet' as const, doc: c.doc }));
}

function targetItems(tool: string, defined: DefinedNames): Item[] {
  const all = [...defined.containers, ...defined.services, ...defined.clients];
  if (tool === 'curl') return all.map((n) => ({ label: `http://${n.name}/`, kind: 'container' as const, detail: n.detail }));
  return all.map((n) => ({ label: n.name, kind: 'container' as const, detail: n.detail }));
}
