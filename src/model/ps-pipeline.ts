/**
 * PowerShell's object pipeline over the objects a cmdlet emits: `| Where-Object`, `| Select-Object`,
 * `| Sort-Object`, `| Format-List`, `| Format-Table`, `| ConvertTo-Json [-Depth N]`, and the default
 * view when the pipeline ends without a formatter (the cmdlet's own table or list view; an object
 * Select-Object made is a table up to four properties, a list from five, as PowerShell's
 * formatter decides). Windows PowerShell 5.1 is the shell of every profile, so ConvertTo-Json
 * prints its layout: `"Key":  value` (two spaces) with nested values indented under their key.
 */
import type { Cmdlet } from '../script/ast.js';
import { findCmdlet } from '../script/powershell.js';
import { objectStageNotSimulated } from './answers.js';
import { fail } from './errors.js';
import { psList, psTable, type PsColumn } from './format.js';

export type PsValue = string | number | boolean | null | PsValue[] | PsRecord;

/** A nested object (`@{Id=...; Name=...}` in a list, an object in JSON). */
export interface PsRecord {
  record: [string, PsValue][];
}

/** One object a cmdlet emits: its properties in order and the view PowerShell's format files give it. */
export interface PsObject {
  props: [string, PsValue][];
  /** The default table view (labels are property names); absent = the default list view. */
  table?: PsColumn[];
  /** Properties the default list view shows (absent = all). */
  list?: string[];
  /**
   * A CIM instance or .NET object of which only the properties its views show are modelled (its
   * class name): what needs all of them (ConvertTo-Json, Format-List *) is refused until
   * Select-Object picks properties, rather than printed short.
   */
  partial?: string;
  /**
   * Properties whose values are enum names (AddressFamily `IPv4`): ConvertTo-Json prints an enum as
   * its number, which Packet Path does not model, so JSON of them is refused (after Select-Object too).
   */
  enums?: readonly string[];
}

export const rec = (record: [string, PsValue][]): PsRecord => ({ record });

function isRecord(v: PsValue): v is PsRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as a list or table cell shows it: arrays `{a, b}`, records `@{k=v; ...}`. */
export function psText(v: PsValue): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return '{' + v.map(psText).join(', ') + '}';
  // An empty object prints as nothing (HNS's `AdditionalParams :`).
  if (!v.record.length) return '';
  return '@{' + v.record.map(([k, x]) => `${k}=${psText(x)}`).join('; ') + '}';
}

function prop(o: PsObject, name: string): PsValue | undefined {
  const p = o.props.find(([k]) => k.toLowerCase() === name.toLowerCase());
  return p ? p[1] : undefined;
}

/** PowerShell's -like wildcards (`*`, `?`), case-insensitive. */
function wildcard(pattern: string): RegExp {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i');
}

/** Property names a Select-Object / Format-* argument names (`a,b`, `a, b`, wildcards), in the objects' order. */
function selectNames(objects: PsObject[], words: string[]): string[] {
  const wanted = words.flatMap((w) => w.split(',')).map((w) => w.trim()).filter(Boolean);
  const all: string[] = [];
  for (const o of objects) for (const [k] of o.props) if (!all.includes(k)) all.push(k);
  const out: string[] = [];
  for (const w of wanted) {
    if (/[*?]/.test(w)) for (const k of all.filter((k) => wildcard(w).test(k))) { if (!out.includes(k)) out.push(k); }
    else out.push(all.find((k) => k.toLowerCase() === w.toLowerCase()) ?? w);
  }
  return out;
}

// ---- Where-Object ----------------------------------------------------------------------------

const OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'like', 'notlike', 'match', 'notmatch', 'contains', 'notcontains'] as const;
type Operator = (typeof OPERATORS)[number];

function literal(s: string): PsValue {
  const t = s.trim();
  if (/^'.*'$|^".*"$/.test(t)) return t.slice(1, -1);
  if (/^\$true$/i.test(t)) return true;
  if (/^\$false$/i.test(t)) return false;
  if (/^\$null$/i.test(t)) return null;
  if (/^-?\d+$/.test(t)) return Number(t);
  return t;
}

