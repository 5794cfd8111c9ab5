import { PpMatrix } from './pp-matrix.component.js';

export { PpMatrix };
if (!customElements.get('pp-matrix')) customElements.define('pp-matrix', PpMatrix);

declare global {
  interface HTMLElementTagNameMap {
    'pp-matrix': PpMatrix;
  }
}
