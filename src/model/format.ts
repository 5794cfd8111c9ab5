/**
 * Output formatting shared by the tools: Docker's indented JSON and times, and PowerShell's
 * default table and list views (Docker's tables are src/model/docker-format.ts).
 */

/** `docker inspect` output: Go's json.MarshalIndent with four spaces, inside a JSON array. */
export function dockerJson(objects: unknown[]): string {
  return JSON.stringify(objects, null, 4)
    .replace(/\[\n\s*\]/g, '[]')
    .replace(/\{\n\s*\}/g, '{}');
}

/** A map as Go's encoding/json writes it (docker inspect's labels, ports, networks...): keys sorted. */
export function goMap<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface PsColumn {
  label: string;
  /** Fixed width as the cmdlet's format file gives it; absent = fit the content. */
  width?: number;
  align?: 'left' | 'right';
}

/**
 * PowerShell table view: a blank line, the header, a dashes line as long as each label, the
 * rows, and a blank line after. Values longer than a fixed width are cut with `...`.
 */
export function psTable(columns: PsColumn[], rows: string[][]): string {
  const widths = columns.map((col, c) =>
    col.width ?? Math.max(col.label.length, ...rows.map((r) => (r[c] ?? '').length)),
  );
  const fit = (v: string, c: number): string => {
    const w = widths[c]!;
    let s = v.length > w ? v.slice(0, Math.max(0, w - 3)) + '...' : v;
    const right = columns[c]!.align === 'right';
    if (c === columns.length - 1 && !right) return s;
    s = right ? s.padStart(w) : s.padEnd(w);
    return s;
  };
  const line = (cells: string[]): string => cells.map((v, c) => fit(v, c)).join(' ').replace(/\s+$/, '');
  const dashes = columns.map((col, c) => {
    const d = '-'.repeat(Math.min(col.label.length, widths[c]!));
    return col.align === 'right' ? d.padStart(widths[c]!) : d;
  });
  const out = [
    '',
    line(columns.map((c) => c.label)),
    dashes.map((d, c) => (c === columns.length - 1 ? d : d.padEnd(widths[c]!))).join(' ').replace(/\s+$/, ''),
    ...rows.map((r) => line(r)),
    '',
  ];
  return out.join('\n');
}

/** PowerShell list view (Format-List): `Label : value`, labels padded to the longest, objects separated by a blank line. */
export function psList(objects: [string, string][][]): string {
  const out: string[] = [''];
  for (const obj of objects) {
    const w = Math.max(...obj.map(([k]) => k.length));
    for (const [k, v] of obj) out.push(`${k.padEnd(w)} : ${v}`.replace(/\s+$/, ''));
    out.push('');
  }
  return out.join('\n');
}

/** How PowerShell renders a nested object in a list (`@{Id=...; Name=...}`) and arrays (`{a, b}`). */
export function psObject(fields: [string, string | number | boolean][]): string {
  return '@{' + fields.map(([k, v]) => `${k}=${psScalar(v)}`).join('; ') + '}';
}

export function psArray(items: string[]): string {
  return '{' + items.join(', ') + '}';
}

export function psScalar(v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

/** Docker's human durations (go-units HumanDuration). */
export function humanDuration(seconds: number): string {
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(seconds / 3600);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  return `${Math.floor(hours / 24)} days`;
}

/** Simulated wall clock: the script starts at a fixed instant so transcripts are reproducible. */
export const EPOCH_MS = Date.UTC(2024, 0, 15, 9, 0, 0);

/**
 * Go's time.Time.String() of a simulated instant in UTC (`{{.CreatedAt}}` of the list commands):
 * whole seconds for containers (the API gives a Unix time), the fraction of isoTime otherwise.
 */
export function goTimeString(clock: number, salt = ''): string {
  return isoTime(clock, salt).replace('T', ' ').replace(/Z$/, ' +0000 UTC');
}

/**
 * A timestamp as Docker's JSON prints it (Go RFC3339Nano: trailing zeros of the fraction dropped).
 * Windows clocks tick in 100 ns, so real values carry seven digits; `salt` (an object ID) gives
 * each object its own stable fraction of the simulated second.
 */
export function isoTime(clock: number, salt = ''): string {
  const base = new Date(EPOCH_MS + clock * 1000).toISOString().replace(/\.000Z$/, '');
  if (!salt) return `${base}Z`;
  let h = 0x811c9dc5;
  for (let i = 0; i < salt.length; i++) h = Math.imul(h ^ salt.charCodeAt(i), 0x01000193) >>> 0;
  const frac = String(h % 10_000_000).padStart(7, '0').replace(/0+$/, '');
  return frac ? `${base}.${frac}Z` : `${base}Z`;
}
