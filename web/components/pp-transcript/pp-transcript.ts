import { PpTranscript } from './pp-transcript.component.js';

export { PpTranscript };
if (!customElements.get('pp-transcript')) customElements.define('pp-transcript', PpTranscript);

declare global {
  interface HTMLElementTagNameMap {
    'pp-transcript': PpTranscript;
  }
}
