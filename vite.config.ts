/**
 * The playground (web/) built by Vite into site/. Sources under src/ are imported directly
 * (the worker runs the same engine as the CLI). No network access at run time: everything,
 * Monaco and its worker included, is bundled.
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./web', import.meta.url));
const repo = fileURLToPath(new URL('.', import.meta.url));
// The pages of the site, and the docs widget as a library entry with a stable name
// (site/packet-path-widget.js, loaded by docs pages with one <script type="module">).
const WIDGET_ENTRY = 'packet-path-widget';
const input = {
  index: fileURLToPath(new URL('./web/index.html', import.meta.url)),
  docs: fileURLToPath(new URL('./web/docs.html', import.meta.url)),
  [WIDGET_ENTRY]: fileURLToPath(new URL('./web/widget/index.ts', import.meta.url)),
};

export default defineConfig({
  root,
  base: './',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./site', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    sourcemap: false,
    rolldownOptions: {
      input,
      output: { entryFileNames: (chunk) => (chunk.name === WIDGET_ENTRY ? `${WIDGET_ENTRY}.js` : 'assets/[name]-[hash].js') },
    },
  },
  worker: { format: 'es' },
  server: { fs: { allow: [repo] } },
  preview: { port: 4173, strictPort: false },
});
