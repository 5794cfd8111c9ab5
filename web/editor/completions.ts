/**
 * Completions for `.pp` scripts: commands, flags, `com.docker.network.windowsshim.*` keys, driver
 * names, and the networks, containers, hosts and clients the script has defined above the cursor.
 * Pure (no Monaco): `complete()` returns items that monaco.ts turns into CompletionItems.
 */
import { cursorContext, stripExpect, type EditorWord } from './context.js';
import { CMDLETS, COMMANDS, DRIVERS, DRIVER_OPTIONS, OS_PROFILES, TOOLS, findCmdlet, findCommand, type FlagDoc } from './knowledge.js';
import type { DefinedNames } from './names.js';
import { dockerFlags } from '../../src/script/index.js';

export type ItemKind = 'keyword' | 'flag' | 'option' | 'driver' | 'network' | 'container' | 'host' | 'client' | 'cmdlet' | 'tool' | 'value';

export interface Item {
  label: string;
  kind: ItemKind;
  detail?: string;
  doc?: string;
  /** Text inserted (defaults to the label). */
  insert?: string;
}

const TOP = ['host', 'lan', 'client', 'flood', 'docker', 'expect', 'expect-fail'];
const DOCKER_SUB: Record<string, string[]> = {
  '': ['network', 'run', 'exec', 'stop', 'start', 'rm', 'ps', 'inspect', 'swarm', 'service', 'compose'],
  network: ['create', 'ls', 'inspect', 'rm', 'connect', 'disconnect', 'prune'],
  swarm: ['init', 'join', 'leave'],
  service: ['create'],
};

function flagItems(flags: FlagDoc[], used: Set<string>): Item[] {
  return flags
    .filter((f) => f.name === '--opt' || f.name === '--publish' || !used.has(f.name))
    .map((f) => ({
      label: f.short ? `${f.name}, ${f.short}` : f.name,
      kind: 'flag' as const,
      detail: (f.unsupported ? '⚠ not supported on Windows — ' : '') + (f.value ? `${f.name} ${f.value}` : f.name),
      doc: f.unsupported ? `${f.doc}\n\n**Windows:** ${f.unsupported}` : f.doc,
      insert: f.value ? `${f.name} ` : f.name,
    }));
}

function names(list: { name: string; detail: string; line: number }[], kind: ItemKind): Item[] {
  return list.map((n) => ({ label: n.name, kind, detail: n.detail + (n.line ? ` — line ${n.line}` : '') }));
}

