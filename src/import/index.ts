/**
 * `importHost(texts)`: the outputs a user ran on a real Windows container host (`docker network
 * ls`, `docker network inspect`, `docker inspect`, `Get-HnsNetwork | ConvertTo-Json`,
 * `Get-HnsEndpoint | ConvertTo-Json`, `ipconfig /all`, `Get-NetNat`, `Get-VMSwitch`,
 * `Get-NetAdapter`, in any order, several in one text) → a script that rebuilds that host, with
 * what it could not map listed as comments at its top. Pure: no I/O, linear in the text.
 */
import { splitBlocks, type Block } from './blocks.js';
import { emptyFacts } from './facts.js';
import { readBlock, readOs, where, type SourceKind } from './readers.js';
import { buildScript } from './script.js';

export type { SourceKind } from './readers.js';

/** One recognised output. */
export interface ImportSource {
  kind: SourceKind;
  /** Which text (0-based) and the 1-based line where its block starts. */
  input: number;
  line: number;
  /** The command its prompt line showed, when the paste had one. */
  command: string | null;
}

export interface ImportResult {
  /** The rebuilt host as a Packet Path script (the unmapped items repeated as comments on top). */
  script: string;
  /** What could not be mapped, one sentence each. */
  unmapped: string[];
  /** Every output recognised, in the order read. */
  sources: ImportSource[];
}

/**
 * The most text an import reads: the script size limit (8 MiB, docs/behaviour.md, Limits), over
 * all texts together. A larger paste is refused with an error naming the limit.
 */
export const MAX_IMPORT_CHARS = 8 << 20;

export class ImportError extends Error {}

export function importHost(texts: string | readonly string[]): ImportResult {
  const list = typeof texts === 'string' ? [texts] : [...texts];
  const total = list.reduce((s, t) => s + t.length, 0);
  if (total > MAX_IMPORT_CHARS)
    throw new ImportError(`the pasted outputs are ${(total / 2 ** 20).toFixed(1)} MiB; packet-path import reads up to ${MAX_IMPORT_CHARS >> 20} MiB`);
  const facts = emptyFacts();
  const sources: ImportSource[] = [];
  // The OS first: it is read from any text (docker info, ver, systeminfo), not from one block kind.
  list.forEach((t, input) => {
    if (!facts.os && readOs(facts, t).length) sources.push({ kind: 'OS version', input, line: 1, command: null });
  });
  const hosts = new Set<string>();
  const blocks = splitBlocks(list, hosts);
  if (hosts.size > 1) facts.unmapped.push(`the outputs come from ${hosts.size} hosts (${[...hosts].join(', ')}) and were merged into one; import one host's outputs at a time`);
  // Docker's own outputs first, so HNS facts join networks and containers Docker named.
  const order = (b: Block) => (b.kind === 'json' && /"(NetworkSettings|IPAM)"/.test(b.text) ? 0 : b.kind === 'docker-network-ls' ? 1 : b.kind === 'json' ? 2 : 3);
  const sorted = blocks.map((b, i) => ({ b, i })).sort((x, y) => order(x.b) - order(y.b) || x.i - y.i);
  // Prompts whose output held something read: other text after them is not the command's output.
  const read = new Set<string>();
  const unread: Block[] = [];
  for (const { b } of sorted) {
    const at = where(b, list.length);
    // The OS commands were read above; a command that only printed an ID (docker run, docker
    // network create) says nothing more.
    const osCommand = /^(docker (info|version)|ver|systeminfo|winver)\b/i.test(b.command ?? '');
    const idOnly = /^\s*[0-9a-f]{64}\s*$/.test(b.text);
    if (osCommand || idOnly) continue;
    const kinds = readBlock(facts, b, at);
    for (const kind of kinds) sources.push({ kind, input: b.input, line: b.line, command: b.command });
    if (kinds.length) read.add(`${b.input}:${b.prompt}`);
    if (kinds.length === 0 && b.kind !== 'json' && b.kind !== 'hnsdiag') unread.push(b);
  }
  for (const b of unread) {
    const text = b.text.trim();
    const first = text.split('\n')[0]!.trim();
    const lines = `${text.split('\n').length} line(s) not recognised as an output Packet Path reads ("${first.length > 40 ? `${first.slice(0, 40)}…` : first}")`;
    const promptRead = b.prompt > 0 && read.has(`${b.input}:${b.prompt}`);
    facts.unmapped.push(b.command && !promptRead ? `${where(b, list.length)}: this command's output is not one Packet Path reads` : `${where({ ...b, command: null }, list.length)}: ${lines}`);
  }
  sources.sort((a, b) => a.input - b.input || a.line - b.line);
  const names = [...new Set(sources.map((s) => s.kind))];
  const { script, unmapped } = buildScript(facts, names);
  return { script, unmapped, sources };
}
