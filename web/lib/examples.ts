/**
 * The examples menu: every `examples/*.pp` of the repository, bundled at build time (no network at
 * run time). A compose file of the same base name (`examples/x.yml`) goes to the compose tab.
 */
const scripts = import.meta.glob('../../examples/*.pp', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const composes = import.meta.glob('../../examples/*.{yml,yaml}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

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

export const EXAMPLES: Example[] = Object.entries(scripts)
  .map(([path, script]) => {
    const id = base(path);
    const composePath = Object.keys(composes).find((p) => base(p) === id);
    return { id, title: title(id, script), script, compose: composePath ? composes[composePath] : undefined, composeName: composePath?.replace(/^.*\//, '') };
  })
  .sort((a, b) => a.id.localeCompare(b.id));
