import { PpEvents } from './pp-events.component.js';

export { PpEvents };
if (!customElements.get('pp-events')) customElements.define('pp-events', PpEvents);

declare global {
  interface HTMLElementTagNameMap {
    'pp-events': PpEvents;
  }
}
