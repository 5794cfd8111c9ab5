/**
 * The HTML a docs page pastes to embed a script: the library's `<script type="module">` and a
 * `<packet-path-widget>` with the script inline. Used by the playground's Embed button.
 */

export interface EmbedOptions {
  /** URL of `packet-path-widget.js`. */
  library: string;
  /** A compose file the script refers to, with the name `docker compose -f` gives it. */
  compose?: { name: string; text: string };
  readonly?: boolean;
  autorun?: boolean;
  views?: string;
}

/** Inline script text cannot contain `</script` (it would end the element): escape it as `<\/script`. */
export function escapeInline(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/**
 * The script an inline child holds: escapes undone, the page's indentation (common leading
 * whitespace) and the blank first and last lines removed, so line numbers count from the first
 * command line of the script as written.
 */
export function readInline(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').replace(/<\\\/(script)/gi, '</$1').replace(/<\\!--/g, '<!--').split('\n');
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
  const indent = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(indent)).join('\n') + '\n';
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

/** The snippet for a script. */
export function embedSnippet(script: string, opts: EmbedOptions): string {
  const flags = [opts.autorun !== false ? ' autorun' : '', opts.readonly ? ' readonly' : '', opts.views ? ` views="${attr(opts.views)}"` : ''].join('');
  const body = script.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  const parts = [
    `<script type="module" src="${attr(opts.library)}"></script>`,
    `<packet-path-widget${flags}>`,
    `<script type="text/x-packet-path">\n${escapeInline(body)}\n</script>`,
  ];
  if (opts.compose?.text.trim()) {
    parts.push(`<script type="text/x-packet-path" data-file="${attr(opts.compose.name)}">\n${escapeInline(opts.compose.text.replace(/\n+$/, ''))}\n</script>`);
  }
  parts.push('</packet-path-widget>');
  return parts.join('\n') + '\n';
}