function compare(left: PsValue | undefined, op: Operator, right: PsValue): boolean {
  if (Array.isArray(left)) {
    if (op === 'contains' || op === 'notcontains') {
      const has = left.some((x) => compare(x, 'eq', right));
      return op === 'contains' ? has : !has;
    }
    // A collection on the left filters: the condition holds when any element matches.
    return left.some((x) => compare(x, op, right));
  }
  const l = left === undefined || left === null ? null : left;
  const num = (v: PsValue | null): number | null => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : null);
  const ls = l === null ? '' : psText(l);
  const rs = right === null ? '' : psText(right);
  const ln = num(l);
  const rn = num(right);
  const cmp = ln !== null && rn !== null ? Math.sign(ln - rn) : ls.toLowerCase().localeCompare(rs.toLowerCase());
  switch (op) {
    case 'eq': return right === null ? l === null || ls === '' : ln !== null && rn !== null ? ln === rn : ls.toLowerCase() === rs.toLowerCase();
    case 'ne': return !compare(left, 'eq', right);
    case 'gt': return cmp > 0;
    case 'ge': return cmp >= 0;
    case 'lt': return cmp < 0;
    case 'le': return cmp <= 0;
    case 'like': return wildcard(rs).test(ls);
    case 'notlike': return !wildcard(rs).test(ls);
    case 'match': return new RegExp(rs, 'i').test(ls);
    case 'notmatch': return !new RegExp(rs, 'i').test(ls);
    case 'contains': return ls.toLowerCase() === rs.toLowerCase();
    case 'notcontains': return ls.toLowerCase() !== rs.toLowerCase();
  }
}

const WHERE_FORMS = "Packet Path evaluates Where-Object as `Where-Object Property -op Value` or `{ $_.Property -op 'Value' [-and|-or ...] }` with -eq -ne -gt -ge -lt -le -like -notlike -match -notmatch -contains";

/** A script block's condition: clauses `$_.Prop -op value` (or `$_.Prop` alone) joined by -and / -or, left to right. */
function scriptBlockFilter(block: string): (o: PsObject) => boolean {
  const body = block.trim().replace(/^\{/, '').replace(/\}$/, '').trim();
  const parts = body.split(/\s+-(and|or)\s+/i);
  const clauses: ((o: PsObject) => boolean)[] = [];
  const joins: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 1) { joins.push(parts[i]!.toLowerCase()); continue; }
    const m = /^\$_\.([A-Za-z_][\w]*)(?:\s+-([a-z]+)\s+(.+))?$/i.exec(parts[i]!.trim());
    if (!m) fail(`Where-Object : ${WHERE_FORMS} (got ${block.trim()}).`);
    const name = m[1]!;
    if (m[2] === undefined) { clauses.push((o) => { const v = prop(o, name); return v !== undefined && v !== null && v !== false && v !== '' && v !== 0; }); continue; }
    const op = m[2].toLowerCase() as Operator;
    if (!OPERATORS.includes(op)) fail(`Where-Object : ${WHERE_FORMS} (got -${m[2]}).`);
    const value = literal(m[3]!);
    clauses.push((o) => compare(prop(o, name), op, value));
  }
  return (o) => {
    let r = clauses[0]!(o);
    for (let i = 0; i < joins.length; i++) r = joins[i] === 'and' ? r && clauses[i + 1]!(o) : r || clauses[i + 1]!(o);
    return r;
  };
}

function whereObject(objects: PsObject[], c: Cmdlet): PsObject[] {
  const block = c.args.find((a) => a.value.trim().startsWith('{'));
  if (block) return objects.filter(scriptBlockFilter(block.value));
  const name = c.args[0]?.value;
  const opFlag = c.flags.find((f) => OPERATORS.includes(f.name.toLowerCase() as Operator));
  if (!name) fail(`Where-Object : ${WHERE_FORMS}.`);
  if (!opFlag) {
    if (c.flags.length) fail(`Where-Object : ${WHERE_FORMS} (got ${c.flags[0]!.written}).`);
    return objects.filter((o) => { const v = prop(o, name); return v !== undefined && v !== null && v !== false && v !== ''; });
  }
  const value = opFlag.value === true ? (c.args[1]?.value ?? '') : opFlag.value;
  return objects.filter((o) => compare(prop(o, name), opFlag.name.toLowerCase() as Operator, literal(value)));
}

// ---- Select-Object / Sort-Object ---------------------------------------------------------------

type Stream = { objects: PsObject[] } | { values: PsValue[] };

