/**
 * The widget library entry (`packet-path-widget.js` in the built site): a docs page loads it once,
 *
 *   <script type="module" src="…/packet-path-widget.js"></script>
 *
 * and then uses `<packet-path-widget>` as often as it likes. This chunk holds the element, Lit and
 * the three views; the engine worker (and the wasm) start when a widget first comes near the
 * viewport, Monaco only when an editable widget is in view.
 */
import { PacketPathWidget, setDefaultPlayground } from './packet-path-widget.js';

// The playground is published next to this file (site/index.html beside site/packet-path-widget.js).
setDefaultPlayground(import.meta.env.DEV ? new URL('/index.html', location.href).href : new URL(/* @vite-ignore */ './index.html', import.meta.url).href);

if (!customElements.get('packet-path-widget')) customElements.define('packet-path-widget', PacketPathWidget);

declare global {
  interface HTMLElementTagNameMap {
    'packet-path-widget': PacketPathWidget;
  }
}

export { PacketPathWidget };
export { embedSnippet } from './embed.js';
export type { RunEventDetail, WidgetStatus, WidgetTiming, View } from './packet-path-widget.js';
