/**
 * Docker's template language: Go's `text/template` (the go1.19 runtime Docker 20.10.24 was built
 * with) plus the functions docker/cli adds in `templates/templates.go` (`json`, `split`, `join`,
 * `title`, `lower`, `upper`, `pad`, `truncate`). No npm package reproduces both: the TypeScript
 * ports cover a subset without variables, comparisons or pipelines, and the WebAssembly build of
 * Go's engine has none of Docker's functions and loads its binary from the file system.
 *
 * Values are the objects `docker inspect` prints (JSON maps) and the formatter contexts of the
 * list commands (`GoStruct`: Go structs whose methods are the template's fields). Errors carry
 * Go's own texts and positions (`template: :1:9: executing "" at <.Config.Hostname>: ...`);
 * `define`, `template` and `block` are refused with a parse error rather than ignored.
 */

export class GoTemplateError extends Error {
  /** `parse` errors make the CLI exit 64 (`docker inspect`); execution errors exit 1. */
  constructor(message: string, readonly phase: 'parse' | 'exec') {
    super(message);
  }
}

/** A Go struct value: named fields and zero-argument or argument-taking methods. */
export class GoStruct {
  constructor(
    /** The Go type as `%T` prints it in errors, e.g. `*formatter.ContainerContext`. */
    readonly typeName: string,
    readonly members: Record<string, GoValue | ((...args: GoValue[]) => GoValue)>,
    /** What `json` prints when the struct's JSON names differ from its Go field names. */
    readonly toJson?: () => unknown,
  ) {}
}

/** A typed Go nil: what a nil pointer, slice or map prints as (`<nil>`, `[]`, `map[]`). */
export class GoNil {
  constructor(readonly kind: 'ptr' | 'slice' | 'map') {}
}

export type GoValue = string | number | boolean | null | undefined | GoValue[] | { [k: string]: GoValue } | GoStruct | GoNil;

export interface ExecOptions {
  /** Docker's header functions for table headers: the string functions return their input. */
  header?: boolean;
  /**
   * How a JSON `null` under this key was typed in Docker's Go struct; absent keys print as the
   * raw map does (`<no value>`).
   */
  nullKind?: (key: string) => GoNil['kind'] | undefined;
  /**
   * A key a map lacks gives "no value" (text/template's default) instead of the error of
   * `missingkey=error`, which `docker inspect` runs its fallback with.
   */
  missingKeyInvalid?: boolean;
}

// ---------------------------------------------------------------- parse tree

type Arg =
  | { t: 'field'; names: string[]; pos: number }
  | { t: 'var'; name: string; names: string[]; pos: number }
  | { t: 'dot'; pos: number }
  | { t: 'nil'; pos: number }
  | { t: 'bool'; v: boolean; pos: number }
  | { t: 'num'; v: number; text: string; pos: number }
  | { t: 'str'; v: string; text: string; pos: number }
  | { t: 'ident'; name: string; pos: number }
  | { t: 'pipe'; pipe: Pipe; names: string[]; pos: number };

interface Cmd { args: Arg[]; pos: number }
interface Pipe { decl: string[]; assign: boolean; cmds: Cmd[]; pos: number }
type Node =
  | { t: 'text'; v: string }
  | { t: 'action'; pipe: Pipe; pos: number }
  | { t: 'if' | 'with' | 'range'; pipe: Pipe; list: Node[]; elseList: Node[] | null; pos: number }
  | { t: 'break' | 'continue'; pos: number };

// ---------------------------------------------------------------- lexer

type TokT = 'text' | 'left' | 'right' | 'space' | 'pipe' | 'lparen' | 'rparen' | 'comma' | 'declare' | 'assign'
  | 'field' | 'var' | 'dot' | 'str' | 'num' | 'bool' | 'nil' | 'ident' | 'keyword' | 'char' | 'eof';
interface Tok { t: TokT; v: string; pos: number }

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string | undefined): boolean => !!c && /[\p{L}\p{Nd}_]/u.test(c);

function lineOf(src: string, pos: number): number {
  let n = 1;
  for (let i = 0; i < pos && i < src.length; i++) if (src[i] === '\n') n++;
  return n;
}