function selectObject(objects: PsObject[], c: Cmdlet): Stream {
  const flag = (n: string) => c.flags.find((f) => f.name.toLowerCase() === n.toLowerCase());
  const count = (n: string): number | undefined => {
    const f = flag(n);
    if (!f) return undefined;
    if (f.value === true || !/^\d+$/.test(f.value)) fail(`Select-Object : Cannot bind parameter '${n}'. Cannot convert value "${f.value === true ? '' : f.value}" to type "System.Int32".`);
    return Number(f.value);
  };
  let list = objects;
  const first = count('First');
  const last = count('Last');
  if (first !== undefined) list = list.slice(0, first);
  if (last !== undefined) list = last === 0 ? [] : list.slice(-last);
  const expand = flag('ExpandProperty');
  if (expand && expand.value !== true) {
    const name = expand.value;
    const values: PsValue[] = [];
    for (const o of list) {
      const v = prop(o, name);
      if (v === undefined) fail(`Select-Object : Property "${name}" cannot be found.`);
      if (Array.isArray(v)) values.push(...v); else values.push(v);
    }
    return { values };
  }
  const propFlag = flag('Property');
  const words = [...(propFlag && propFlag.value !== true ? [propFlag.value] : []), ...c.args.map((a) => a.value)];
  if (!words.length) return { objects: list };
  const names = selectNames(list, words);
  return { objects: list.map((o) => {
    const enums = (o.enums ?? []).filter((e) => names.some((n) => n.toLowerCase() === e.toLowerCase()));
    return { props: names.map((n) => [o.props.find(([k]) => k === n)?.[0] ?? n, prop(o, n) ?? null] as [string, PsValue]), ...(enums.length ? { enums } : {}) };
  }) };
}

function sortObject(objects: PsObject[], c: Cmdlet): PsObject[] {
  const names = selectNames(objects, c.args.map((a) => a.value));
  const desc = c.flags.some((f) => f.name.toLowerCase() === 'descending' && f.value !== 'False');
  const key = (o: PsObject) => names.map((n) => prop(o, n) ?? null);
  const sorted = [...objects].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      const x = ka[i]!;
      const y = kb[i]!;
      const r = typeof x === 'number' && typeof y === 'number' ? x - y : psText(x).localeCompare(psText(y), 'en', { sensitivity: 'base' });
      if (r) return r;
    }
    return 0;
  });
  return desc ? sorted.reverse() : sorted;
}

// ---- views -------------------------------------------------------------------------------------

function tableOf(objects: PsObject[], names?: string[]): string {
  if (!objects.length) return '';
  const view = objects[0]!.table;
  if (!names && view) return psTable(view, objects.map((o) => view.map((col) => psText(prop(o, col.label) ?? null))));
  const cols = names ?? objects[0]!.props.map(([k]) => k);
  return psTable(cols.map((label) => ({ label, align: objects.every((o) => typeof prop(o, label) === 'number') ? 'right' as const : 'left' as const })),
    objects.map((o) => cols.map((n) => psText(prop(o, n) ?? null))));
}

function listOf(objects: PsObject[], names?: string[]): string {
  if (!objects.length) return '';
  return psList(objects.map((o) => {
    const cols = names ?? o.list ?? o.props.map(([k]) => k);
    return cols.map((n) => [n, psText(prop(o, n) ?? null)] as [string, string]);
  }));
}

/** The view PowerShell picks when the pipeline ends with objects and no formatter. */
function defaultView(objects: PsObject[]): string {
  if (!objects.length) return '';
  const o = objects[0]!;
  if (o.table) return tableOf(objects);
  if (o.list) return listOf(objects);
  return o.props.length <= 4 ? tableOf(objects) : listOf(objects);
}

function valuesView(values: PsValue[]): string {
  // Expanded objects (a dictionary's entries, nested objects) are formatted as objects.
  if (values.length && values.every(isRecord)) return defaultView(values.map((v) => ({ props: (v as PsRecord).record })));
  return values.map((v) => (isRecord(v) ? psText(v) : Array.isArray(v) ? v.map(psText).join('\n') : psText(v))).join('\n');
}

// ---- ConvertTo-Json (Windows PowerShell 5.1) ---------------------------------------------------

function jsonString(s: string): string {
  return JSON.stringify(s);
}

function json51(v: PsValue, indent: number, depth: number): string {
  const pad = (n: number) => ' '.repeat(n);
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return jsonString(v);
  if (depth < 0) return jsonString(Array.isArray(v) ? v.map(psText).join(' ') : psText(v));
  if (Array.isArray(v)) {
    if (!v.length) return `[\n\n${pad(indent)}]`;
    return `[\n${v.map((x) => pad(indent + 4) + json51(x, indent + 4, depth - 1)).join(',\n')}\n${pad(indent)}]`;
  }
  return objectJson(v.record, indent, depth);
}

function objectJson(props: [string, PsValue][], indent: number, depth: number): string {
  const pad = (n: number) => ' '.repeat(n);
  if (!props.length) return `{\n\n${pad(indent)}}`;
  const lines = props.map(([k, x]) => `${pad(indent + 4)}"${k}":  ${json51(x, indent + 4 + k.length + 5, depth - 1)}`);
  return `{\n${lines.join(',\n')}\n${pad(indent)}}`;
}

