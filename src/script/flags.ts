/**
 * A flag parser that behaves like spf13/pflag as docker/cli configures it (cobra on top):
 * `--flag=v`, `--flag v`, `-f v`, `-fv`, `-f=v`, combined boolean shorthands (`-dit`), `--` ends
 * the flags, and, for commands that call `SetInterspersed(false)` (`run`, `exec`, `service create`),
 * the first positional argument ends the flags. Error texts are pflag's and cobra's, word for word.
 */
import type { Flag } from './ast.js';
import { type LexWord, type LogicalLine, wordSubSpan } from './lexer.js';
import { ParseFailure } from './errors.js';

/**
 * `list` is a repeatable flag (pflag `Var` with a list/map value, `StringSlice`, `StringArray`);
 * `int`/`uint` are pflag's integer flags (value checked like Go's `strconv`); `string` is anything
 * else that takes a value.
 */
export type FlagType = 'bool' | 'string' | 'list' | 'int' | 'uint';

export interface FlagSpec {
  /** Long name without dashes. */
  name: string;
  /** One-letter shorthand without the dash. */
  short?: string;
  type: FlagType;
  description: string;
  /** Hidden in Docker's help (`--net`, `--dns-opt`): accepted, not offered for completion. */
  hidden?: boolean;
  /** pflag `StringSlice`/`IPSlice`: one value may hold a comma-separated list (`--subnet=a,b`). */
  csv?: boolean;
  /** Bit size for `int`/`uint` checks (default 64). */
  bits?: number;
  /** Allowed values, for completions and (simulator lines only) checking. */
  values?: readonly string[];
  /** What the value looks like in usage text and completions (`CIDR`, `KEY=VALUE`). */
  placeholder?: string;
  /** What the flag does on a Windows container host, where that says more than `description`
   *  (docker's own help text): the editor's hovers and completions show it. */
  doc?: string;
}

export interface ParsedFlags {
  flags: Flag[];
  /** Positional arguments in order (everything after `--`, or after the first positional when not interspersed). */
  positionals: LexWord[];
  /** Index in `positionals` of the first word that came after `--` (or -1). */
  afterTerminator: number;
}

/** Go's `%q` for a single character. */
export function goQuoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '\\') return "'\\\\'";
  const code = c.codePointAt(0) ?? 0;
  if (c === '\n') return "'\\n'";
  if (c === '\t') return "'\\t'";
  if (c === '\r') return "'\\r'";
  if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, '0')}'`;
  return `'${c}'`;
}

/** Go's `%q` for a string (close enough for messages: escapes quotes, backslashes, controls). */
export function goQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0) ?? 0;
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return out + '"';
}

/** Go's `strconv.ParseBool`. */
export function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** Go's `strconv.ParseInt(s, 0, bits)` / `ParseUint`: undefined when fine, else the error text. */
export function goIntError(v: string, signed: boolean, bits: number): string | undefined {
  const fn = signed ? 'strconv.ParseInt' : 'strconv.ParseUint';
  let s = v;
  let neg = false;
  if (signed && (s.startsWith('+') || s.startsWith('-'))) { neg = s[0] === '-'; s = s.slice(1); }
  let base = 10;
  let digits = s;
  if (/^0[xX]/.test(s)) { base = 16; digits = s.slice(2); }
  else if (/^0[bB]/.test(s)) { base = 2; digits = s.slice(2); }
  else if (/^0[oO]/.test(s)) { base = 8; digits = s.slice(2); }
  else if (/^0./.test(s)) { base = 8; digits = s.slice(1); }
  // Underscores are allowed between digits only with a base prefix (Go's rule).
  const underscoresOk = base !== 10 && !(base === 8 && !/^0[oO]/.test(s));
  const clean = underscoresOk ? digits.replace(/_/g, '') : digits;
  const re = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (clean.length === 0 || !re.test(clean) || (underscoresOk && /(^_|__|_$)/.test(digits))) {
    return `${fn}: parsing ${goQuote(v)}: invalid syntax`;
  }
  let n = 0n;
  const bigBase = BigInt(base);
  for (const d of clean) n = n * bigBase + BigInt(parseInt(d, base));
  const b = BigInt(bits);
  const max = signed ? (1n << (b - 1n)) - (neg ? 0n : 1n) : (1n << b) - 1n;
  if (n > max) return `${fn}: parsing ${goQuote(v)}: value out of range`;
  return undefined;
}

function display(spec: FlagSpec): string {
  return spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
}

/** Checks a value against the flag's type like pflag's `Set`; returns the value to store. */
function checkValue(spec: FlagSpec, value: string, fail: (msg: string) => never): string | true {
  if (spec.type === 'bool') {
    const b = parseGoBool(value);
    if (b === undefined) {
      fail(`invalid argument ${goQuote(value)} for ${goQuote(display(spec))} flag: strconv.ParseBool: parsing ${goQuote(value)}: invalid syntax`);
    }
    // Normalised: `true` for a true boolean, the string `false` otherwise.
    return b ? true : 'false';
  }
  if (spec.type === 'int' || spec.type === 'uint') {
    const err = goIntError(value, spec.type === 'int', spec.bits ?? 64);
    if (err) fail(`invalid argument ${goQuote(value)} for ${goQuote(display(spec))} flag: ${err}`);
  }
  return value;
}

export const HELP_FLAG: FlagSpec = { name: 'help', short: 'h', type: 'bool', description: 'Print usage' };

interface Lookup {
  byLong: Map<string, FlagSpec>;
  byShort: Map<string, FlagSpec>;
}

/** Lookup tables per flag table, built once (tables are module constants). */
const LOOKUPS = new WeakMap<readonly FlagSpec[], Lookup>();