function lex(src: string, name: string): Tok[] {
  const toks: Tok[] = [];
  const err = (pos: number, msg: string): never => {
    throw new GoTemplateError(`template: ${name}:${lineOf(src, pos)}: ${msg}`, 'parse');
  };
  let i = 0;
  let parenDepth = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      toks.push({ t: 'text', v: src.slice(i), pos: i });
      break;
    }
    let text = src.slice(i, open);
    const trimLeft = src[open + 2] === '-' && isSpace(src[open + 3] ?? '');
    if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '');
    if (text) toks.push({ t: 'text', v: text, pos: i });
    let p = open + 2 + (trimLeft ? 2 : 0);
    // Comments: `{{/* ... */}}`, with optional trim markers.
    if (src.startsWith('/*', p)) {
      const close = src.indexOf('*/', p + 2);
      if (close < 0) err(open, 'unclosed comment');
      let q = close + 2;
      const trimRight = isSpace(src[q] ?? '') && src.startsWith('-}}', q + 1);
      if (trimRight) q += 4;
      else if (src.startsWith('}}', q)) q += 2;
      else err(open, 'comment ends before closing delimiter');
      i = trimRight ? q + src.slice(q).match(/^[ \t\r\n]*/)![0].length : q;
      continue;
    }
    toks.push({ t: 'left', v: '{{', pos: open });
    parenDepth = 0;
    for (;;) {
      if (p >= src.length) err(open, 'unclosed action');
      const c = src[p]!;
      if (isSpace(c) && src.startsWith('-}}', p + 1)) {
        if (parenDepth > 0) err(p, 'unclosed left paren');
        toks.push({ t: 'right', v: '}}', pos: p + 2 });
        p += 4;
        p += src.slice(p).match(/^[ \t\r\n]*/)![0].length;
        break;
      }
      if (src.startsWith('}}', p)) {
        if (parenDepth > 0) err(p, 'unclosed left paren');
        toks.push({ t: 'right', v: '}}', pos: p });
        p += 2;
        break;
      }
      if (isSpace(c)) {
        const s = p;
        while (p < src.length && isSpace(src[p]!) && !src.startsWith('-}}', p + 1)) p++;
        toks.push({ t: 'space', v: ' ', pos: s });
        continue;
      }
      const s = p;
      if (c === '|') { toks.push({ t: 'pipe', v: '|', pos: p++ }); continue; }
      if (c === '(') { parenDepth++; toks.push({ t: 'lparen', v: '(', pos: p++ }); continue; }
      if (c === ')') {
        parenDepth--;
        if (parenDepth < 0) err(p, `unexpected right paren U+0029 ')'`);
        toks.push({ t: 'rparen', v: ')', pos: p++ });
        continue;
      }
      if (c === ',') { toks.push({ t: 'comma', v: ',', pos: p++ }); continue; }
      if (c === ':') {
        if (src[p + 1] !== '=') err(p, 'expected :=');
        toks.push({ t: 'declare', v: ':=', pos: p });
        p += 2;
        continue;
      }
      if (c === '=') { toks.push({ t: 'assign', v: '=', pos: p++ }); continue; }
      if (c === '"' || c === "'") {
        // Quoted strings and character constants: backslash escapes, no newline.
        const what = c === '"' ? 'quoted string' : 'character constant';
        p++;
        while (p < src.length && src[p] !== c) {
          if (src[p] === '\\') p++;
          if (src[p] === '\n' || p >= src.length) err(s, `unterminated ${what}`);
          p++;
        }
        if (p >= src.length) err(s, `unterminated ${what}`);
        p++;
        toks.push({ t: c === '"' ? 'str' : 'char', v: src.slice(s, p), pos: s });
        continue;
      }
      if (c === '`') {
        const close = src.indexOf('`', p + 1);
        if (close < 0) err(s, 'unterminated raw quoted string');
        p = close + 1;
        toks.push({ t: 'str', v: src.slice(s, p), pos: s });
        continue;
      }
      if (c === '$') {
        p++;
        while (isAlnum(src[p])) p++;
        toks.push({ t: 'var', v: src.slice(s, p), pos: s });
        continue;
      }
      if (c === '.') {
        if (/[0-9]/.test(src[p + 1] ?? '')) {
          // A number such as .5
        } else if (isAlnum(src[p + 1])) {
          p++;
          while (isAlnum(src[p])) p++;
          toks.push({ t: 'field', v: src.slice(s, p), pos: s });
          continue;
        } else {
          toks.push({ t: 'dot', v: '.', pos: p++ });
          continue;
        }
      }
      if (/[0-9+\-.]/.test(c)) {
        const m = src.slice(p).match(/^[+-]?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(\d[\d_]*)?\.?\d*([eE][+-]?\d+)?)/);
        const text = m ? m[0] : '';
        if (!text || text === '+' || text === '-' || isAlnum(src[p + text.length])) {
          const bad = src.slice(p).match(/^[^ \t\r\n}|()]+/)?.[0] ?? c;
          err(s, `bad number syntax: "${bad}"`);
        }
        p += text.length;
        toks.push({ t: 'num', v: text, pos: s });
        continue;
      }
      if (isAlnum(c)) {
        while (isAlnum(src[p])) p++;
        const w = src.slice(s, p);
        const t: TokT = KEYWORDS.has(w) ? 'keyword' : w === 'true' || w === 'false' ? 'bool' : w === 'nil' ? 'nil' : 'ident';
        toks.push({ t, v: w, pos: s });
        continue;
      }
      const cp = c.codePointAt(0)!;
      err(s, `unexpected bad character U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}' in command`);
    }
    i = p;
  }
  toks.push({ t: 'eof', v: '', pos: src.length });
  return toks;
}

// ---------------------------------------------------------------- parser

function unquote(text: string): string {
  if (text.startsWith('`')) return text.slice(1, -1);
  return JSON.parse(text.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b').replace(/\\'/g, "'")) as string;
}

class Parser {
  private i = 0;
  private vars: string[][] = [['$']];
  /** How many `range` bodies enclose the current position (`{{break}}`/`{{continue}}` need one). */
  private loop = 0;
  constructor(
    private readonly src: string,
    private readonly toks: Tok[],
    private readonly opts: TemplateOptions,
  ) {}

  private err(pos: number, msg: string): never {
    throw new GoTemplateError(`template: ${this.opts.name ?? ''}:${lineOf(this.src, pos)}: ${msg}`, 'parse');
  }
  private peek(): Tok {
    return this.toks[this.i]!;
  }
  private next(): Tok {
    return this.toks[this.i++]!;
  }
  private nextNonSpace(): Tok {
    let t = this.next();
    while (t.t === 'space') t = this.next();
    return t;
  }
  private peekNonSpace(): Tok {
    const save = this.i;
    const t = this.nextNonSpace();
    this.i = save;
    return t;
  }
  private describe(t: Tok): string {
    if (t.t === 'eof') return 'EOF';
    if (t.t === 'right') return '"}}"';
    if (t.t === 'keyword') return `<${t.v}>`;
    return `"${t.v}"`;
  }

  parse(): Node[] {
    const [list, end] = this.list(true);
    if (end) this.err(end.pos, `unexpected ${end.v === 'end' ? '{{end}}' : '{{else}}'}`);
    return list;
  }

