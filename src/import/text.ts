/**
 * Small tolerant readers for what a Windows console prints: PowerShell's list (`Format-List`) and
 * table (`Format-Table`) views, `ipconfig /all`, and JSON as pasted (possibly cut off, or wrapped
 * by a console window). English output only: the field names are matched as PowerShell and
 * ipconfig print them in English. Every reader is linear in its input.
 */

/** One record of a `Format-List` view: field name → value, continuation lines joined with a space. */
export type ListRecord = Record<string, string>;

/**
 * Reads PowerShell's list view: `Name   : value` lines, records separated by blank lines, a long
 * value continued on lines that start with spaces (PowerShell wraps at the console width). Spaces
 * around the colon may be irregular (a paste from a proportional font).
 */
export function parseList(text: string): ListRecord[] {
  const records: ListRecord[] = [];
  let cur: ListRecord | null = null;
  let last: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    if (line.trim() === '') {
      if (cur) records.push(cur);
      cur = null;
      last = null;
      continue;
    }
    const m = /^([A-Za-z][\w.\- ]*?)\s*:(?:\s(.*)|$)/.exec(line);
    if (m && !/^\s/.test(line)) {
      cur ??= {};
      last = m[1]!.trim();
      cur[last] = (m[2] ?? '').trim();
    } else if (cur && last && /^\s/.test(line)) {
      cur[last] = `${cur[last]} ${line.trim()}`.trim();
    }
  }
  if (cur) records.push(cur);
  return records;
}

/**
 * Splits a PowerShell hashtable-ish value `{@{A=1; B=x}, @{...}}` into its `@{...}` members (a
 * last member cut off by the end of the paste keeps the fields it shows).
 */
export function psObjects(value: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const re = /@\{([^{}]*)(?:\}|$)/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const o: Record<string, string> = {};
    for (const part of m[1]!.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0) o[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
    out.push(o);
  }
  return out;
}

/** A table view's rows: column header → cell text (trimmed). */
export type TableRow = Record<string, string>;

/**
 * Reads PowerShell's table view: a header line, a line of dashes under each column, then rows. A
 * cell is the text from its column's dashes to the next column's. Returns no rows when no dash
 * line is found.
 */
export function parseTable(text: string): { headers: string[]; rows: TableRow[] } {
  const lines = text.split(/\r?\n/);
  const dashAt = lines.findIndex((l, i) => i > 0 && /^\s*-{2,}(\s+-{2,})*\s*$/.test(l));
  if (dashAt < 1) return { headers: [], rows: [] };
  const header = lines[dashAt - 1]!;
  const cols: { start: number; end: number }[] = [];
  const re = /-+/g;
  for (let m = re.exec(lines[dashAt]!); m; m = re.exec(lines[dashAt]!)) cols.push({ start: m.index, end: m.index + m[0].length });
  const headers = cols.map((c) => header.slice(c.start, c.end).trim() || header.slice(c.start).trim().split(/\s+/)[0]!);
  const rows: TableRow[] = [];
  for (const line of lines.slice(dashAt + 1)) {
    if (line.trim() === '') {
      if (rows.length) break;
      continue;
    }
    const row: TableRow = {};
    for (let i = 0; i < cols.length; i++) {
      // A column runs from its dashes to the next column's: a right-aligned number ends under its
      // dashes, a left-aligned text starts there.
      const from = i === 0 ? 0 : cols[i]!.start;
      const to = i + 1 < cols.length ? cols[i + 1]!.start : line.length;
      row[headers[i]!] = line.slice(from, to).trim();
    }
    rows.push(row);
  }
  return { headers, rows };
}

/** An `ipconfig /all` adapter section. */
export interface IpconfigAdapter {
  /** `Ethernet adapter` / `Wireless LAN adapter` / `Tunnel adapter` ... */
  kind: string;
  name: string;
  fields: Record<string, string[]>;
}

export interface Ipconfig {
  hostName: string | null;
  adapters: IpconfigAdapter[];
}

/**
 * Reads `ipconfig` / `ipconfig /all`: `Host Name . . . : X`, then `<Kind> adapter <Name>:` sections
 * of dotted fields; a field with several values (DNS Servers, Default Gateway) continues on
 * indented lines without dots.
 */