function lookup(specs: readonly FlagSpec[]): Lookup {
  let l = LOOKUPS.get(specs);
  if (l) return l;
  const byLong = new Map<string, FlagSpec>();
  const byShort = new Map<string, FlagSpec>();
  for (const s of specs) {
    byLong.set(s.name, s);
    if (s.short) byShort.set(s.short, s);
  }
  // cobra adds `-h, --help` unless the command already uses `h` (docker run: `-h` is --hostname).
  if (!byLong.has('help')) byLong.set('help', HELP_FLAG);
  if (!byShort.has('h') && byLong.get('help') === HELP_FLAG) byShort.set('h', HELP_FLAG);
  l = { byLong, byShort };
  LOOKUPS.set(specs, l);
  return l;
}

/**
 * Parses `words` against `specs`. Throws {@link ParseFailure} with pflag's text on the first error,
 * as pflag stops at the first error too.
 */
export function parsePflags(
  ll: LogicalLine,
  words: LexWord[],
  specs: readonly FlagSpec[],
  interspersed: boolean,
): ParsedFlags {
  const { byLong, byShort } = lookup(specs);

  const flags: Flag[] = [];
  const positionals: LexWord[] = [];
  let afterTerminator = -1;
  let i = 0;
  while (i < words.length) {
    const w = words[i]!;
    const s = w.value;
    i++;
    const fail = (msg: string, code = 'bad-flag'): never => {
      throw new ParseFailure(wordSubSpan(ll, w, 0, s.length), msg, code);
    };
    if (s.length === 0 || s[0] !== '-' || s.length === 1) {
      if (!interspersed) {
        positionals.push(w, ...words.slice(i));
        break;
      }
      positionals.push(w);
      continue;
    }
    if (s[1] === '-') {
      if (s.length === 2) {
        afterTerminator = positionals.length;
        positionals.push(...words.slice(i));
        break;
      }
      const body = s.slice(2);
      if (body[0] === '-' || body[0] === '=') fail(`bad flag syntax: ${s}`, 'bad-flag-syntax');
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      const spec = byLong.get(name);
      if (!spec) fail(`unknown flag: --${name}`, 'unknown-flag');
      const nameSpan = wordSubSpan(ll, w, 0, eq < 0 ? s.length : 2 + eq);
      if (eq >= 0) {
        const value = body.slice(eq + 1);
        flags.push({
          name: spec!.name, value: checkValue(spec!, value, fail), written: `--${name}`,
          span: wordSubSpan(ll, w, 0, s.length), valueSpan: wordSubSpan(ll, w, 2 + eq + 1, s.length),
        });
      } else if (spec!.type === 'bool') {
        flags.push({ name: spec!.name, value: true, written: `--${name}`, span: nameSpan });
      } else if (i < words.length) {
        const vw = words[i]!;
        i++;
        flags.push({
          name: spec!.name, value: checkValue(spec!, vw.value, fail), written: `--${name}`,
          span: joinSpans(nameSpan, wordSubSpan(ll, vw, 0, vw.value.length)),
          valueSpan: wordSubSpan(ll, vw, 0, vw.value.length),
        });
      } else {
        fail(`flag needs an argument: ${s}`, 'missing-value');
      }
      continue;
    }
    // Shorthands: `-d`, `-dit`, `-p8080:80`, `-p=8080:80`, `-o k=v`.
    let k = 1;
    while (k < s.length) {
      const shorthands = s.slice(k);
      const c = shorthands[0]!;
      const letterSpan = wordSubSpan(ll, w, k === 1 ? 0 : k, k + 1);
      const spec = byShort.get(c);
      if (!spec) {
        throw new ParseFailure(letterSpan, `unknown shorthand flag: ${goQuoteChar(c)} in -${shorthands}`, 'unknown-flag');
      }
      const failHere = (msg: string): never => { throw new ParseFailure(letterSpan, msg, 'bad-flag'); };
      if (shorthands.length > 2 && shorthands[1] === '=') {
        flags.push({
          name: spec.name, value: checkValue(spec, shorthands.slice(2), failHere), written: `-${c}`,
          span: wordSubSpan(ll, w, k === 1 ? 0 : k, s.length), valueSpan: wordSubSpan(ll, w, k + 2, s.length),
        });
        k = s.length;
      } else if (spec.type === 'bool') {
        flags.push({ name: spec.name, value: true, written: `-${c}`, span: letterSpan });
        k++;
      } else if (shorthands.length > 1) {
        flags.push({
          name: spec.name, value: checkValue(spec, shorthands.slice(1), failHere), written: `-${c}`,
          span: wordSubSpan(ll, w, k === 1 ? 0 : k, s.length), valueSpan: wordSubSpan(ll, w, k + 1, s.length),
        });
        k = s.length;
      } else if (i < words.length) {
        const vw = words[i]!;
        i++;
        flags.push({
          name: spec.name, value: checkValue(spec, vw.value, failHere), written: `-${c}`,
          span: joinSpans(letterSpan, wordSubSpan(ll, vw, 0, vw.value.length)),
          valueSpan: wordSubSpan(ll, vw, 0, vw.value.length),
        });
        k = s.length;
      } else {
        throw new ParseFailure(letterSpan, `flag needs an argument: ${goQuoteChar(c)} in -${shorthands}`, 'missing-value');
      }
    }
  }
  return { flags, positionals, afterTerminator };
}

/** A span from the start of `a` to the end of `b` when both are on one line, else `a`. */
export function joinSpans(a: { line: number; column: number; length: number }, b: { line: number; column: number; length: number }) {
  if (a.line !== b.line || b.column < a.column) return { ...a };
  return { line: a.line, column: a.column, length: b.column + b.length - a.column };
}
