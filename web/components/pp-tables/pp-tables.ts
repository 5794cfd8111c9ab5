import { PpTables } from './pp-tables.component.js';

export { PpTables };
if (!customElements.get('pp-tables')) customElements.define('pp-tables', PpTables);

declare global {
  interface HTMLElementTagNameMap {
    'pp-tables': PpTables;
  }
}
