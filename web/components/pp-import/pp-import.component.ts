import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { PpElement, shared } from '../base.js';
import { styles } from './pp-import.styles.js';
import type { ImportReply, ImportResult } from '../../../src/worker/api.js';

/** What a user runs on the host to paste here (src/import/ reads these; English output). */
export const IMPORT_COMMANDS = [
  'docker info', 'docker network ls', 'docker network inspect $(docker network ls -q)', 'docker inspect $(docker ps -aq)',
  'Get-HnsNetwork | ConvertTo-Json -Depth 10', 'Get-HnsEndpoint | ConvertTo-Json', 'ipconfig /all', 'Get-NetNat',
  'Get-VMSwitch | Format-List', 'Get-NetAdapter',
];

/**
 * @summary "Import from my host": a modal dialog with a paste area (and text files) that rebuilds a
 * real host as a script. A native modal <dialog>: the page behind is inert, so focus stays inside,
 * and Esc closes it. The playground supplies `importer` (the worker's importHost) and `apply`.
 */
export class PpImport extends PpElement {
  static override styles = [shared, styles];

  /** Runs the import (in the engine worker). */
  @property({ attribute: false }) importer?: (texts: string[]) => Promise<ImportReply>;
  /** Takes a result that recognised something (loads it into the editor). */
  @property({ attribute: false }) apply?: (result: ImportResult) => void;

  @state() private text = '';
  @state() private files: { name: string; text: string }[] = [];
  @state() private error = '';
  @state() private busy = false;

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('textarea') private area!: HTMLTextAreaElement;

  /** Opens the dialog and puts the cursor in the paste area. */
  async open(): Promise<void> {
    await this.updateComplete;
    this.error = '';
    if (!this.dialog.open) this.dialog.showModal();
    this.area.focus();
  }

  close(): void {
    if (this.dialog?.open) this.dialog.close();
  }

  get isOpen(): boolean {
    return !!this.dialog?.open;
  }

  private async pickFiles(e: Event): Promise<void> {
    const list = [...((e.target as HTMLInputElement).files ?? [])];
    this.files = await Promise.all(list.map(async (f) => ({ name: f.name, text: await f.text() })));
  }

  private async submit(): Promise<void> {
    const texts = [this.text, ...this.files.map((f) => f.text)].filter((t) => t.trim());
    if (!texts.length || !this.importer || this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      const reply = await this.importer(texts);
      if (!reply.ok) {
        this.error = `The import failed: ${reply.error}`;
        return;
      }
      if (reply.result.sources.length === 0) {
        this.error = 'None of the pasted text is an output Packet Path reads. Paste the outputs of the commands listed above (English Windows).';
        return;
      }
      this.apply?.(reply.result);
      this.text = '';
      this.files = [];
      this.close();
    } finally {
      this.busy = false;
    }
  }

  private keydown(e: KeyboardEvent): void {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void this.submit();
      return;
    }
    // Tab goes round the dialog's own controls (the modal dialog makes the page inert; this also
    // keeps focus from leaving for the browser's address bar).
    if (e.key !== 'Tab') return;
    const items = [...this.dialog.querySelectorAll<HTMLElement>('button, textarea, input')].filter((x) => !(x as HTMLButtonElement).disabled);
    const at = items.indexOf(this.shadowRoot!.activeElement as HTMLElement);
    const next = e.shiftKey ? (at <= 0 ? items.length - 1 : at - 1) : (at === items.length - 1 ? 0 : at + 1);
    if ((e.shiftKey && at <= 0) || (!e.shiftKey && at === items.length - 1) || at < 0) {
      e.preventDefault();
      items[next < 0 ? 0 : next]?.focus();
    }
  }

  override render() {
    const empty = !this.text.trim() && !this.files.some((f) => f.text.trim());
    return html`<dialog aria-labelledby="import-title" aria-describedby="import-help" @keydown=${this.keydown}>
      <header><h2 id="import-title">Import from my host</h2>
        <button class="close" aria-label="Close" title="Close (Esc)" @click=${() => this.close()}>✕</button></header>
      <div class="body">
        <p id="import-help">Run these on the Windows container host (English output) and paste what they print, several at once,
          prompt lines included. Packet Path writes a script that rebuilds the host; what it could not map is listed at its top.</p>
        <ul class="commands" aria-label="Commands to run on the host">${IMPORT_COMMANDS.map((c) => html`<li><code>${c}</code></li>`)}</ul>
        <label for="import-text">Pasted outputs</label>
        <textarea id="import-text" spellcheck="false" placeholder="PS C:\\> docker network ls&#10;NETWORK ID     NAME      DRIVER    SCOPE&#10;…"
          .value=${this.text} @input=${(e: InputEvent) => (this.text = (e.target as HTMLTextAreaElement).value)}></textarea>
        <div class="files"><label for="import-files">Or text files</label>
          <input id="import-files" type="file" multiple accept=".txt,.json,.log,text/plain,application/json" @change=${this.pickFiles}>
          ${this.files.length ? html`<span class="muted">${this.files.length} file${this.files.length === 1 ? '' : 's'} read</span>` : nothing}</div>
        ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing}
      </div>
      <footer>
        <button @click=${() => this.close()}>Cancel</button>
        <button class="primary import" ?disabled=${empty || this.busy} @click=${() => this.submit()} title="Import (Ctrl+Enter)">${this.busy ? 'Importing…' : 'Import'}</button>
      </footer>
    </dialog>`;
  }
}