  /** Items until `{{end}}` / `{{else}}` (returned) or EOF (only at top level). */
  private list(top: boolean): [Node[], Tok | null] {
    const out: Node[] = [];
    for (;;) {
      const t = this.next();
      if (t.t === 'eof') {
        if (!top) this.err(t.pos, 'unexpected EOF');
        return [out, null];
      }
      if (t.t === 'text') {
        out.push({ t: 'text', v: t.v });
        continue;
      }
      // t is '{{'
      const k = this.peekNonSpace();
      if (k.t === 'keyword') {
        this.nextNonSpace();
        switch (k.v) {
          case 'end':
          case 'else':
            return [out, k];
          case 'if':
          case 'with':
          case 'range':
            out.push(this.control(k.v, k.pos));
            continue;
          case 'break':
          case 'continue': {
            const r = this.nextNonSpace();
            if (r.t !== 'right') this.err(r.pos, `unexpected ${this.describe(r)} in {{${k.v}}}`);
            if (this.loop === 0) this.err(k.pos, `{{${k.v}}} outside {{range}}`);
            out.push({ t: k.v, pos: k.pos });
            continue;
          }
          default:
            this.err(k.pos, `{{${k.v}}} is not supported by Packet Path's template engine`);
        }
      }
      const pipe = this.pipeline('command', 'right');
      out.push({ t: 'action', pipe, pos: pipe.pos });
    }
  }

  private control(kind: 'if' | 'with' | 'range', pos: number): Node {
    this.vars.push([...this.vars.at(-1)!]);
    const pipe = this.pipeline(kind, 'right');
    if (pipe.decl.length === 0 && pipe.cmds.length === 0) this.err(pos, `missing value for ${kind}`);
    this.loop += kind === 'range' ? 1 : 0;
    const [list, end] = this.list(false);
    this.loop -= kind === 'range' ? 1 : 0;
    let elseList: Node[] | null = null;
    if (end!.v === 'else') {
      const nk = this.peekNonSpace();
      if (kind === 'if' && nk.t === 'keyword' && nk.v === 'if') {
        // `{{else if ...}}` is an `if` nested in the else branch; it consumes the shared `{{end}}`.
        this.nextNonSpace();
        elseList = [this.control('if', nk.pos)];
      } else {
        const r = this.nextNonSpace();
        if (r.t !== 'right') this.err(r.pos, `unexpected ${this.describe(r)} in else`);
        const [el, end2] = this.list(false);
        if (end2!.v !== 'end') this.err(end2!.pos, 'expected end; found {{else}}');
        this.closeEnd();
        elseList = el;
      }
    } else this.closeEnd();
    this.vars.pop();
    return { t: kind, pipe, list, elseList, pos };
  }

  private closeEnd(): void {
    const r = this.nextNonSpace();
    if (r.t !== 'right') this.err(r.pos, `unexpected ${this.describe(r)} in end`);
  }

  private pipeline(context: string, end: 'right' | 'rparen'): Pipe {
    const start = this.peekNonSpace();
    const decl: string[] = [];
    let assign = false;
    // Declarations: `$x :=`, `$x =`, `$i, $e :=` (the last only in range).
    const save = this.i;
    const v = this.nextNonSpace();
    if (v.t === 'var') {
      const n = this.nextNonSpace();
      if (n.t === 'declare' || n.t === 'assign') {
        decl.push(v.v);
        assign = n.t === 'assign';
      } else if (n.t === 'comma' && context === 'range') {
        const v2 = this.nextNonSpace();
        const d = this.nextNonSpace();
        if (v2.t !== 'var' || (d.t !== 'declare' && d.t !== 'assign')) this.err(n.pos, `range can only initialize variables`);
        decl.push(v.v, v2.v);
        assign = d.t === 'assign';
      } else if (n.t === 'comma') {
        this.err(n.pos, `unexpected "," in ${context}`);
      } else this.i = save;
    } else this.i = save;
    if (!assign) for (const d of decl) this.vars.at(-1)!.push(d);
    else for (const d of decl) if (!this.vars.at(-1)!.includes(d)) this.err(start.pos, `undefined variable "${d}"`);
    const cmds: Cmd[] = [];
    for (;;) {
      const t = this.peekNonSpace();
      if (t.t === end) {
        this.nextNonSpace();
        if (cmds.length === 0 && decl.length) this.err(t.pos, `missing value for ${context}`);
        if (cmds.length === 0 && context === 'command') this.err(t.pos, 'missing value for command');
        break;
      }
      cmds.push(this.command(end));
      const after = this.peekNonSpace();
      if (after.t === 'pipe') {
        this.nextNonSpace();
        const n = this.peekNonSpace();
        if (n.t === end || n.t === 'pipe') this.err(n.pos, 'missing command');
      }
    }
    return { decl, assign, cmds, pos: start.pos };
  }

  private command(end: 'right' | 'rparen'): Cmd {
    const args: Arg[] = [];
    let pos = -1;
    for (;;) {
      const t = this.peekNonSpace();
      if (t.t === 'pipe' || t.t === end) break;
      if (t.t === 'right' || t.t === 'rparen' || t.t === 'eof') this.err(t.pos, `unexpected ${this.describe(t)} in operand`);
      const a = this.operand();
      if (pos < 0) pos = a.pos;
      args.push(a);
      const n = this.peek();
      if (n.t !== 'space' && n.t !== 'pipe' && n.t !== end && n.t !== 'rparen' && n.t !== 'right') {
        this.err(n.pos, `unexpected ${this.describe(n)} in operand`);
      }
    }
    if (args.length === 0) this.err(this.peekNonSpace().pos, 'empty command');
    return { args, pos };
  }

