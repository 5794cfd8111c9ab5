/**
 * Node's flood worker (src/sim/flood-node-worker.ts, as tsc built it into dist/) bundled into one
 * file, dist/flood-worker/flood-node-worker.js: a worker thread then loads one module instead of
 * resolving and reading some forty, which is most of what starting it costs (src/sim/flood-node.ts
 * prefers the bundle and falls back to the unbundled module). Built by `npm run build:ts`.
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  build: {
    ssr: fileURLToPath(new URL('./dist/src/sim/flood-node-worker.js', import.meta.url)),
    outDir: fileURLToPath(new URL('./dist/flood-worker', import.meta.url)),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    rolldownOptions: { output: { format: 'es', entryFileNames: 'flood-node-worker.js' } },
  },
  // Everything in the one file: the worker imports nothing but Node's own modules.
  ssr: { noExternal: true, target: 'node' },
});
