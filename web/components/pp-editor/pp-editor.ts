import { PpEditor } from './pp-editor.component.js';

export { PpEditor };
if (!customElements.get('pp-editor')) customElements.define('pp-editor', PpEditor);

declare global {
  interface HTMLElementTagNameMap {
    'pp-editor': PpEditor;
  }
}
