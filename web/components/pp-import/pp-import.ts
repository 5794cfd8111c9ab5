import { PpImport } from './pp-import.component.js';

export { PpImport };
if (!customElements.get('pp-import')) customElements.define('pp-import', PpImport);

declare global {
  interface HTMLElementTagNameMap {
    'pp-import': PpImport;
  }
}
