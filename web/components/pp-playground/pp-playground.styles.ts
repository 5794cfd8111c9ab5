import { css } from 'lit';

export const styles = css`
  :host { display: flex; flex-direction: column; height: 100vh; background: var(--pp-bg); }
  .toolbar { display: flex; align-items: center; gap: 8px; padding: 4px 10px; background: var(--pp-panel-header); border-bottom: 1px solid var(--pp-border); min-height: 36px; flex-wrap: wrap; }
  .brand { font-weight: 700; font-size: 14px; margin-right: 6px; white-space: nowrap; }
  .logo { color: var(--pp-accent); }
  .examples { display: flex; align-items: center; gap: 6px; color: var(--pp-muted); }
  select { font: inherit; color: var(--pp-fg); background: var(--pp-button-bg); border: 1px solid var(--pp-border); border-radius: 3px; padding: 1px 4px; max-width: 340px; }
  button.primary { background: var(--pp-accent); color: #fff; border-color: var(--pp-accent); font-weight: 600; }
  button.primary:hover:not(:disabled) { filter: brightness(1.1); background: var(--pp-accent); }
  .cancel { color: var(--pp-error); }
  .progress { display: inline-flex; align-items: center; gap: 6px; color: var(--pp-muted); font-variant-numeric: tabular-nums; }
  .runinfo .stale { color: var(--pp-warning); font-weight: 600; }
  .spacer { flex: 1; }
  .notice { color: var(--pp-ok); }
  .engine { font-size: 11px; color: var(--pp-muted); white-space: nowrap; }
  .engine.ready { color: var(--pp-ok); }
  .engine.busy { color: var(--pp-accent); }
  .engine.restarting, .engine.starting { color: var(--pp-warning); }
  .banner { padding: 5px 10px; display: flex; gap: 10px; align-items: center; }
  .banner.crash { background: var(--pp-warning-bg); color: var(--pp-warning); }
  .banner.error { background: var(--pp-error-bg); color: var(--pp-error); }
  main {
    flex: 1; min-height: 0; display: grid; gap: 1px; background: var(--pp-border);
    grid-template-columns: minmax(360px, 38%) 1fr;
    grid-template-rows: 58% 42%;
    grid-template-areas: 'editor topology' 'transcript details';
  }
  .pane { background: var(--pp-panel); min-height: 0; min-width: 0; display: flex; flex-direction: column; overflow: hidden; }
  .editor { grid-area: editor; }
  .transcript { grid-area: transcript; }
  .topology { grid-area: topology; }
  .details { grid-area: details; }
  .pane-title { padding: 3px 8px; font-weight: 600; background: var(--pp-panel-header); border-bottom: 1px solid var(--pp-border); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .pane-title .muted { font-weight: 400; margin-left: 6px; }
  .pane-title .good { color: var(--pp-ok); }
  .pane-title .bad { color: var(--pp-error); }
  .pane > :last-child { flex: 1; min-height: 0; }
  .tabs { display: flex; background: var(--pp-panel-header); border-bottom: 1px solid var(--pp-border); }
  .tabs button { border: none; border-radius: 0; background: none; padding: 4px 12px; color: var(--pp-muted); border-top: 2px solid transparent; border-right: 1px solid var(--pp-border); }
  .tabs button.active { color: var(--pp-fg); background: var(--pp-panel); border-top-color: var(--pp-accent); font-weight: 600; }
  .tab-body { flex: 1; min-height: 0; overflow: hidden; }
  .tab-body > * { height: 100%; }
  @media (max-width: 900px) {
    main { grid-template-columns: 1fr; grid-template-rows: 50vh 40vh 60vh 50vh; grid-template-areas: 'editor' 'topology' 'transcript' 'details'; overflow: auto; }
    :host { height: auto; min-height: 100vh; }
  }
`;
