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

/**
 * The table of contents marks the section being read (`aria-current`), and on a phone it is a
 * collapsed bar at the top that names that section; choosing an entry closes it again.
 */
function contents(): void {
  const toc = document.querySelector<HTMLElement>('nav.toc');
  const details = toc?.querySelector('details');
  if (!toc || !details) return;
  const phone = matchMedia('(max-width: 980px)');
  if (phone.matches) details.open = false;
  const now = document.createElement('span');
  now.className = 'now';
  details.querySelector('summary')?.append(now);
  const links = Array.from(toc.querySelectorAll<HTMLAnchorElement>('a[href^="#"]'));
  const targets = links.map((a) => document.getElementById(a.hash.slice(1)));
  let frame = 0;
  const mark = () => {
    frame = 0;
    // The last heading above a line a little below the top of the window is the one being read.
    const line = Math.min(140, innerHeight / 4);
    let k = 0;
    targets.forEach((t, i) => {
      if (t && t.getBoundingClientRect().top <= line) k = i;
    });
    links.forEach((a, i) => {
      a.classList.toggle('current', i === k);
      if (i === k) a.setAttribute('aria-current', 'location');
      else a.removeAttribute('aria-current');
    });
    now.textContent = phone.matches ? `· ${links[k]?.textContent ?? ''}` : '';
  };
  addEventListener('scroll', () => (frame ||= requestAnimationFrame(mark)), { passive: true });
  addEventListener('resize', () => (frame ||= requestAnimationFrame(mark)));
  toc.addEventListener('click', (e) => {
    if ((e.target as Element).closest('a') && phone.matches) details.open = false;
  });
  mark();
}

contents();
await import('../widget/index.js');
