/**
 * `--format` of the Docker CLI (docker/cli v20.10.24): `inspect -f` runs the template over each
 * object `inspect` prints (cli/command/inspect/inspector.go), and the list commands (`ps`,
 * `network ls`, `service ls`) run it over their formatter contexts, with `table` output through
 * Go's text/tabwriter (cli/command/formatter/formatter.go). The template language itself is
 * src/model/go-template.ts.
 */
import { CommandError } from './errors.js';
import {
  GoStruct, GoTemplateError, parseGoTemplate, type GoNil, type GoTemplate, type GoValue, type TemplateOptions,
} from './go-template.js';

/**
 * Go's text/tabwriter as docker/cli sets it up (minwidth 10, tabwidth 1, padding 3, spaces):
 * tab-terminated cells align in column blocks of consecutive lines; the text after a line's
 * last tab is not part of any column.
 */
export function tabwrite(text: string, minwidth = 10, padding = 3): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  // An empty cell after the last tab of the unterminated last line is not a cell (Flush drops it).
  if (lines.at(-1)!.at(-1) === '') lines.at(-1)!.pop();
  const widths: number[] = [];
  const out: string[] = [];
  const cellWidth = (c: string): number => [...c].length;
  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      out.push(lines[i]!.map((c, j) => (j < widths.length ? c + ' '.repeat(Math.max(0, widths[j]! - cellWidth(c))) : c)).join(''));
    }
  };
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let row = line0; row < line1; row++) {
      if (column >= lines[row]!.length - 1) continue;
      // A cell in this column: a column block starts here.
      writeLines(line0, row);
      line0 = row;
      let width = minwidth;
      for (; row < line1; row++) {
        const line = lines[row]!;
        if (column >= line.length - 1) break;
        width = Math.max(width, cellWidth(line[column]!) + padding);
      }
      widths.push(width);
      format(line0, row);
      widths.pop();
      line0 = row;
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
  return out.join('\n');
}

function parseFormat(format: string, options: TemplateOptions = {}): GoTemplate {
  try {
    return parseGoTemplate(format, options);
  } catch (e) {
    if (e instanceof GoTemplateError) throw new CommandError(`template parsing error: ${e.message}`);
    throw e;
  }
}

/** How the Go structs behind `inspect` type the fields that are JSON `null` (nil slice, map or pointer). */
const INSPECT_NULLS: Record<string, GoNil['kind']> = {
  IPAMConfig: 'ptr', Links: 'slice', DriverOpts: 'map', ExposedPorts: 'map', Options: 'map', Labels: 'map',
  Aliases: 'slice', Args: 'slice', Cmd: 'slice', Dns: 'slice', DnsSearch: 'slice', DnsOptions: 'slice', Config: 'slice',
};

/**
 * `docker inspect -f`: each object's result on its own line; an object whose template fails
 * adds its error after the output, as the CLI collects them (`template parsing error: ...`).
 */
export function inspectWithFormat(format: string, objects: unknown[], missing: string[]): string {
  const tmpl = parseFormat(format);
  const lines: string[] = [];
  const errors: string[] = [];
  for (const o of objects) {
    try {
      lines.push(tmpl.execute(o as GoValue, { nullKind: (k) => INSPECT_NULLS[k] }));
    } catch (e) {
      if (!(e instanceof GoTemplateError)) throw e;
      errors.push(`template parsing error: ${e.message}`);
    }
  }
  errors.push(...missing);
  const output = lines.join('\n');
  if (errors.length) throw new CommandError(errors.join('\n'), output);
  return output;
}

/** A list command's formatter context (its Go type, the table headers, the default table). */
export interface ListView {
  typeName: string;
  header: Record<string, string>;
  table: string;
}

export type ListRow = Record<string, GoValue | ((...args: GoValue[]) => GoValue)>;

/**
 * `docker ps|network ls|service ls [--format F] [-q]`: no format is `table`; `table` alone is the
 * command's default table, or `{{.ID}}` with `-q`; anything else is the template as given.
 */
export function listWithFormat(view: ListView, format: string | undefined, quiet: boolean, rows: ListRow[]): string {
  let source = format || 'table';
  if (source === 'table') source = quiet ? '{{.ID}}' : view.table;
  const isTable = source.startsWith('table');
  const final = (isTable ? source.slice('table'.length) : source).replace(/^ +| +$/g, '').replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  const tmpl = parseFormat(final);
  let body = '';
  for (const r of rows) {
    try {
      body += tmpl.execute(new GoStruct(view.typeName, r)) + '\n';
    } catch (e) {
      if (!(e instanceof GoTemplateError)) throw e;
      throw new CommandError(`template parsing error: ${e.message}`);
    }
  }
  if (!isTable) return body.replace(/\n$/, '');
  // The header runs the same template over the header map with Docker's HeaderFunctions; its
  // errors are not checked, so a failing header prints what it wrote before failing.
  const partial = { out: '' };
  try {
    tmpl.execute(view.header, { header: true, missingKeyInvalid: true }, partial);
  } catch (e) {
    if (!(e instanceof GoTemplateError)) throw e;
  }
  return tabwrite(`${partial.out}\n${body}`).replace(/\n$/, '');
}