function optionItems(driver: string | undefined): Item[] {
  return DRIVER_OPTIONS.map((o) => {
    const applies = !driver || o.drivers.includes(driver) || (o.drivers.startsWith('all') && !(o.drivers.includes('except nat') && driver === 'nat'));
    return {
      label: o.key,
      kind: 'option' as const,
      detail: `applies to ${o.drivers}${applies ? '' : ` — not to ${driver}`}`,
      doc: o.doc,
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

  // A PowerShell pipeline: after `|`, a cmdlet.
  if (lastPipe >= 0 && lastPipe === ctx.before.length - 1) return cmdletItems();

  if (words.length === 0) {
    return [
      ...TOP.map((k) => ({ label: k, kind: 'keyword' as const, detail: COMMANDS.find((c) => c.words[0] === k)?.syntax, doc: COMMANDS.find((c) => c.words[0] === k)?.doc })),
      ...cmdletItems(),
      { label: 'reg', kind: 'tool' as const, detail: 'reg delete … DisabledComponents /f', doc: TOOLS.find((t) => t.name === 'reg')!.doc },
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
  if (prev === '--os') return OS_PROFILES.map((p) => ({ label: p, kind: 'value' as const, detail: 'OS profile' }));
  if (prev === '--mac-spoofing' || prev === '--ipv6') return ['on', 'off'].map((v) => ({ label: v, kind: 'value' as const }));
  if (prev === '-MacAddressSpoofing') return ['On', 'Off'].map((v) => ({ label: v, kind: 'value' as const }));

  if (first === 'docker') {
    const sub = words[1];
    if (words.length === 1) return DOCKER_SUB[''].map((s) => subItem(['docker', s]));
    if ((sub === 'network' || sub === 'swarm' || sub === 'service') && words.length === 2) return DOCKER_SUB[sub].map((s) => subItem(['docker', sub, s]));
    const cmd = findCommand(words);
    const used = new Set(words.filter((w) => w.startsWith('-')).map((w) => w.split('=')[0]));
    if (partial.startsWith('-')) return flagItems(dockerFlagDocs(cmd?.words.slice(1) ?? words.slice(1, 3), cmd?.flags ?? []), used);
    const path = cmd?.words.slice(1).join(' ');
    const positional = words.slice(cmd?.words.length ?? 1).filter((w, k, arr) => !w.startsWith('-') && !(k > 0 && isValueFlag(cmd?.flags ?? [], arr[k - 1])));
    if (path === 'exec') {
      if (positional.length === 0) return containers;
      if (positional.length === 1) return TOOLS.filter((t) => t.name !== 'reg').map((t) => ({ label: t.name, kind: 'tool' as const, doc: t.doc }));
      return targetItems(positional[1], defined);
    }
    if (path && ['stop', 'start', 'rm', 'inspect'].includes(path)) return containers;
    if (path === 'network inspect' || path === 'network rm') return networks;
    if (path === 'network connect' || path === 'network disconnect') return positional.length === 0 ? networks : containers;
    if (path === 'compose') return [{ label: '-f', kind: 'flag', insert: '-f ' }, { label: 'up', kind: 'keyword' }];
    return [];
  }

  if (first === 'host') {
    if (partial.startsWith('-') || words.length >= 2) return flagItems(COMMANDS[0].flags, new Set(words));
    return hosts;
  }
  if (first === 'lan') return words.length === 1 ? [{ label: 'dhcp', kind: 'keyword', detail: 'lan dhcp FIRST-LAST [--gateway IP]' }] : [];
  if (first === 'client') {
    if (words.length === 1) return clients;
    if (partial.startsWith('-')) return flagItems(findCommand(['client'])!.flags, new Set(words));
    if (words.length === 2) return [
      { label: 'curl', kind: 'tool', doc: TOOLS.find((t) => t.name === 'curl')!.doc },
      { label: 'ping', kind: 'tool', doc: TOOLS.find((t) => t.name === 'ping')!.doc },
      { label: '--ip', kind: 'flag', insert: '--ip ', detail: 'declare the client: --ip IP [--internet]' },
    ];
    return targetItems(words[2], defined);
  }
  if (first === 'flood') {
    if (partial.startsWith('-')) return flagItems(findCommand(['flood'])!.flags, new Set(words));
    if (words.length <= 2) return [...containers, ...clients, ...hosts];
    if (words.length === 3) return ['tcp/80', 'udp/53', 'icmp'].map((p) => ({ label: p, kind: 'value' as const, detail: 'PROTO[/PORT]' }));
    return flagItems(findCommand(['flood'])!.flags, new Set(words));
  }
  const cmdlet = findCmdlet(lastPipe >= 0 ? ctx.before[lastPipe + 1]?.value ?? '' : words[0]);
  if (cmdlet) {
    if (/^get-service$/i.test(cmdlet.name) && !partial.startsWith('-')) return [{ label: 'vfpext', kind: 'value' }];
    if (/^restart-service$/i.test(cmdlet.name) && !partial.startsWith('-')) return ['hns', 'docker'].map((v) => ({ label: v, kind: 'value' as const }));
    return cmdlet.params.map((p) => ({ label: p, kind: 'flag' as const, insert: p + ' ' }));
  }
  return [];
}

/**
 * The flags of a docker command: the parser's own table (so completions offer exactly what the parser
 * accepts), with the seed's explanations where knowledge.ts has them.
 */
function dockerFlagDocs(path: string[], docs: FlagDoc[]): FlagDoc[] {
  const real = dockerFlags(path);
  if (!real.length) return docs;
  return real.map((f) => {
    const long = `--${f.name}`;
    const mine = docs.find((d) => d.name === long);
    return {
      name: long,
      short: f.short ? `-${f.short}` : undefined,
      value: f.type === 'bool' ? undefined : mine?.value ?? f.type.toUpperCase(),
      doc: mine?.doc ?? f.description,
      unsupported: mine?.unsupported,
    };
  });
}

function isValueFlag(flags: FlagDoc[], word: string): boolean {
  if (!word.startsWith('-') || word.includes('=')) return false;
  const f = flags.find((x) => x.name === word || x.short === word);
  return !!f?.value;
}

function subItem(words: string[]): Item {
  const cmd = COMMANDS.find((c) => c.words.join(' ') === words.join(' '));
  return { label: words[words.length - 1], kind: 'keyword', detail: cmd?.syntax, doc: cmd?.doc };
}

function cmdletItems(): Item[] {
  return CMDLETS.map((c) => ({ label: c.name, kind: 'cmdlet' as const, doc: c.doc }));
}

function targetItems(tool: string, defined: DefinedNames): Item[] {
  const all = [...defined.containers, ...defined.services, ...defined.clients];
  if (tool === 'curl') return all.map((n) => ({ label: `http://${n.name}/`, kind: 'container' as const, detail: n.detail }));
  return all.map((n) => ({ label: n.name, kind: 'container' as const, detail: n.detail }));
}
