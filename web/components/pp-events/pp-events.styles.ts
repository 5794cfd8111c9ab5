import { css } from 'lit';

export const styles = css`
  :host { display: flex; flex-direction: column; height: 100%; min-height: 0; }
  .bar { display: flex; gap: 10px; align-items: center; padding: 4px 8px; border-bottom: 1px solid var(--pp-border); background: var(--pp-panel-header); flex-wrap: wrap; }
  select { font: inherit; color: var(--pp-fg); background: var(--pp-button-bg); border: 1px solid var(--pp-border); border-radius: 3px; }
  .count { color: var(--pp-muted); margin-left: auto; }
  .list { flex: 1; min-height: 0; overflow: auto; font-size: 11.5px; }
  .ev { display: grid; grid-template-columns: 4.5em 4em minmax(8em, 1.2fr) minmax(10em, 1.5fr) 4.5em 6.5em minmax(14em, 3fr); gap: 8px; padding: 2px 8px; width: 100%; border-bottom: 1px solid var(--pp-grid); cursor: pointer; white-space: nowrap; }
  .ev > span { overflow: hidden; text-overflow: ellipsis; }
  .ev:hover { background: var(--pp-hover); }
  .ev.selected { background: var(--pp-selection); box-shadow: inset 3px 0 0 var(--pp-accent); }
  .ev .num { color: var(--pp-muted); text-align: right; }
  .ev .sum { font-family: var(--pp-font-mono); }
  .head { font-weight: 600; background: var(--pp-panel-header); cursor: default; position: sticky; top: 0; }
  .v-dropped, .v-timeout { color: var(--pp-error); font-weight: 600; }
  .v-delivered { color: var(--pp-ok); }
  .v-ignored { color: var(--pp-muted); }
  .empty { color: var(--pp-muted); padding: 12px; font-style: italic; }
`;