  private operand(): Arg {
    const t = this.nextNonSpace();
    let a: Arg;
    switch (t.t) {
      case 'field':
        a = { t: 'field', names: [t.v.slice(1)], pos: t.pos };
        break;
      case 'var':
        if (!this.vars.at(-1)!.includes(t.v)) this.err(t.pos, `undefined variable "${t.v}"`);
        a = { t: 'var', name: t.v, names: [], pos: t.pos };
        break;
      case 'dot':
        a = { t: 'dot', pos: t.pos };
        break;
      case 'nil':
        a = { t: 'nil', pos: t.pos };
        break;
      case 'bool':
        a = { t: 'bool', v: t.v === 'true', pos: t.pos };
        break;
      case 'num': {
        const n = Number(t.v.replace(/_/g, ''));
        if (Number.isNaN(n)) this.err(t.pos, `bad number syntax: "${t.v}"`);
        a = { t: 'num', v: n, text: t.v, pos: t.pos };
        break;
      }
      case 'char': {
        const ch = unquote(`"${t.v.slice(1, -1).replace(/"/g, '\\"')}"`);
        a = { t: 'num', v: ch.codePointAt(0) ?? 0, text: t.v, pos: t.pos };
        break;
      }
      case 'str':
        a = { t: 'str', v: unquote(t.v), text: t.v, pos: t.pos };
        break;
      case 'ident':
        if (!(t.v in BUILTINS) && !(t.v in DOCKER_FUNCS) && !(t.v in (this.opts.funcs ?? {}))) this.err(t.pos, `function "${t.v}" not defined`);
        a = { t: 'ident', name: t.v, pos: t.pos };
        break;
      case 'lparen': {
        const pipe = this.pipeline('parenthesized pipeline', 'rparen');
        a = { t: 'pipe', pipe, names: [], pos: t.pos };
        break;
      }
      default:
        return this.err(t.pos, `unexpected ${this.describe(t)} in operand`);
    }
    // A chain of fields after the operand: `.A.B`, `$x.A`, `(pipe).A`.
    if (this.peek().t === 'field') {
      if (a.t !== 'field' && a.t !== 'var' && a.t !== 'pipe' && a.t !== 'dot') {
        if (a.t === 'bool' || a.t === 'str' || a.t === 'num' || a.t === 'nil') this.err(this.peek().pos, `unexpected . after term ${JSON.stringify(argString(a))}`);
      }
      const chainPos = this.peek().pos;
      const names: string[] = [];
      while (this.peek().t === 'field') names.push(this.next().v.slice(1));
      if (a.t === 'field') a = { t: 'field', names: [...a.names, ...names], pos: chainPos };
      else if (a.t === 'var') a = { ...a, names, pos: chainPos };
      else if (a.t === 'pipe') a = { ...a, names, pos: chainPos };
      else if (a.t === 'dot') this.err(chainPos, `unexpected . after term "."`);
      else a = { t: 'pipe', pipe: { decl: [], assign: false, cmds: [{ args: [a], pos: a.pos }], pos: a.pos }, names, pos: chainPos };
    }
    return a;
  }
}

function argString(a: Arg): string {
  switch (a.t) {
    case 'field': return '.' + a.names.join('.');
    case 'var': return a.name + a.names.map((n) => '.' + n).join('');
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'bool': return String(a.v);
    case 'num': return a.text;
    case 'str': return a.text;
    case 'ident': return a.name;
    case 'pipe': return `(${pipeString(a.pipe)})` + a.names.map((n) => '.' + n).join('');
  }
}

function pipeString(p: Pipe): string {
  const d = p.decl.length ? `${p.decl.join(', ')} ${p.assign ? '=' : ':='} ` : '';
  return d + p.cmds.map((c) => c.args.map(argString).join(' ')).join(' | ');
}

// ---------------------------------------------------------------- values

function goTypeName(v: GoValue): string {
  if (v === null || v === undefined) return '<nil>';
  if (v instanceof GoStruct) return v.typeName;
  if (v instanceof GoNil) return v.kind === 'map' ? 'map[string]interface {}' : v.kind === 'slice' ? '[]interface {}' : '*struct {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? '[]string' : '[]interface {}';
  return 'map[string]interface {}';
}

function truth(v: GoValue): boolean {
  if (v === null || v === undefined || v instanceof GoNil) return false;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof GoStruct) return true;
  return Object.keys(v).length > 0;
}

function goNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const s = String(n);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** fmt's %v of a value inside a composite (nil prints `<nil>`). */
function sprintValue(v: GoValue): string {
  if (v === null || v === undefined) return '<nil>';
  if (v instanceof GoNil) return v.kind === 'map' ? 'map[]' : v.kind === 'slice' ? '[]' : '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return '[' + v.map(sprintValue).join(' ') + ']';
  if (v instanceof GoStruct) {
    return '{' + Object.values(v.members).filter((m) => typeof m !== 'function').map((m) => sprintValue(m as GoValue)).join(' ') + '}';
  }
  return 'map[' + Object.keys(v).sort().map((k) => `${k}:${sprintValue(v[k])}`).join(' ') + ']';
}

/** What an action prints: text/template's printableValue, then fmt.Fprint. */
function printValue(v: GoValue): string {
  if (v === undefined) return '<no value>';
  return sprintValue(v);
}

/** Go's encoding/json with SetEscapeHTML(false), compact, as Docker's `json` function. */
function goJson(v: GoValue): string {
  const conv = (x: GoValue): unknown => {
    if (x === undefined || x === null || x instanceof GoNil) return null;
    if (x instanceof GoStruct) {
      if (x.toJson) return x.toJson();
      const o: Record<string, unknown> = {};
      for (const [k, m] of Object.entries(x.members)) o[k] = conv(typeof m === 'function' ? m() : m);
      return o;
    }
    if (Array.isArray(x)) return x.map(conv);
    if (typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, conv(y)]));
    return x;
  };
  return JSON.stringify(conv(v)).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

