/**
 * Text from a script reaches a terminal only as visible characters: control characters (escape
 * sequences that retitle a window, clear the screen or move the cursor; a carriage return that
 * overwrites a line) print in `cat -v` caret notation, and the bidirectional overrides that reorder
 * what a reader sees print as their code point.
 */

const UNPRINTABLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return `^${String.fromCharCode(code + 64)}`;
  if (code === 0x7f) return '^?';
  if (code <= 0x9f) return `M-^${String.fromCharCode(code - 0x80 + 64)}`;
  return `<U+${code.toString(16).toUpperCase()}>`;
}

/** `text` with every unprintable character made visible; newlines and tabs kept. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, visible);
}
