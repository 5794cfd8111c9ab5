import { css } from 'lit';

export const styles = css`
  :host { display: flex; flex-direction: column; height: 100%; min-height: 0; }
  .bar { display: flex; gap: 10px; align-items: center; padding: 4px 8px; border-bottom: 1px solid var(--pp-border); background: var(--pp-panel-header); flex-wrap: wrap; }
  select { font: inherit; color: var(--pp-fg); background: var(--pp-button-bg); border: 1px solid var(--pp-border); border-radius: 3px; }
  button.primary, button.primary:hover:not(:disabled) { background: var(--pp-primary-bg); color: #fff; border-color: var(--pp-primary-bg); }
  button.primary:hover:not(:disabled) { filter: brightness(1.12); }
  .legend { color: var(--pp-muted); display: inline-flex; gap: 4px; align-items: center; }
  .legend .c { display: inline-block; width: 1.5em; text-align: center; border-radius: 2px; font-weight: 700; }
  .count { color: var(--pp-muted); margin-left: auto; }
  .error { color: var(--pp-error); background: var(--pp-error-bg); padding: 6px 8px; }
  .scroll { flex: 1; min-height: 0; overflow: auto; }
  table { border-collapse: separate; border-spacing: 0; width: auto; font-size: 11.5px; }
  th { background: var(--pp-panel-header); font-weight: 600; white-space: nowrap; position: sticky; z-index: 1; }
  thead th { top: 0; vertical-align: bottom; }
  th.to { height: 8.5em; width: 1.9em; padding: 2px 0; }
  th.to span { writing-mode: vertical-rl; transform: rotate(180deg); display: inline-block; max-height: 8em; overflow: hidden; text-overflow: ellipsis; font-weight: 500; }
  th.from { left: 0; text-align: left; padding: 0 8px 0 6px; max-width: 12em; overflow: hidden; text-overflow: ellipsis; font-weight: 500; }
  th.corner { left: 0; top: 0; z-index: 2; text-align: left; padding: 2px 6px; color: var(--pp-muted); font-weight: 400; }
  td { padding: 0; border-right: 1px solid var(--pp-grid); border-bottom: 1px solid var(--pp-grid); }
  td button { width: 1.9em; height: 1.7em; padding: 0; border: 0; border-radius: 0; justify-content: center; font-weight: 700; background: transparent; }
  td button:disabled { opacity: 1; cursor: default; }
  .reachable, .legend .reachable { color: var(--pp-ok); background: var(--pp-ok-bg); }
  .blocked, .legend .blocked { color: var(--pp-error); background: var(--pp-error-bg); }
  .no-answer, .legend .no-answer { color: var(--pp-warning); background: var(--pp-warning-bg); }
  .pending, .legend .pending { color: var(--pp-muted); }
  td.changed { box-shadow: inset 0 0 0 2px var(--pp-accent); }
  td.selected { outline: 2px solid var(--pp-path); outline-offset: -2px; }
  code { font-family: var(--pp-font-mono); }
`;
