/** Autosave of the editor's files and the theme in localStorage (never throws: storage may be off). */

const KEY = 'packet-path:playground:v1';

export interface Saved {
  script?: string;
  compose?: string;
  theme?: 'light' | 'dark';
  /** The user's own script that an example or a link replaced ("Restore my script"). */
  previous?: { script: string; compose: string };
  /** Sizes of the resizable panes, percent: the left column's width, the upper row's height. */
  panes?: { col: number; row: number };
}

export function loadSaved(): Saved {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Saved) : {};
  } catch {
    return {};
  }
}

export function save(patch: Saved): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ ...loadSaved(), ...patch }));
  } catch {
    // Private mode or a full quota: autosave is a convenience, the page keeps working.
  }
}
