/**
 * The widget's own styles. `:host { all: initial }` cuts every inherited property of the page (font,
 * colour, line height, text alignment…) at the widget's edge; the theme variables are set on the
 * frame (theme.ts), so the page's variables do not reach the components either.
 */
import { css, unsafeCSS } from 'lit';
import { themeCss } from './theme.js';
import { tokenCss } from './highlight.js';

export const styles = [
  unsafeCSS(themeCss),
  unsafeCSS(tokenCss('.frame', '.frame.dark')),
  css`
    :host {
      all: initial;
      display: block;
      margin: 1.25em 0;
    }
    :host([hidden]) { display: none; }
    /* The page's rules for the host element itself (a \`*\` rule, say) win over :host and are inherited:
       reset every inherited property again on the frame, inside the shadow root. */
    .frame {
      all: initial;
      box-sizing: border-box;
      display: flex; flex-direction: column;
      border: 1px solid var(--pp-border); border-radius: 6px; overflow: hidden;
      background: var(--pp-panel); color: var(--pp-fg);
      font: 12px/1.45 var(--pp-font-ui); text-align: left;
      color-scheme: light;
    }
    .frame.dark { color-scheme: dark; }
    *, *::before, *::after { box-sizing: border-box; }

    /* Bar: caption, state, actions. */
    .bar {
      display: flex; align-items: center; gap: 8px; flex-wrap: wrap;
      padding: 5px 8px; min-height: 34px;
      background: var(--pp-panel-header); border-bottom: 1px solid var(--pp-border);
    }
    .brand { display: inline-flex; align-items: center; color: var(--pp-accent); }
    .caption { font-weight: 600; font-size: 12.5px; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; flex: 1 1 auto; }
    .state { color: var(--pp-muted); white-space: nowrap; }
    .state.error { color: var(--pp-error); }
    .actions { display: inline-flex; gap: 6px; align-items: center; margin-left: auto; }
    button.run { background: var(--pp-primary-bg); color: #fff; border-color: var(--pp-primary-bg); font-weight: 600; }
    button.run:hover:not(:disabled) { background: var(--pp-primary-bg); filter: brightness(1.1); }
    button.cancel { color: var(--pp-error); font-weight: 600; }
    a.open { color: var(--pp-accent); text-decoration: none; white-space: nowrap; display: inline-flex; align-items: center; gap: 3px; }
    a.open:hover { text-decoration: underline; }
    .badge { font-size: 10.5px; }

    .notes { border-bottom: 1px solid var(--pp-border); max-height: 90px; overflow: auto; }
    .note { padding: 3px 10px; font-family: var(--pp-font-mono); font-size: 11.5px; white-space: pre-wrap; }
    .note.error { background: var(--pp-error-bg); color: var(--pp-error); }
    .note.warning { background: var(--pp-warning-bg); color: var(--pp-warning); }

    /* The views: a grid laid out by the element from its width (layout()). */
    .views { display: grid; min-height: 0; }
    .pane { display: flex; flex-direction: column; min-width: 0; min-height: 0; box-shadow: -1px -1px 0 var(--pp-border); }
    .pane.max { position: fixed; inset: 16px; z-index: 2147483001; background: var(--pp-panel); border: 1px solid var(--pp-border); border-radius: 6px; overflow: hidden; box-shadow: 0 10px 40px rgba(0, 0, 0, 0.35); }
    .backdrop { position: fixed; inset: 0; z-index: 2147483000; background: rgba(0, 0, 0, 0.45); }
    .pane-title {
      flex: none; padding: 2px 8px; font-size: 10.5px; letter-spacing: 0.04em; text-transform: uppercase;
      color: var(--pp-muted); background: var(--pp-panel-header); border-bottom: 1px solid var(--pp-border);
      display: flex; gap: 8px; white-space: nowrap; overflow: hidden;
    }
    .pane-title .detail { text-transform: none; letter-spacing: 0; overflow: hidden; text-overflow: ellipsis; }
    .pane-body { flex: 1 1 auto; min-height: 0; position: relative; }
    .pane-body > * { position: absolute; inset: 0; }

    /* Read-only script (and the editable one until Monaco is there). */
    .source { overflow: auto; background: var(--pp-panel); }
    .source pre { margin: 0; padding: 6px 0; font: 12.5px/19px var(--pp-font-mono); color: var(--pp-fg); tab-size: 2; min-width: max-content; }
    .source.wrap pre { min-width: 0; }
    .source .ln { display: block; padding: 0 10px 0 0; white-space: pre; cursor: default; }
    .source .ln.cmd { cursor: pointer; }
    .source .ln.cmd:hover { background: var(--pp-hover); }
    .source .ln.active { background: var(--pp-code-active); box-shadow: inset 3px 0 0 var(--pp-accent); }
    .source .ln.revealed { background: var(--pp-changed-bg); }
    .source .ln.failed .no { color: var(--pp-error); font-weight: 700; }
    .source .no { display: inline-block; width: 3.2em; padding-right: 1em; text-align: right; color: var(--pp-muted); user-select: none; }
    .source.wrap .ln { white-space: pre-wrap; overflow-wrap: anywhere; padding-left: 3.2em; text-indent: -3.2em; }
    .monaco-host { overflow: hidden; }
    .monaco-host[hidden] { display: none; }
    .pp-w-active-line { background: var(--pp-code-active); }
    .pp-w-active-gutter { background: var(--pp-accent); width: 3px !important; margin-left: 3px; }

    .placeholder { display: flex; align-items: center; justify-content: center; color: var(--pp-muted); font-style: italic; padding: 12px; text-align: center; background: var(--pp-canvas); }
    .placeholder.error { color: var(--pp-error); font-style: normal; }
    .spinner { width: 12px; height: 12px; border: 2px solid var(--pp-border); border-top-color: var(--pp-accent); border-radius: 50%; display: inline-block; animation: spin 0.8s linear infinite; vertical-align: -2px; margin-right: 6px; }
    @keyframes spin { to { transform: rotate(360deg); } }
    @media (prefers-reduced-motion: reduce) { .spinner { animation: none; } }
  `,
];
