import { PpPacket } from './pp-packet.component.js';

export { PpPacket };
if (!customElements.get('pp-packet')) customElements.define('pp-packet', PpPacket);

declare global {
  interface HTMLElementTagNameMap {
    'pp-packet': PpPacket;
  }
}
