import { css } from 'lit';

export const styles = css`
  dialog {
    width: min(760px, calc(100vw - 24px)); max-height: calc(100vh - 24px); padding: 0; display: none; flex-direction: column;
    color: var(--pp-fg); background: var(--pp-panel); border: 1px solid var(--pp-border); border-radius: 6px; box-shadow: 0 8px 32px rgb(0 0 0 / 35%);
  }
  dialog[open] { display: flex; }
  dialog::backdrop { background: rgb(0 0 0 / 45%); }
  header { display: flex; align-items: center; gap: 8px; padding: 8px 12px; background: var(--pp-panel-header); border-bottom: 1px solid var(--pp-border); }
  h2 { font-size: 14px; margin: 0; flex: 1; }
  .body { padding: 10px 12px; display: flex; flex-direction: column; gap: 8px; overflow: auto; min-height: 0; }
  p { margin: 0; }
  ul.commands { margin: 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 4px 6px; }
  ul.commands code { font: 11px/1.4 var(--pp-font-mono); background: var(--pp-badge-bg); color: var(--pp-badge-fg); padding: 1px 5px; border-radius: 3px; white-space: nowrap; }
  label { font-weight: 600; }
  textarea {
    width: 100%; min-height: 220px; flex: 1; resize: vertical; font: 11.5px/1.4 var(--pp-font-mono); color: var(--pp-fg);
    background: var(--pp-bg); border: 1px solid var(--pp-border); border-radius: 3px; padding: 6px;
  }
  .files { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
  .files input { font: inherit; color: var(--pp-fg); max-width: 100%; }
  .error { color: var(--pp-error); background: var(--pp-error-bg); padding: 4px 8px; border-radius: 3px; }
  footer { display: flex; justify-content: flex-end; gap: 8px; padding: 8px 12px; border-top: 1px solid var(--pp-border); background: var(--pp-panel-header); }
  button.primary { background: var(--pp-primary-bg); color: #fff; border-color: var(--pp-primary-bg); font-weight: 600; }
  button.primary:hover:not(:disabled) { filter: brightness(1.1); background: var(--pp-primary-bg); }
  @media (max-width: 700px) {
    dialog { width: calc(100vw - 12px); max-height: calc(100vh - 12px); }
    textarea { min-height: 160px; }
  }
`;
