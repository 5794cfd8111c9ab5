import { PpBench } from './pp-bench.component.js';

export { PpBench };
if (!customElements.get('pp-bench')) customElements.define('pp-bench', PpBench);

declare global {
  interface HTMLElementTagNameMap {
    'pp-bench': PpBench;
  }
}
