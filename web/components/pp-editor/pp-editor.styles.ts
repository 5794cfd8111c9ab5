/** Plain CSS (the editor renders in the light DOM, next to Monaco's own stylesheet). */
export const styles = `
pp-editor { display: block; height: 100%; min-height: 0; }
pp-editor .pp-editor { display: flex; flex-direction: column; height: 100%; min-height: 0; background: var(--pp-panel); }
pp-editor .pp-editor-tabs { display: flex; gap: 0; background: var(--pp-panel-header); border-bottom: 1px solid var(--pp-border); }
pp-editor .pp-editor-tabs button { font: 12px var(--pp-font-ui); color: var(--pp-muted); background: none; border: none; border-right: 1px solid var(--pp-border); padding: 5px 12px; cursor: pointer; border-top: 2px solid transparent; }
pp-editor .pp-editor-tabs button.active { color: var(--pp-fg); background: var(--pp-panel); border-top-color: var(--pp-accent); }
pp-editor .pp-editor-tabs button:focus-visible { outline: 2px solid var(--pp-focus); outline-offset: -2px; }
pp-editor .pp-editor-host { flex: 1; min-height: 0; position: relative; }
pp-editor .pp-editor-loading { padding: 12px; color: var(--pp-muted); font: 12px var(--pp-font-ui); }
pp-editor .pp-editor-loading.error { color: var(--pp-error); }
pp-editor .pp-editor-status { display: flex; gap: 14px; align-items: center; padding: 1px 8px; font: 11px var(--pp-font-ui); color: var(--pp-muted); border-top: 1px solid var(--pp-border); background: var(--pp-panel-header); }
pp-editor .pp-editor-status .problems { font: inherit; background: none; border: none; color: inherit; cursor: pointer; padding: 0 2px; }
pp-editor .pp-editor-status .problems.has-errors .e { color: var(--pp-error); font-weight: 700; }
pp-editor .pp-editor-status .problems.has-warnings .w, pp-editor .pp-editor-status .problems.has-errors .w { color: var(--pp-warning); }
pp-editor .pp-editor-status .lang { margin-left: auto; }
pp-editor .pp-editor-status .tab-mode { font: inherit; background: none; border: 1px solid var(--pp-border); border-radius: 3px; color: inherit; cursor: pointer; padding: 0 5px; }
/* Faint enough that every token colour of both Monaco themes keeps 4.5:1 on it; the gutter bar marks it. */
.pp-active-step { background: var(--pp-code-active); }
.pp-active-step-gutter { background: #e8a400; width: 3px !important; margin-left: 3px; }
`;
