import { PpWhy } from './pp-why.component.js';

export { PpWhy };
if (!customElements.get('pp-why')) customElements.define('pp-why', PpWhy);

declare global {
  interface HTMLElementTagNameMap {
    'pp-why': PpWhy;
  }
}
