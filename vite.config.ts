/**
 * The playground (web/) built by Vite into site/. Sources under src/ are imported directly
 * (the worker runs the same engine as the CLI). No network access at run time: everything,
 * Monaco and its worker included, is bundled.
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./web', import.meta.url));
const repo = fileURLToPath(new URL('.', import.meta.url));

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
  },
  worker: { format: 'es' },
  server: { fs: { allow: [repo] } },
  preview: { port: 4173, strictPort: false },
});