// ---------------------------------------------------------------- functions

class FuncError extends Error {}

type Param = 'string' | 'int' | '[]string' | 'any';

/** text/template's validateType: the Go error for an argument of the wrong type, or null. */
function paramError(want: Param, v: GoValue): string | null {
  if (want === 'any') return null;
  if (v === undefined || v === null) return want === '[]string' ? null : `invalid value; expected ${want}`;
  const ok = want === 'string' ? typeof v === 'string'
    : want === 'int' ? typeof v === 'number' && Number.isInteger(v)
      : (Array.isArray(v) && v.every((x) => typeof x === 'string')) || (v instanceof GoNil && v.kind === 'slice');
  return ok ? null : `wrong type for value; expected ${want}; got ${goTypeName(v)}`;
}

const str = (v: GoValue): string => (typeof v === 'string' ? v : '');
const int = (v: GoValue): number => (typeof v === 'number' ? v : 0);
const strs = (v: GoValue): string[] => (Array.isArray(v) ? (v as string[]) : []);

interface Fn {
  arity: number | [number, number];
  /** Declared parameter types (the last repeats for variadic functions). */
  params?: Param[];
  call: (args: GoValue[]) => GoValue;
}

/** strings.Title: the first letter of each word (words split at non-letters/digits/underscore). */
function title(s: string): string {
  return s.replace(/(^|[^\p{L}\p{Nd}_])(\p{L})/gu, (_, pre: string, ch: string) => pre + ch.toUpperCase());
}

const DOCKER_FUNCS: Record<string, Fn> = {
  json: { arity: 1, call: ([v]) => goJson(v) },
  split: { arity: 2, params: ['string', 'string'], call: ([s, sep]) => splitGo(str(s), str(sep)) },
  join: { arity: 2, params: ['[]string', 'string'], call: ([a, sep]) => strs(a).join(str(sep)) },
  title: { arity: 1, params: ['string'], call: ([s]) => title(str(s)) },
  lower: { arity: 1, params: ['string'], call: ([s]) => str(s).toLowerCase() },
  upper: { arity: 1, params: ['string'], call: ([s]) => str(s).toUpperCase() },
  pad: { arity: 3, params: ['string', 'int', 'int'], call: ([s, a, b]) => (str(s) === '' ? '' : ' '.repeat(int(a)) + str(s) + ' '.repeat(int(b))) },
  truncate: { arity: 2, params: ['string', 'int'], call: ([s, n]) => (str(s).length < int(n) ? str(s) : str(s).slice(0, int(n))) },
};

/** Docker's HeaderFunctions: table headers stay as they are. */
const HEADER_FUNCS: Record<string, Fn> = {
  json: { arity: 1, params: ['string'], call: ([v]) => v },
  split: { arity: 2, params: ['string', 'string'], call: ([v]) => v },
  join: { arity: 2, params: ['string', 'string'], call: ([v]) => v },
  title: { arity: 1, params: ['string'], call: ([v]) => v },
  lower: { arity: 1, params: ['string'], call: ([v]) => v },
  upper: { arity: 1, params: ['string'], call: ([v]) => v },
  truncate: { arity: 2, params: ['string', 'int'], call: ([v]) => v },
};

function splitGo(s: string, sep: string): string[] {
  if (sep === '') return [...s];
  return s.split(sep);
}

function basicKind(v: GoValue): 'string' | 'number' | 'bool' | 'nil' | 'other' {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'other';
}

function eqValues(a: GoValue, b: GoValue): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'other' || kb === 'other') throw new FuncError('incompatible types for comparison');
  if (ka !== kb) {
    if (ka === 'nil' || kb === 'nil') throw new FuncError('incompatible types for comparison');
    throw new FuncError('incompatible types for comparison');
  }
  return a === b;
}

function lessThan(a: GoValue, b: GoValue): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'bool' || ka === 'nil' || ka === 'other' || kb === 'bool' || kb === 'nil' || kb === 'other') throw new FuncError('invalid type for comparison');
  if (ka !== kb) throw new FuncError('incompatible types for comparison');
  return (a as string | number) < (b as string | number);
}

function indexValue(v: GoValue, keys: GoValue[]): GoValue {
  let cur = v;
  for (const k of keys) {
    if (cur === null || cur === undefined) throw new FuncError('index of untyped nil');
    if (Array.isArray(cur) || typeof cur === 'string') {
      if (typeof k !== 'number' || !Number.isInteger(k)) throw new FuncError(`cannot index slice/array with type ${goTypeName(k)}`);
      const len = typeof cur === 'string' ? new TextEncoder().encode(cur).length : cur.length;
      if (k < 0 || k >= len) throw new FuncError(`index out of range: ${k}`);
      cur = typeof cur === 'string' ? new TextEncoder().encode(cur)[k]! : cur[k];
    } else if (cur instanceof GoNil) {
      if (cur.kind === 'map') return undefined;
      if (cur.kind === 'slice') throw new FuncError(`index out of range: ${String(k)}`);
      throw new FuncError('index of nil pointer');
    } else if (typeof cur === 'object' && !(cur instanceof GoStruct)) {
      if (typeof k !== 'string') throw new FuncError(`value has type ${goTypeName(k)}; should be string`);
      cur = k in cur ? cur[k] : undefined;
    } else throw new FuncError(`can't index item of type ${goTypeName(cur)}`);
  }
  return cur;
}

