/**
 * Keyboard of a tab list (WAI-ARIA Authoring Practices, "Tabs"): one tab in the Tab order (roving
 * tabindex), ←/→ (and Home/End) move between tabs and select them; Tab leaves the list.
 */

/** The tab a key moves to from `current`, or undefined when the key is not one of the list's. */
export function rovingTarget<T>(key: string, tabs: readonly T[], current: T): T | undefined {
  const k = tabs.indexOf(current);
  if (key === 'ArrowRight' || key === 'ArrowDown') return tabs[(k + 1) % tabs.length];
  if (key === 'ArrowLeft' || key === 'ArrowUp') return tabs[(k - 1 + tabs.length) % tabs.length];
  if (key === 'Home') return tabs[0];
  if (key === 'End') return tabs[tabs.length - 1];
  return undefined;
}

/**
 * Handles a keydown on a tab list: selects the target tab and focuses its button (found by
 * `[data-tab="<id>"]` inside `root` once `updated` resolves).
 */
export function rovingKeydown<T extends string>(e: KeyboardEvent, tabs: readonly T[], current: T, select: (t: T) => void, root: ParentNode, updated: Promise<unknown>): void {
  const next = rovingTarget(e.key, tabs, current);
  if (next === undefined) return;
  e.preventDefault();
  select(next);
  void updated.then(() => root.querySelector<HTMLElement>(`[role="tab"][data-tab="${next}"]`)?.focus());
}