/**
 * A command that executes its template straight to its output (`docker version`, `docker info`):
 * a parse error is `template parsing error: ...`; an execution error is Go's error after what the
 * template wrote, which `post` (tabwriter for `version`) formats as the command does.
 */
export function executeFormat(format: string, dot: GoValue, options: TemplateOptions = {}, post = (s: string): string => s): string {
  const tmpl = parseFormat(format, options);
  const partial = { out: '' };
  try {
    tmpl.execute(dot, {}, partial);
  } catch (e) {
    if (!(e instanceof GoTemplateError)) throw e;
    throw new CommandError(e.message, post(partial.out));
  }
  return post(partial.out);
}

/** A formatter field Packet Path has no data for: said in plain words, never printed empty. */
export function notModelled(command: string, field: string, what: string): () => never {
  return () => {
    throw new CommandError(`${command} --format: {{.${field}}} is not simulated by Packet Path (${what} are not modelled)`);
  };
}

/**
 * The order `docker network ls` sorts names in: docker/cli v20.10.24's vendored
 * github.com/fvbommel/sortorder NaturalLess — bytes compared as they are (upper case before lower),
 * digit runs as numbers, digits before other characters.
 */
export function naturalLess(a: string, b: string): boolean {
  const s1 = new TextEncoder().encode(a);
  const s2 = new TextEncoder().encode(b);
  const digit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
  let i = 0;
  let j = 0;
  while (i < s1.length && j < s2.length) {
    const d1 = digit(s1[i]);
    const d2 = digit(s2[j]);
    if (d1 !== d2) return d1;
    if (!d1) {
      if (s1[i] !== s2[j]) return s1[i]! < s2[j]!;
      i++;
      j++;
      continue;
    }
    while (i < s1.length && s1[i] === 0x30) i++;
    while (j < s2.length && s2[j] === 0x30) j++;
    const nz1 = i;
    const nz2 = j;
    while (digit(s1[i])) i++;
    while (digit(s2[j])) j++;
    if (i - nz1 !== j - nz2) return i - nz1 < j - nz2;
    const n1 = String.fromCharCode(...s1.subarray(nz1, i));
    const n2 = String.fromCharCode(...s2.subarray(nz2, j));
    if (n1 !== n2) return n1 < n2;
    if (nz1 !== nz2) return nz1 < nz2;
  }
  // Identical so far: the one that goes on sorts last (Go compares the whole lengths).
  return s1.length < s2.length;
}

/** A port of a container as the list API gives it (moby api/types Port). */
export interface ListPort {
  ip: string;
  privatePort: number;
  publicPort: number;
  type: string;
}

/**
 * The PORTS column: docker/cli v20.10.24 cli/command/formatter/container.go DisplayablePorts —
 * sorted (private port, IP, public port, type), runs of same-numbered ports grouped into ranges
 * first, then the mappings to another host port.
 */
export function displayablePorts(input: readonly ListPort[]): string {
  const ports = [...input].sort((i, j) =>
    i.privatePort !== j.privatePort ? i.privatePort - j.privatePort
      : i.ip !== j.ip ? (i.ip < j.ip ? -1 : 1)
        : i.publicPort !== j.publicPort ? i.publicPort - j.publicPort
          : i.type < j.type ? -1 : i.type > j.type ? 1 : 0);
  const groups = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const hostMappings: string[] = [];
  const formGroup = (key: string, first: number, last: number): string => {
    const parts = key.split('/');
    const ip = parts.length > 1 ? parts[0]! : '';
    const type = parts.length > 1 ? parts[1]! : parts[0]!;
    let group = first === last ? String(first) : `${first}-${last}`;
    if (ip) group = `${ip}:${group}->${group}`;
    return `${group}/${type}`;
  };
  for (const p of ports) {
    let key = p.type;
    if (p.ip !== '') {
      if (p.publicPort !== p.privatePort) {
        hostMappings.push(`${p.ip}:${p.publicPort}->${p.privatePort}/${p.type}`);
        continue;
      }
      key = `${p.ip}/${p.type}`;
    }
    const g = groups.get(key);
    if (!g) groups.set(key, { first: p.privatePort, last: p.privatePort });
    else if (p.privatePort === g.last + 1) g.last = p.privatePort;
    else {
      result.push(formGroup(key, g.first, g.last));
      // Go re-creates the group under the same key: the key keeps its first place in the order.
      groups.set(key, { first: p.privatePort, last: p.privatePort });
    }
  }
  for (const [key, g] of groups) result.push(formGroup(key, g.first, g.last));
  return [...result, ...hostMappings].join(', ');
}
