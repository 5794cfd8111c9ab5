/**
 * Cuts pasted text into blocks, one per command output, and names each block's kind from what it
 * looks like (the command before it, when a prompt line `PS C:\> Get-NetNat` shows it, only
 * settles what the text alone cannot: `hnsdiag`, and outputs Packet Path does not read).
 */
import { type JsonWalk, walkJson } from './text.js';

export type BlockKind =
  | 'docker-network-ls'
  | 'json'
  | 'ipconfig'
  | 'list'
  | 'table'
  | 'hnsdiag'
  | 'other';

export interface Block {
  kind: BlockKind;
  text: string;
  /** The command a prompt line showed before it, if any. */
  command: string | null;
  /** The 1-based line of that prompt (0 when none): the blocks of one command's output share it. */
  prompt: number;
  /** Which pasted text (0-based) and the 1-based line in it where the block starts. */
  input: number;
  line: number;
}

/** `PS C:\> cmd`, `C:\>cmd`, and a remoting session's `[host]: PS C:\> cmd` (Packet Path's own multi-host transcripts). */
const PROMPT = /^\s*(?:\[([^\]\n]+)\]: )?(?:PS [^>\n]*>|[A-Za-z]:\\[^>\n]*>)\s?(.*)$/;
const FENCE = /^\s*(```|~~~)/;
const LIST_LINE = /^[A-Za-z][\w.\- ]*?\s*:(\s|$)/;
const NETWORK_LS = /^NETWORK ID\s+NAME\s+DRIVER/;
const DASHES = /^\s*-{2,}(\s+-{2,})*\s*$/;

/** Splits every pasted text into blocks; `hosts` collects the computer names remoting prompts show. */
export function splitBlocks(texts: readonly string[], hosts = new Set<string>()): Block[] {
  const out: Block[] = [];
  texts.forEach((text, input) => {
    const lines = text.replace(/\r\n?/g, '\n').split('\n');
    let command: string | null = null;
    let prompt = 0;
    let start = 0;
    const flush = (end: number) => {
      if (end > start) out.push(...detect(lines, start, end, command, input).map((b) => ({ ...b, prompt })));
    };
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      const p = PROMPT.exec(l);
      if (p || FENCE.test(l)) {
        flush(i);
        start = i + 1;
        if (p) {
          command = p[2]!.trim() || null;
          prompt = i + 1;
          if (p[1]) hosts.add(p[1]);
          // PowerShell's continuation prompt (`>> `) carries the rest of the command.
          while (command !== null && i + 1 < lines.length && /^\s*>>/.test(lines[i + 1]!)) {
            command = `${command.replace(/`$/, '').trim()} ${lines[++i]!.replace(/^\s*>>\s*/, '').trim()}`;
            start = i + 1;
          }
        }
      }
    }
    flush(lines.length);
  });
  return out;
}

/** Where a JSON value that starts at line `from` ends (exclusive), by bracket depth outside strings. */
function jsonEnd(lines: string[], from: number, end: number): number {
  let depth = 0;
  const state: JsonWalk = { inString: false, escaped: false };
  for (let i = from; i < end; i++) {
    walkJson(lines[i]!, (c) => {
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') depth--;
    }, state);
    // A wrapped string (console width) spans lines: it stays open across the break.
    if (depth <= 0 && !state.inString) return i + 1;
  }
  return end;
}

function detect(lines: string[], from: number, to: number, command: string | null, input: number): Omit<Block, 'prompt'>[] {
  const out: Omit<Block, 'prompt'>[] = [];
  const cmd = command?.toLowerCase() ?? '';
  const push = (kind: BlockKind, a: number, b: number) => {
    const text = lines.slice(a, b).join('\n');
    if (text.trim()) out.push({ kind, text, command, input, line: a + 1 });
  };
  if (/^hnsdiag(\.exe)?\b/.test(cmd)) {
    push('hnsdiag', from, to);
    return out;
  }
  let i = from;
  let other = -1;
  const endOther = () => {
    if (other >= 0) push('other', other, i);
    other = -1;
  };
  while (i < to) {
    const l = lines[i]!;
    const t = l.trim();
    // Blank lines and comments (`# ...`, PowerShell's and the paste's own notes) separate outputs.
    if (t === '' || t.startsWith('#')) {
      i++;
      continue;
    }
    let end = -1;
    let kind: BlockKind = 'other';
    if (/^[[{]/.test(t) || (/^"[\w.]+"\s*:/.test(t))) {
      kind = 'json';
      end = jsonEnd(lines, i, to);
    } else if (/^Windows IP Configuration/.test(t)) {
      kind = 'ipconfig';
      end = i + 1;
      while (end < to && (lines[end]!.trim() === '' || /^\s/.test(lines[end]!) || / adapter .+:$/.test(lines[end]!))) end++;
    } else if (NETWORK_LS.test(t)) {
      kind = 'docker-network-ls';
      end = i + 1;
      while (end < to && lines[end]!.trim() !== '' && !PROMPT.test(lines[end]!)) end++;
    } else if (i + 1 < to && DASHES.test(lines[i + 1]!) && !DASHES.test(l)) {
      kind = 'table';
      end = i + 2;
      while (end < to && lines[end]!.trim() !== '') end++;
    } else if (LIST_LINE.test(l)) {
      kind = 'list';
      end = i + 1;
      while (end < to && (LIST_LINE.test(lines[end]!) || lines[end]!.trim() === '' || /^\s+\S/.test(lines[end]!))) end++;
    } else if (/^[A-Z][\w.\- ]{0,40}\s*$/.test(t) && i + 1 < to && LIST_LINE.test(lines[i + 1]!)) {
      // A list whose first field name was wrapped away: start at the next line.
      i++;
      continue;
    }
    if (end < 0) {
      if (other < 0) other = i;
      i++;
      continue;
    }
    endOther();
    push(kind, i, end);
    i = end;
  }
  endOther();
  return out;
}
