import { PpTopology } from './pp-topology.component.js';

export { PpTopology };
if (!customElements.get('pp-topology')) customElements.define('pp-topology', PpTopology);

declare global {
  interface HTMLElementTagNameMap {
    'pp-topology': PpTopology;
  }
}
