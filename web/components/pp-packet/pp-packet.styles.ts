import { css } from 'lit';

export const styles = css`
  :host { display: block; height: 100%; min-height: 0; container-type: inline-size; }
  .wrap { display: grid; grid-template-columns: minmax(0, 1fr) auto; height: 100%; min-height: 0; }
  .tree, .bytes { overflow: auto; min-height: 0; padding: 4px 8px; }
  .tree { border-right: 1px solid var(--pp-border); }
  .head { padding: 4px 8px; color: var(--pp-muted); border-bottom: 1px solid var(--pp-border); background: var(--pp-panel-header); grid-column: 1 / -1; }
  details { margin: 0 0 2px; }
  summary { cursor: pointer; font-weight: 600; padding: 1px 0; }
  summary .range { color: var(--pp-muted); font-weight: 400; margin-left: 6px; }
  .layer.outer > summary { color: var(--pp-fg); }
  ul { list-style: none; margin: 0; padding: 0 0 0 16px; }
  li { font-family: var(--pp-font-mono); font-size: 11.5px; padding: 0 4px; border-radius: 2px; cursor: default; white-space: nowrap; }
  li .name { color: var(--pp-muted); }
  li.changed { background: var(--pp-changed-bg); font-weight: 700; }
  li.changed .name::before { content: '✎ '; }
  li.hot, li:focus-visible { outline: 2px solid var(--pp-accent); outline-offset: -2px; }
  .bytes { font-family: var(--pp-font-mono); font-size: 11.5px; line-height: 1.5; }
  .row { display: flex; gap: 10px; white-space: pre; }
  .off { color: var(--pp-muted); }
  .hex b, .ascii b { font-weight: 400; padding: 0 0.5px; border-radius: 2px; }
  .hex b { margin-right: 0.6ch; }
  b.changed { background: var(--pp-changed-bg); }
  b.hot { background: var(--pp-accent); color: #fff; }
  .empty { color: var(--pp-muted); padding: 12px; font-style: italic; }
  @container (max-width: 620px) {
    .wrap { grid-template-columns: minmax(0, 1fr); grid-template-rows: auto minmax(0, 1fr) auto; }
    .tree { border-right: none; border-bottom: 1px solid var(--pp-border); }
    .ascii { display: none; }
  }
`;