function sliceValue(v: GoValue, idx: GoValue[]): GoValue {
  if (typeof v !== 'string' && !Array.isArray(v)) throw new FuncError(`can't slice item of type ${goTypeName(v)}`);
  const len = v.length;
  const n = idx.map((x) => {
    if (typeof x !== 'number' || !Number.isInteger(x)) throw new FuncError(`cannot index slice/array with type ${goTypeName(x)}`);
    return x;
  });
  if (typeof v === 'string' && n.length > 2) throw new FuncError('cannot 3-index slice a string');
  const [i = 0, j = len] = n;
  if (i < 0 || j < i || j > len) throw new FuncError(`index out of range: ${j > len ? j : i}`);
  return v.slice(i, j);
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
function sprint(args: GoValue[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += sprintValue(a);
  });
  return out;
}

/** fmt.Sprintf for the verbs templates use (%s %v %d %q %t %x %X %f %c %%). */
function sprintf(format: string, args: GoValue[]): string {
  let ai = 0;
  return format.replace(/%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g, (_m, flags: string, w?: string, prec?: string, verb = '') => {
    if (verb === '%') return '%';
    if (ai >= args.length) return `%!${verb}(MISSING)`;
    const a = args[ai++];
    let s: string;
    switch (verb) {
      case 'v':
      case 's':
        s = verb === 's' && typeof a === 'number' ? `%!s(int=${a})` : sprintValue(a);
        if (prec !== undefined && typeof a === 'string') s = s.slice(0, Number(prec));
        break;
      case 'd':
        s = typeof a === 'number' && Number.isInteger(a) ? String(a) : `%!d(${goTypeName(a)}=${sprintValue(a)})`;
        break;
      case 'q':
        s = typeof a === 'string' ? JSON.stringify(a) : `%!q(${goTypeName(a)}=${sprintValue(a)})`;
        break;
      case 't':
        s = typeof a === 'boolean' ? String(a) : `%!t(${goTypeName(a)}=${sprintValue(a)})`;
        break;
      case 'x':
      case 'X': {
        const hex = typeof a === 'number' ? a.toString(16) : typeof a === 'string' ? [...new TextEncoder().encode(a)].map((b) => b.toString(16).padStart(2, '0')).join('') : `%!${verb}(${goTypeName(a)}=${sprintValue(a)})`;
        s = verb === 'X' ? hex.toUpperCase() : hex;
        break;
      }
      case 'f':
        s = typeof a === 'number' ? a.toFixed(prec === undefined ? 6 : Number(prec)) : `%!f(${goTypeName(a)}=${sprintValue(a)})`;
        break;
      case 'c':
        s = typeof a === 'number' ? String.fromCodePoint(a) : `%!c(${goTypeName(a)}=${sprintValue(a)})`;
        break;
      default:
        s = `%!${verb}(${goTypeName(a)}=${sprintValue(a)})`;
    }
    const width = w ? Number(w) : 0;
    if (s.length < width) s = flags.includes('-') ? s.padEnd(width) : s.padStart(width, flags.includes('0') && verb !== 's' ? '0' : ' ');
    return s;
  }) + (ai < args.length ? `%!(EXTRA ${args.slice(ai).map((a) => `${goTypeName(a)}=${sprintValue(a)}`).join(', ')})` : '');
}

const HTML_ESC: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;', '\0': '\uFFFD' };

