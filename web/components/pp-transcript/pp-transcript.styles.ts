import { css } from 'lit';

export const styles = css`
  :host { display: block; height: 100%; min-height: 0; }
  .console { height: 100%; overflow: auto; background: var(--pp-term-bg); color: var(--pp-term-fg); font: 12px/1.4 var(--pp-font-mono); padding: 4px 0; }
  .placeholder { color: var(--pp-term-muted); padding: 8px 12px; }
  .step { padding: 2px 10px 3px 4px; border-left: 3px solid transparent; cursor: pointer; }
  /* The virtualizer places each step absolutely: it must still span the console. */
  .console.virtual .step { width: 100%; box-sizing: border-box; }
  .step:hover { background: var(--pp-term-hover); }
  .step.selected { background: var(--pp-term-selection); border-left-color: var(--pp-term-warning); }
  .cmd { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0; white-space: pre-wrap; word-break: break-word; }
  .line-no { color: var(--pp-term-muted); min-width: 2.6em; text-align: right; padding-right: 8px; font-size: 10.5px; flex: none; }
  .prompt { color: var(--pp-prompt); flex: none; white-space: pre; }
  .host { color: var(--pp-term-muted); }
  /* A basis, not 0: in a narrow pane (a docs widget on a phone) the tags wrap below the command instead of squeezing it to a column. */
  .text { color: var(--pp-term-fg); font-weight: 600; flex: 1 1 14em; min-width: 0; padding-left: 0.6em; }
  .tags { display: inline-flex; gap: 4px; margin-left: 8px; flex: none; }
  .tag { font: 10.5px var(--pp-font-ui); border-radius: 8px; padding: 0 6px; background: rgba(255,255,255,0.12); color: var(--pp-term-fg); white-space: nowrap; }
  .tag.trace { background: rgba(90, 170, 255, 0.22); }
  /* Solid tag colours: they sit on the console, the hover and the selection alike (4.5:1 on each). */
  .tag.trace.dropped { background: #a4161a; color: #fff; }
  .tag.pass { background: #14532d; color: #c6f6d5; }
  .tag.fail { background: #a4161a; color: #fff; }
  .why { font: 600 10.5px var(--pp-font-ui); border-radius: 8px; padding: 0 8px; background: #fde68a; color: #422006; border: 1px solid #b45309; cursor: pointer; }
  .why:hover { background: #fcd34d; }
  .why:focus-visible { outline: 2px solid var(--pp-focus); outline-offset: 1px; }
  pre { margin: 0 0 0 calc(2.6em + 8px); white-space: pre-wrap; word-break: break-word; font: inherit; }
  .out { color: var(--pp-term-fg); opacity: 0.92; }
  .warning { color: var(--pp-term-warning); }
  .error { color: var(--pp-term-error); background: var(--pp-term-error-bg); }
  .console:focus-visible { outline: 2px solid var(--pp-focus); outline-offset: -2px; }
`;
