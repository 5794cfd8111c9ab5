import { css } from 'lit';

export const styles = css`
  :host { display: block; height: 100%; min-height: 0; overflow: auto; }
  .body { padding: 8px 12px 16px; display: flex; flex-direction: column; gap: 10px; max-width: 920px; }
  h3 { font-size: 12px; margin: 0 0 4px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--pp-muted); }
  .target { font-family: var(--pp-font-mono); font-weight: 600; word-break: break-word; }
  .symptom { color: var(--pp-error); word-break: break-word; }
  ol.causes { margin: 0; padding-left: 22px; display: flex; flex-direction: column; gap: 4px; }
  ol.causes li.root { font-weight: 600; }
  .root-tag { margin-left: 6px; }
  .source { color: var(--pp-muted); font-size: 11px; }
  .line-link { font-family: var(--pp-font-mono); padding: 0 5px; margin-right: 4px; font-size: 11px; }
  ul.evidence { margin: 0; padding-left: 18px; font-family: var(--pp-font-mono); font-size: 11.5px; word-break: break-word; }
  .fix { border: 1px solid var(--pp-border); border-left: 4px solid var(--pp-ok); border-radius: 4px; padding: 6px 8px; display: flex; flex-direction: column; gap: 4px; }
  .fix-head { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
  .fix-title { font-weight: 600; flex: 1 1 16em; }
  .edits { margin: 0; font: 11.5px/1.45 var(--pp-font-mono); white-space: pre-wrap; word-break: break-all; }
  .add { color: var(--pp-ok); }
  .del { color: var(--pp-error); text-decoration: line-through; }
  button.apply { background: var(--pp-ok-bg); border-color: var(--pp-ok); font-weight: 600; }
  details { color: var(--pp-muted); }
  details li { margin: 2px 0; }
  .note { color: var(--pp-muted); font-size: 11px; }
  .error { color: var(--pp-error); }
`;