const BUILTINS: Record<string, Fn> = {
  and: { arity: [1, Infinity], call: () => undefined },
  or: { arity: [1, Infinity], call: () => undefined },
  not: { arity: 1, call: ([v]) => !truth(v) },
  len: {
    arity: 1,
    call: ([v]) => {
      if (typeof v === 'string') return new TextEncoder().encode(v).length;
      if (Array.isArray(v)) return v.length;
      if (v instanceof GoNil && v.kind !== 'ptr') return 0;
      if (v && typeof v === 'object' && !(v instanceof GoStruct) && !(v instanceof GoNil)) return Object.keys(v).length;
      throw new FuncError(`len of ${v === null || v === undefined ? 'nil pointer' : `type ${goTypeName(v)}`}`);
    },
  },
  index: { arity: [1, Infinity], call: ([v, ...k]) => indexValue(v, k) },
  slice: { arity: [1, 4], call: ([v, ...k]) => sliceValue(v, k) },
  print: { arity: [0, Infinity], call: (a) => sprint(a) },
  println: { arity: [0, Infinity], call: (a) => a.map(sprintValue).join(' ') + '\n' },
  printf: { arity: [1, Infinity], params: ['string', 'any'], call: ([f, ...a]) => sprintf(str(f), a) },
  eq: {
    arity: [1, Infinity],
    call: ([a, ...bs]) => {
      if (bs.length === 0) throw new FuncError('missing argument for comparison');
      return bs.some((b) => eqValues(a, b));
    },
  },
  ne: { arity: 2, call: ([a, b]) => !eqValues(a, b) },
  lt: { arity: 2, call: ([a, b]) => lessThan(a, b) },
  le: { arity: 2, call: ([a, b]) => lessThan(a, b) || eqValues(a, b) },
  gt: { arity: 2, call: ([a, b]) => !lessThan(a, b) && !eqValues(a, b) },
  ge: { arity: 2, call: ([a, b]) => !lessThan(a, b) },
  html: { arity: [0, Infinity], call: (a) => sprint(a).replace(/[<>&'"\0]/g, (c) => HTML_ESC[c]!) },
  js: {
    arity: [0, Infinity],
    call: (a) => sprint(a).replace(/[\\'"<>&=\n\r\t]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!),
  },
  urlquery: { arity: [0, Infinity], call: (a) => encodeURIComponent(sprint(a)).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`) },
  call: { arity: [1, Infinity], call: ([f]) => { throw new FuncError(`non-function of type ${goTypeName(f)}`); } },
};

// ---------------------------------------------------------------- execution

class Break {}
class Continue {}

class Exec {
  private vars: [string, GoValue][] = [];
  constructor(
    private readonly src: string,
    private readonly opts: ExecOptions,
    private readonly tmpl: TemplateOptions,
  ) {}

  private err(pos: number, node: string, msg: string): never {
    const before = this.src.slice(0, pos);
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const col = pos - (before.lastIndexOf('\n') + 1);
    const ctx = node.length > 20 ? `${node.slice(0, 20)}...` : node;
    const name = this.tmpl.name ?? '';
    throw new GoTemplateError(`template: ${name}:${line}:${col}: executing "${name}" at <${ctx}>: ${msg}`, 'exec');
  }

  /** What has been written so far: Docker prints a table header even when its execution failed. */
  out = '';

  run(nodes: Node[], dot: GoValue): string {
    this.vars = [['$', dot]];
    this.list(nodes, dot);
    return this.out;
  }

  private list(nodes: Node[], dot: GoValue): void {
    for (const n of nodes) this.node(n, dot);
  }

  /** Variables declared inside a control structure end with it. */
  private scoped(fn: () => void): void {
    const mark = this.vars.length;
    try {
      fn();
    } finally {
      this.vars.length = mark;
    }
  }

  private node(n: Node, dot: GoValue): void {
    switch (n.t) {
      case 'text':
        this.out += n.v;
        return;
      case 'action': {
        const v = this.pipe(n.pipe, dot);
        if (!n.pipe.decl.length) this.out += printValue(v);
        return;
      }
      case 'if':
      case 'with':
        return this.scoped(() => {
          const v = this.pipe(n.pipe, dot);
          if (truth(v)) this.list(n.list, n.t === 'with' ? v : dot);
          else if (n.elseList) this.list(n.elseList, dot);
        });
      case 'range':
        return this.scoped(() => this.range(n, dot));
      case 'break':
        throw new Break();
      case 'continue':
        throw new Continue();
    }
  }

  private range(n: Extract<Node, { list: Node[] }>, dot: GoValue): void {
    const v = this.pipe({ ...n.pipe, decl: [] }, dot);
    const items: [GoValue, GoValue][] = [];
    if (Array.isArray(v)) v.forEach((x, i) => items.push([i, x]));
    else if (v instanceof GoNil || v === null || v === undefined) {
      if (v instanceof GoNil && v.kind === 'ptr') this.err(n.pipe.pos, pipeString(n.pipe), `range can't iterate over <nil>`);
    } else if (typeof v === 'object' && !(v instanceof GoStruct)) for (const k of Object.keys(v).sort()) items.push([k, v[k]]);
    else this.err(n.pipe.pos, pipeString(n.pipe), `range can't iterate over ${sprintValue(v)}`);
    if (items.length === 0) {
      if (n.elseList) this.list(n.elseList, dot);
      return;
    }
    const mark = this.vars.length;
    for (const [k, x] of items) {
      this.vars.length = mark;
      if (n.pipe.decl.length === 1) this.setVar(n.pipe.decl[0]!, x, n.pipe.assign);
      if (n.pipe.decl.length === 2) {
        this.setVar(n.pipe.decl[0]!, k, n.pipe.assign);
        this.setVar(n.pipe.decl[1]!, x, n.pipe.assign);
      }
      try {
        this.list(n.list, x);
      } catch (e) {
        if (e instanceof Break) break;
        if (e instanceof Continue) continue;
        throw e;
      }
    }
  }

  private setVar(name: string, v: GoValue, assign: boolean): void {
    if (assign) {
      for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]![0] === name) {
        this.vars[i]![1] = v;
        return;
      }
    }
    this.vars.push([name, v]);
  }

  private lookupVar(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]![0] === name) return this.vars[i]![1];
    return undefined;
  }

  private pipe(p: Pipe, dot: GoValue): GoValue {
    let v: GoValue = undefined;
    let first = true;
    for (const c of p.cmds) {
      v = this.command(c, dot, first ? null : { v });
      first = false;
    }
    for (const d of p.decl) this.setVar(d, v, p.assign);
    return v;
  }

  private command(c: Cmd, dot: GoValue, piped: { v: GoValue } | null): GoValue {
    const [head, ...rest] = c.args;
    const extra = piped ? [piped.v] : [];
    switch (head!.t) {
      case 'field':
        return this.fieldChain(dot, head!.names, head!, rest, extra, dot);
      case 'var': {
        const base = this.lookupVar(head!.name);
        if (head!.names.length === 0) {
          if (rest.length || extra.length) this.err(head!.pos, argString(head!), `can't give argument to non-function ${argString(head!)}`);
          return base;
        }
        return this.fieldChain(base, head!.names, head!, rest, extra, dot);
      }
      case 'pipe': {
        const base = this.pipe(head!.pipe, dot);
        if (head!.names.length === 0) {
          if (rest.length || extra.length) this.err(head!.pos, argString(head!), `can't give argument to non-function ${argString(head!)}`);
          return base;
        }
        return this.fieldChain(base, head!.names, head!, rest, extra, dot);
      }
      case 'ident':
        return this.call(head as Extract<Arg, { t: 'ident' }>, rest, extra, dot);
      case 'nil':
        return this.err(head!.pos, 'nil', 'nil is not a command');
      default:
        if (rest.length || extra.length) this.err(head!.pos, argString(head!), `can't give argument to non-function ${argString(head!)}`);
        return this.arg(head!, dot);
    }
  }

  private arg(a: Arg, dot: GoValue): GoValue {
    switch (a.t) {
      case 'dot': return dot;
      case 'nil': return null;
      case 'bool': return a.v;
      case 'num': return a.v;
      case 'str': return a.v;
      case 'field': return this.fieldChain(dot, a.names, a, [], [], dot);
      case 'var': return a.names.length ? this.fieldChain(this.lookupVar(a.name), a.names, a, [], [], dot) : this.lookupVar(a.name);
      case 'pipe': {
        const v = this.pipe(a.pipe, dot);
        return a.names.length ? this.fieldChain(v, a.names, a, [], [], dot) : v;
      }
      case 'ident': return this.call(a, [], [], dot);
    }
  }

  private fieldChain(base: GoValue, names: string[], node: Arg, args: Arg[], extra: GoValue[], dot: GoValue): GoValue {
    let v = base;
    const text = argString(node);
    names.forEach((name, i) => {
      const last = i === names.length - 1;
      v = this.field(v, name, node.pos, text, last ? args : [], last ? extra : [], dot);
    });
    return v;
  }

  private field(recv: GoValue, name: string, pos: number, text: string, args: Arg[], extra: GoValue[], dot: GoValue): GoValue {
    const hasArgs = args.length > 0 || extra.length > 0;
    if (recv instanceof GoStruct) {
      const m = recv.members[name];
      if (m === undefined) this.err(pos, text, `can't evaluate field ${name} in type ${recv.typeName}`);
      if (typeof m === 'function') {
        const vals = [...args.map((a) => this.arg(a, dot)), ...extra];
        if (vals.length !== m.length) this.err(pos, text, `wrong number of args for ${name}: want ${m.length} got ${vals.length}`);
        try {
          return m(...vals);
        } catch (e) {
          if (e instanceof FuncError) this.err(pos, text, `error calling ${name}: ${e.message}`);
          throw e;
        }
      }
      if (hasArgs) this.err(pos, text, `${name} has arguments but cannot be invoked as function`);
      return m;
    }
    if (recv === null || recv === undefined) this.err(pos, text, `nil pointer evaluating interface {}.${name}`);
    if (recv instanceof GoNil) {
      if (recv.kind === 'map') return this.err(pos, text, `map has no entry for key "${name}"`);
      this.err(pos, text, `nil pointer evaluating ${goTypeName(recv)}.${name}`);
    }
    if (typeof recv === 'object' && !Array.isArray(recv)) {
      if (hasArgs) this.err(pos, text, `${name} is not a method but has arguments`);
      if (!(name in recv)) {
        if (this.opts.missingKeyInvalid) return undefined;
        this.err(pos, text, `map has no entry for key "${name}"`);
      }
      const v = recv[name];
      if (v === null) {
        const kind = this.opts.nullKind?.(name);
        return kind ? new GoNil(kind) : undefined;
      }
      return v;
    }
    return this.err(pos, text, `can't evaluate field ${name} in type ${goTypeName(recv)}`);
  }

  private call(id: Extract<Arg, { t: 'ident' }>, args: Arg[], extra: GoValue[], dot: GoValue): GoValue {
    const extra1 = this.tmpl.funcs?.[id.name];
    const fn = (extra1 && { arity: extra1.length, call: (a: GoValue[]) => extra1(...a) })
      ?? (this.opts.header ? HEADER_FUNCS[id.name] : undefined) ?? BUILTINS[id.name] ?? DOCKER_FUNCS[id.name]!;
    const n = args.length + extra.length;
    const [min, max] = Array.isArray(fn.arity) ? fn.arity : [fn.arity, fn.arity];
    if (n < min || n > max) {
      const want = Array.isArray(fn.arity) ? `at least ${min}` : String(min);
      this.err(id.pos, id.name, `wrong number of args for ${id.name}: want ${want} got ${n}`);
    }
    if (id.name === 'and' || id.name === 'or') {
      // Short-circuit (go1.18+): the first falsy (and) / truthy (or) argument, else the last.
      let v: GoValue = undefined;
      const all = [...args.map((a) => () => this.arg(a, dot)), ...extra.map((x) => () => x)];
      for (const get of all) {
        v = get();
        if (truth(v) === (id.name === 'or')) return v;
      }
      return v;
    }
    const vals = [...args.map((a) => this.arg(a, dot)), ...extra];
    vals.forEach((v, i) => {
      const want = fn.params ? fn.params[Math.min(i, fn.params.length - 1)]! : 'any';
      const msg = paramError(want, v);
      const at = args[i] ?? id;
      if (msg) this.err(at.pos, argString(at), msg);
    });
    try {
      return fn.call(vals);
    } catch (e) {
      if (e instanceof FuncError) this.err(id.pos, id.name, `error calling ${id.name}: ${e.message}`);
      throw e;
    }
  }
}

/** A parsed template, ready to run over any number of values. */
export interface GoTemplate {
  /** Throws GoTemplateError; `partial` gets what was written before the error. */
  execute(dot: GoValue, opts?: ExecOptions, partial?: { out: string }): string;
}

/** A template's name (`templates.New("version")`) and the functions its command adds. */
export interface TemplateOptions {
  name?: string;
  funcs?: Record<string, (...args: GoValue[]) => GoValue>;
}

/** Parse `src` as text/template does (`templates.Parse` in docker/cli); throws GoTemplateError. */
export function parseGoTemplate(src: string, options: TemplateOptions = {}): GoTemplate {
  const tree = new Parser(src, lex(src, options.name ?? ''), options).parse();
  return {
    execute(dot: GoValue, opts: ExecOptions = {}, partial?: { out: string }): string {
      const exec = new Exec(src, opts, options);
      try {
        return exec.run(tree, dot);
      } finally {
        if (partial) partial.out = exec.out;
      }
    },
  };
}
