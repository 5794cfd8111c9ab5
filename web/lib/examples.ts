/**
 * The examples menu: every `examples/*.pp` of the repository, bundled at build time (no network at
 * run time). The compose file a script names in `docker compose -f FILE up` (relative to examples/)
 * goes to the compose tab under that name.
 */
const scripts = import.meta.glob('../../examples/*.pp', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const composes = import.meta.glob('../../examples/**/*.{yml,yaml}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface Example {
  id: string;
  title: string;
  script: string;
  compose?: string;
  composeName?: string;
}

function base(path: string): string {
  return path.replace(/^.*\//, '').replace(/\.[^.]+$/, '');
}

/** The title: the script's first comment line, else its file name. */
function title(id: string, script: string): string {
  const first = script.split(/\r?\n/).find((l) => l.trim().startsWith('#'));
  return first ? first.replace(/^\s*#\s*/, '').trim() : id;
}

/** The compose file a script uses: the `-f` path if it names one of ours, else `examples/<id>.yml`. */
function composeOf(id: string, script: string): { name: string; text: string } | undefined {
  const named = /docker(?:-compose|\s+compose)\b[^\n#]*?(?:-f|--file)[=\s]+["']?([^\s"']+)/.exec(script)?.[1];
  if (named) {
    const key = Object.keys(composes).find((p) => p.endsWith('/examples/' + named.replace(/^\.\//, '')));
    if (key) return { name: named, text: composes[key] };
  }
  const same = Object.keys(composes).find((p) => base(p) === id);
  return same ? { name: same.replace(/^.*\//, ''), text: composes[same] } : undefined;
}

export const EXAMPLES: Example[] = Object.entries(scripts)
  .map(([path, script]) => {
    const id = base(path);
    const compose = composeOf(id, script);
    return { id, title: title(id, script), script, compose: compose?.text, composeName: compose?.name };
  })
  .sort((a, b) => a.id.localeCompare(b.id));