export function parseIpconfig(text: string): Ipconfig {
  const out: Ipconfig = { hostName: null, adapters: [] };
  let cur: IpconfigAdapter | null = null;
  let last: string[] | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    const head = /^(\S.*? adapter) (.+):$/.exec(line);
    if (head) {
      cur = { kind: head[1]!, name: head[2]!, fields: {} };
      out.adapters.push(cur);
      last = null;
      continue;
    }
    const f = /^\s+([A-Za-z][^.:]*?)[ .]*:\s?(.*)$/.exec(line);
    if (f && /\. :|\.:| :/.test(line.slice(0, line.indexOf(':') + 1))) {
      const key = f[1]!.trim();
      const value = f[2]!.trim();
      if (key === 'Host Name' && !cur) out.hostName = value || null;
      if (cur) {
        last = cur.fields[key] ??= [];
        if (value) last.push(value);
      }
      continue;
    }
    if (last && /^\s{10,}\S/.test(line)) last.push(line.trim());
    else if (line.trim() === '') last = null;
  }
  return out;
}

/** The IPv4 address of an ipconfig value `10.0.0.10(Preferred)`. */
export function ipconfigIp(v: string | undefined): string | null {
  const m = v ? /^(\d{1,3}(?:\.\d{1,3}){3})/.exec(v) : null;
  return m ? m[1]! : null;
}

/** The result of reading pasted JSON. */
export interface JsonRead {
  value: unknown;
  /** How the text had to be mended to parse: it was cut off, or a console wrapped its lines. */
  mended: string | null;
}

/**
 * Parses JSON as a user pastes it: as is; else with the line breaks a console inserted into
 * compressed output removed; else cut off, with the open strings, arrays and objects closed where
 * the paste ends (the last incomplete member dropped). Returns null when none of these parses.
 */
export function readJson(text: string): JsonRead | null {
  const t = text.trim();
  try {
    return { value: JSON.parse(t), mended: null };
  } catch { /* try the mended forms */ }
  if (/^[[{]/.test(t) && !/\n\s/.test(t)) {
    try {
      return { value: JSON.parse(t.replace(/\r?\n/g, '')), mended: 'its lines were wrapped by the console and were joined' };
    } catch { /* fall through */ }
  }
  const closed = closeTruncated(t);
  if (closed) {
    try {
      return { value: JSON.parse(closed), mended: 'it was cut off; what it showed was read' };
    } catch { /* give up */ }
  }
  return null;
}

/** Where a walk over JSON text stands: inside a string, after a backslash in one. */
export interface JsonWalk {
  inString: boolean;
  escaped: boolean;
}

/**
 * Walks JSON text, calling `at` for every character outside strings (brackets, commas, ...);
 * `state` carries an open string from one piece of text to the next (a value wrapped across lines).
 */
export function walkJson(s: string, at: (c: string, i: number) => void, state: JsonWalk = { inString: false, escaped: false }): JsonWalk {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (state.inString) {
      if (state.escaped) state.escaped = false;
      else if (c === '\\') state.escaped = true;
      else if (c === '"') state.inString = false;
      continue;
    }
    if (c === '"') state.inString = true;
    else at(c, i);
  }
  return state;
}

/** What a JSON prefix leaves open (closers, innermost last), or null when a string is open. */
function openClosers(body: string): string[] | null {
  const stack: string[] = [];
  const end = walkJson(body, (c) => {
    if (c === '{' || c === '[') stack.push(c === '{' ? '}' : ']');
    else if (c === '}' || c === ']') stack.pop();
  });
  return end.inString ? null : stack;
}

/** How many cut points a truncated JSON text is tried at (each try is linear in the text). */
const MAX_CUTS = 40;

/**
 * Closes what a truncated JSON text left open: cut at the end, then after the last complete
 * members (at a comma or a closing bracket, outside strings), and close the open brackets.
 * Null when no cut parses.
 */
function closeTruncated(t: string): string | null {
  if (!/^[[{]/.test(t)) return null;
  const cuts: number[] = [t.length];
  walkJson(t, (c, i) => {
    if (c === ',') cuts.push(i);
    else if (c === '}' || c === ']') cuts.push(i + 1);
  });
  const tries = [cuts[0]!, ...cuts.slice(1).reverse()].slice(0, MAX_CUTS);
  for (const at of tries) {
    const body = t.slice(0, at).replace(/[\s,]+$/, '');
    const open = openClosers(body);
    if (!open || open.length === 0) continue;
    const text = body + open.reverse().join('');
    try {
      JSON.parse(text);
      return text;
    } catch { /* an earlier cut */ }
  }
  return null;
}
