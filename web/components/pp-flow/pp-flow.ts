import { PpFlow } from './pp-flow.component.js';

export { PpFlow };
if (!customElements.get('pp-flow')) customElements.define('pp-flow', PpFlow);

declare global {
  interface HTMLElementTagNameMap {
    'pp-flow': PpFlow;
  }
}