function convertToJson(stream: Stream, c: Cmdlet): string {
  const d = c.flags.find((f) => f.name.toLowerCase() === 'depth');
  let depth = 2;
  if (d) {
    if (d.value === true || !/^\d+$/.test(d.value)) fail(`ConvertTo-Json : Cannot bind parameter 'Depth'. Cannot convert value "${d.value === true ? '' : d.value}" to type "System.Int32".`);
    depth = Number(d.value);
    if (depth > 100) fail(`ConvertTo-Json : Cannot validate argument on parameter 'Depth'. The ${depth} argument is greater than the maximum allowed range of 100. Supply an argument that is less than or equal to 100 and then try the command again.`);
  }
  if ('objects' in stream) {
    refusePartial(stream.objects, 'ConvertTo-Json');
    const e = stream.objects.find((o) => o.enums?.length);
    if (e) fail(`ConvertTo-Json : Packet Path keeps ${e.enums!.join(', ')} only as the text PowerShell's views show, and Windows PowerShell prints enums and numbers as JSON numbers; select other properties, or read the view`);
  }
  const items: PsValue[] = 'values' in stream ? stream.values : stream.objects.map((o) => rec(o.props));
  if (!items.length) return '';
  if (c.flags.some((f) => f.name.toLowerCase() === 'compress' && f.value !== 'False')) {
    const plain = (v: PsValue, d: number): unknown => (v === null || typeof v !== 'object' ? v : d < 0 ? psText(v) : Array.isArray(v) ? v.map((x) => plain(x, d - 1)) : Object.fromEntries(v.record.map(([k, x]) => [k, plain(x, d - 1)])));
    return JSON.stringify(items.length === 1 ? plain(items[0]!, depth) : items.map((x) => plain(x, depth)));
  }
  if (items.length === 1) return json51(items[0]!, 0, depth);
  return json51(items, 0, depth + 1);
}

function refusePartial(objects: PsObject[], cmdlet: string): void {
  const p = objects.find((o) => o.partial);
  if (p) fail(`${cmdlet} : Packet Path models only the properties of ${p.partial} that its views show, so it does not print the whole object (Windows adds every property of the class${/^MSFT_/.test(p.partial!) ? ' and CimClass, CimInstanceProperties, CimSystemProperties' : ''}); pick properties first: | Select-Object Name, ...`);
}

/** Runs the stages after the first cmdlet over its objects and renders what reaches the end. */
export function runPipeline(objects: PsObject[], stages: Cmdlet[]): string {
  let stream: Stream = { objects };
  for (let i = 0; i < stages.length; i++) {
    const c = stages[i]!;
    const name = (findCmdlet(c.name.value)?.name ?? c.name.value).toLowerCase();
    const last = i === stages.length - 1;
    const names = c.args.length ? c.args.map((a) => a.value) : undefined;
    const objs = (): PsObject[] => {
      if ('values' in stream) return stream.values.map((v) => ({ props: isRecord(v) ? v.record : [['Value', v]] }));
      return stream.objects;
    };
    switch (name) {
      case 'where-object': stream = { objects: whereObject(objs(), c) }; break;
      case 'select-object': stream = selectObject(objs(), c); break;
      case 'sort-object': stream = { objects: sortObject(objs(), c) }; break;
      case 'format-list':
      case 'format-table': {
        if (!last) fail(`${c.name.value} : Packet Path ends a pipeline at its formatter (PowerShell passes format data on, which only Out-* cmdlets read).`);
        const list = objs();
        if (names?.includes('*')) refusePartial(list, c.name.value);
        const cols = names && !(names.length === 1 && names[0] === '*') ? selectNames(list, names) : names ? list[0]?.props.map(([k]) => k) : undefined;
        return name === 'format-list' ? listOf(list, cols) : tableOf(list, cols);
      }
      case 'convertto-json':
        if (!last) fail('ConvertTo-Json : Packet Path ends a pipeline at ConvertTo-Json.');
        return convertToJson(stream, c);
      case 'out-default':
      case 'out-host':
      case 'out-string':
        break;
      default:
        fail(objectStageNotSimulated(c.name.value));
    }
  }
  return 'values' in stream ? valuesView(stream.values) : defaultView(stream.objects);
}

/** PowerShell's table column for a property: the label, a fixed width, numbers right-aligned. */
export function col(label: string, width?: number, align?: 'left' | 'right'): PsColumn {
  return { label, ...(width !== undefined ? { width } : {}), ...(align ? { align } : {}) };
}
