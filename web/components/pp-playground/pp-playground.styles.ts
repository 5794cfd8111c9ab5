/**
 * Plain CSS scoped by the tag name: the playground renders in the light DOM so that Monaco (inside
 * pp-editor) gets the stylesheets it injects into the document.
 */
export const styles = `
pp-playground { display: flex; flex-direction: column; height: 100vh; background: var(--pp-bg); color: var(--pp-fg); font: 12px/1.45 var(--pp-font-ui); }
pp-playground *, pp-playground *::before, pp-playground *::after { box-sizing: border-box; }
pp-playground .pp-btn, pp-playground .toolbar button, pp-playground .banner button, pp-playground .tabs button {
  font: inherit; color: var(--pp-fg); background: var(--pp-button-bg); border: 1px solid var(--pp-border); border-radius: 3px; padding: 2px 8px; cursor: pointer;
  display: inline-flex; align-items: center; gap: 4px;
}
pp-playground .toolbar button:hover:not(:disabled) { background: var(--pp-hover); }
pp-playground button:disabled { opacity: 0.5; cursor: default; }
pp-playground :focus-visible { outline: 2px solid var(--pp-focus); outline-offset: -1px; }
pp-playground .muted { color: var(--pp-muted); }
pp-playground .toolbar { display: flex; align-items: center; gap: 8px; padding: 4px 10px; background: var(--pp-panel-header); border-bottom: 1px solid var(--pp-border); min-height: 36px; flex-wrap: wrap; }
pp-playground .brand { font-weight: 700; font-size: 14px; margin-right: 6px; white-space: nowrap; display: inline-flex; align-items: center; gap: 6px; }
pp-playground .brand svg { color: var(--pp-accent); }
pp-playground .examples { display: flex; align-items: center; gap: 6px; color: var(--pp-muted); }
pp-playground select { font: inherit; color: var(--pp-fg); background: var(--pp-button-bg); border: 1px solid var(--pp-border); border-radius: 3px; padding: 1px 4px; max-width: 340px; }
pp-playground .toolbar button.primary { background: var(--pp-primary-bg); color: #fff; border-color: var(--pp-primary-bg); font-weight: 600; }
pp-playground .toolbar button.primary:hover:not(:disabled) { filter: brightness(1.1); background: var(--pp-primary-bg); }
pp-playground .toolbar button.cancel { color: var(--pp-error); }
pp-playground .progress { display: inline-flex; align-items: center; gap: 6px; color: var(--pp-muted); font-variant-numeric: tabular-nums; }
pp-playground .runinfo .stale { color: var(--pp-warning); font-weight: 600; }
pp-playground .spacer { flex: 1; }
pp-playground .notice { color: var(--pp-ok); }
pp-playground .engine { font-size: 11px; color: var(--pp-muted); white-space: nowrap; }
pp-playground .engine.ready { color: var(--pp-ok); }
pp-playground .engine.busy { color: var(--pp-accent); }
pp-playground .engine.restarting, pp-playground .engine.starting { color: var(--pp-warning); }
pp-playground .banner { padding: 5px 10px; display: flex; gap: 10px; align-items: center; }
pp-playground .banner.crash { background: var(--pp-warning-bg); color: var(--pp-warning); }
pp-playground .banner.error { background: var(--pp-error-bg); color: var(--pp-error); }
pp-playground .banner.restore { background: var(--pp-panel-header); color: var(--pp-fg); border-bottom: 1px solid var(--pp-border); }
pp-playground .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
pp-playground main {
  flex: 1; min-height: 0; display: grid; gap: 1px; background: var(--pp-border); position: relative;
  grid-template-columns: var(--pp-col, 35%) 1fr;
  grid-template-rows: var(--pp-row, 60%) 1fr;
  grid-template-areas: 'editor topology' 'transcript details';
}
pp-playground .splitter { position: absolute; z-index: 5; background: transparent; touch-action: none; }
pp-playground .splitter.col { top: 0; bottom: 0; left: calc(var(--pp-col, 35%) - 3px); width: 7px; cursor: col-resize; }
pp-playground .splitter.row { left: 0; right: 0; top: calc(var(--pp-row, 60%) - 3px); height: 7px; cursor: row-resize; }
pp-playground .splitter:hover, pp-playground .splitter:focus-visible { background: var(--pp-accent); opacity: 0.5; outline: none; }
pp-playground .switcher { display: none; }
pp-playground main.topology-max > .splitter { display: none; }
pp-playground main.topology-max { grid-template-columns: 1fr; grid-template-rows: 1fr; grid-template-areas: 'topology'; }
pp-playground main.topology-max > .pane:not(.topology) { display: none; }
pp-playground .pane { background: var(--pp-panel); min-height: 0; min-width: 0; display: flex; flex-direction: column; overflow: hidden; }
pp-playground .pane.editor { grid-area: editor; }
pp-playground .pane.transcript { grid-area: transcript; }
pp-playground .pane.topology { grid-area: topology; }
pp-playground .pane.details { grid-area: details; }
pp-playground .pane-title { padding: 3px 8px; font-weight: 600; background: var(--pp-panel-header); border-bottom: 1px solid var(--pp-border); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; flex: none; }
pp-playground .pane-title .muted { font-weight: 400; margin-left: 6px; }
pp-playground .pane-title .good { color: var(--pp-ok); }
pp-playground .pane-title .bad { color: var(--pp-error); }
pp-playground .pane > :last-child { flex: 1; min-height: 0; }
pp-playground .tabs { display: flex; background: var(--pp-panel-header); border-bottom: 1px solid var(--pp-border); flex: none; overflow-x: auto; scrollbar-width: thin; }
pp-playground .tabs button { flex: none; }
pp-playground .tabs button { border: none; border-radius: 0; background: none; padding: 4px 12px; color: var(--pp-muted); border-top: 2px solid transparent; border-right: 1px solid var(--pp-border); }
pp-playground .tabs button.active { color: var(--pp-fg); background: var(--pp-panel); border-top-color: var(--pp-accent); font-weight: 600; }
pp-playground .tab-body { flex: 1; min-height: 0; overflow: hidden; }
pp-playground .tab-body > * { height: 100%; }
pp-playground .packet-tab { display: flex; flex-direction: column; }
pp-playground .packet-tab .downloads { display: flex; gap: 6px; align-items: center; padding: 3px 8px; border-bottom: 1px solid var(--pp-border); flex-wrap: wrap; }
pp-playground .packet-tab pp-packet { flex: 1; min-height: 0; }
pp-playground .matrix-tab pp-matrix { height: 100%; }
pp-playground .compare { overflow: auto; padding: 6px 10px; }
pp-playground .compare h4 { margin: 10px 0 4px; }
pp-playground .compare ul { margin: 0; padding-left: 18px; }
pp-playground .compare li { margin: 2px 0; }
pp-playground .compare code { font-family: var(--pp-font-mono); }
/* A phone: one pane at a time, chosen in the switcher; nothing wider than the screen. */
@media (max-width: 700px) {
  pp-playground { overflow-x: hidden; }
  pp-playground .toolbar { gap: 6px; }
  pp-playground .toolbar .examples { flex: 1 1 100%; min-width: 0; }
  pp-playground .toolbar .examples select { flex: 1; min-width: 0; max-width: none; }
  pp-playground .engine, pp-playground .toolbar .embed { display: none; }
  pp-playground .switcher { display: flex; background: var(--pp-panel-header); border-bottom: 1px solid var(--pp-border); }
  pp-playground .switcher button { flex: 1; font: inherit; font-weight: 600; color: var(--pp-muted); background: none; border: none; border-bottom: 2px solid transparent; padding: 8px 4px; }
  pp-playground .switcher button[aria-pressed='true'] { color: var(--pp-fg); border-bottom-color: var(--pp-accent); }
  pp-playground main { grid-template-columns: minmax(0, 1fr); grid-template-rows: minmax(0, 1fr); grid-template-areas: 'pane'; }
  pp-playground main .pane.editor, pp-playground main .pane.transcript, pp-playground main .pane.topology, pp-playground main .pane.details { grid-area: pane; display: none; }
  pp-playground main.show-editor > .pane.editor, pp-playground main.show-topology > .pane.topology,
  pp-playground main.show-transcript > .pane.transcript, pp-playground main.show-details > .pane.details { display: flex; }
  pp-playground .splitter { display: none; }
}
pp-playground .tab-body:has(> .why-bar) { display: flex; flex-direction: column; }
pp-playground .tab-body:has(> .why-bar) > pp-flow { flex: 1; min-height: 0; height: auto; }
pp-playground .tab-body > .why-bar { height: auto; flex: none; }
pp-playground .why-bar { display: flex; align-items: center; gap: 8px; padding: 4px 10px; border-bottom: 1px solid var(--pp-border); background: var(--pp-panel-header); font-family: var(--pp-font-mono); font-size: 11.5px; }
pp-playground .why-bar span { flex: 1; min-width: 0; overflow-wrap: anywhere; }
`;
