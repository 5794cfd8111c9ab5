/**
 * The living document (web/docs.html): fills every `<packet-path-widget data-example="ID">` with the
 * repository's example script examples/ID.pp (and the compose files it names), then loads the widget.
 * The examples are bundled at build time, so the page and the examples cannot drift apart.
 */
import './docs.css';

const scripts = import.meta.glob('../../examples/*.pp', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const composes = import.meta.glob('../../examples/compose/*.{yml,yaml}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

function byName(map: Record<string, string>, prefix: string): Map<string, string> {
  return new Map(Object.entries(map).map(([path, text]) => [path.slice(path.indexOf(prefix) + prefix.length), text]));
}

const examples = byName(scripts, 'examples/');
const files = byName(composes, 'examples/');

function inline(text: string, file?: string): HTMLScriptElement {
  const el = document.createElement('script');
  el.type = 'text/x-packet-path';
  if (file) el.dataset.file = file;
  el.textContent = text;
  return el;
}

for (const w of Array.from(document.querySelectorAll<HTMLElement>('packet-path-widget[data-example]'))) {
  const id = w.dataset.example!;
  const script = examples.get(`${id}.pp`);
  if (script === undefined) {
    // Not in this build: the widget says it has no script rather than the page failing.
    w.setAttribute('src', `examples/${id}.pp`);
    continue;
  }
  w.append(inline(script));
  for (const m of script.matchAll(/docker(?:-compose|\s+compose)\b[^\n#]*?(?:-f|--file)[=\s]+("[^"]+"|'[^']+'|\S+)/g)) {
    const name = m[1].replace(/^["']|["']$/g, '');
    const text = files.get(name);
    if (text !== undefined) w.append(inline(text, name));
  }
}

await import('../widget/index.js');
