import { PpPlayground } from './pp-playground.component.js';

export { PpPlayground };
if (!customElements.get('pp-playground')) customElements.define('pp-playground', PpPlayground);

declare global {
  interface HTMLElementTagNameMap {
    'pp-playground': PpPlayground;
  }
}
