/**
 * Base class of the playground's Lit elements: typed `emit()` (bubbling, composed events, as
 * Shoelace's ShoelaceElement does) and the shared stylesheet.
 */
import { LitElement, css } from 'lit';
import type { PpEventMap } from './events.js';

export class PpElement extends LitElement {
  /** Dispatches a typed `pp-*` event that bubbles out of shadow roots. */
  emit<K extends keyof PpEventMap>(name: K, detail: PpEventMap[K]): boolean {
    return this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: true }));
  }
}

/** Styles every component shares: colours come from CSS custom properties set on <html> (web/theme.css). */
export const shared = css`
  :host {
    box-sizing: border-box;
    color: var(--pp-fg);
    font: 12px/1.45 var(--pp-font-ui);
  }
  *, *::before, *::after { box-sizing: inherit; }
  button {
    font: inherit;
    color: var(--pp-fg);
    background: var(--pp-button-bg);
    border: 1px solid var(--pp-border);
    border-radius: 3px;
    padding: 2px 8px;
    cursor: pointer;
  }
  button { display: inline-flex; align-items: center; gap: 4px; }
  button:hover:not(:disabled) { background: var(--pp-hover); }
  button:disabled { opacity: 0.5; cursor: default; }
  button[aria-pressed='true'], button.active { background: var(--pp-selection); border-color: var(--pp-accent); }
  :focus-visible { outline: 2px solid var(--pp-focus); outline-offset: -1px; }
  .mono { font-family: var(--pp-font-mono); }
  .muted { color: var(--pp-muted); }
  .empty { color: var(--pp-muted); padding: 12px; font-style: italic; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 2px 8px; border-bottom: 1px solid var(--pp-grid); white-space: nowrap; }
  th { position: sticky; top: 0; background: var(--pp-panel-header); font-weight: 600; z-index: 1; }
  .badge {
    display: inline-block; padding: 0 5px; border-radius: 8px; font-size: 10.5px; line-height: 16px;
    background: var(--pp-badge-bg); color: var(--pp-badge-fg); white-space: nowrap;
  }
  .badge.ok { background: var(--pp-ok-bg); color: var(--pp-ok); }
  .badge.bad { background: var(--pp-error-bg); color: var(--pp-error); }
  .badge.warn { background: var(--pp-warning-bg); color: var(--pp-warning); }
`;

/**
 * Scrolls `el` into view inside its nearest scrolling ancestor only, like
 * `scrollIntoView({ block: 'nearest' })` but never scrolling the page itself: a docs widget far down a
 * page must not make the page jump when it selects a step or a hop. (Added for the docs widget.)
 */
export function revealWithin(el: Element | null | undefined): void {
  let box = el?.parentElement;
  while (box && !(box.scrollHeight > box.clientHeight && /auto|scroll/.test(getComputedStyle(box).overflowY))) box = box.parentElement;
  if (!el || !box) return;
  const r = el.getBoundingClientRect();
  const b = box.getBoundingClientRect();
  if (r.top < b.top) box.scrollTop -= b.top - r.top;
  else if (r.bottom > b.bottom) box.scrollTop += Math.min(r.bottom - b.bottom, r.top - b.top);
}
