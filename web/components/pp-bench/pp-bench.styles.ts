import { css } from 'lit';

export const styles = css`
  :host { display: block; height: 100%; min-height: 0; }
  .wrap { display: flex; flex-direction: column; height: 100%; min-height: 0; }
  .bar { display: flex; gap: 6px; align-items: center; padding: 4px 6px; border-bottom: 1px solid var(--pp-border); background: var(--pp-panel-header); }
  button.primary, button.primary:hover:not(:disabled) { background: var(--pp-accent); color: #fff; border-color: var(--pp-accent); }
  button.primary:hover:not(:disabled) { filter: brightness(1.1); }
  .file { position: relative; border: 1px solid var(--pp-border); border-radius: 3px; padding: 2px 8px; cursor: pointer; background: var(--pp-button-bg); }
  .file input { position: absolute; inset: 0; opacity: 0; cursor: pointer; }
  .progress { color: var(--pp-muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .explain { padding: 4px 8px; color: var(--pp-fg); border-bottom: 1px solid var(--pp-grid); }
  .explain code { font-family: var(--pp-font-mono); }
  .error { margin: 6px; padding: 4px 8px; background: var(--pp-error-bg); color: var(--pp-error); }
  .body { overflow: auto; flex: 1; min-height: 0; }
  th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
  td.fig { font-weight: 700; }
  td.browser { color: var(--pp-accent); }
  td.params { font-size: 11px; white-space: normal; min-width: 160px; }
  td.name { white-space: normal; min-width: 180px; }
  td.name .what { color: var(--pp-muted); font-size: 11px; max-width: 320px; }
  td.target { white-space: normal; min-width: 120px; color: var(--pp-fg); }
  td.chart { min-width: 200px; }
  .chart-row { display: flex; align-items: center; gap: 6px; height: 12px; }
  .chart-label { width: 4.5em; font-size: 10.5px; color: var(--pp-muted); text-align: right; }
  .chart-track { flex: 1; height: 8px; background: var(--pp-grid); border-radius: 2px; }
  .chart-bar { display: block; height: 100%; border-radius: 2px; }
  .chart-bar.b { background: var(--pp-accent); }
  .chart-bar.n { background: var(--pp-ok); }
  .chart-bar.t { background: var(--pp-muted); }
`;
