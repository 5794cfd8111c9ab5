import { css } from 'lit';

export const styles = css`
  :host { display: block; height: 100%; min-height: 0; }
  .wrap { display: flex; flex-direction: column; height: 100%; min-height: 0; }
  .bar { display: flex; gap: 8px; align-items: center; padding: 4px 6px; border-bottom: 1px solid var(--pp-border); background: var(--pp-panel-header); flex-wrap: wrap; }
  select { font: inherit; color: var(--pp-fg); background: var(--pp-button-bg); border: 1px solid var(--pp-border); border-radius: 3px; }
  .kinds { display: flex; gap: 2px; flex-wrap: wrap; }
  .kinds button { border-radius: 3px; padding: 1px 6px; }
  .asof { margin-left: auto; }
  .body { overflow: auto; flex: 1; min-height: 0; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  td.block { color: var(--pp-error); font-weight: 600; }
  td.allow { color: var(--pp-ok); }
  tr.hit td.hits { background: var(--pp-changed-bg); font-weight: 700; }
  td.multi { white-space: nowrap; }
  .linkish { border: none; background: none; color: var(--pp-accent); text-decoration: underline; padding: 0; cursor: pointer; }
  tr.focus td { background: var(--pp-selection); }
  tr.focus td:first-child { box-shadow: inset 3px 0 0 var(--pp-accent); }
`;
