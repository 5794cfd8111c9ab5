/** Loads build/core.wasm in Node (the CLI, tests, the library). Browsers use src/engine/load-web.ts. */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WasmCore, type WasmCoreOptions } from './core.js';

let cached: WebAssembly.Module | undefined;

/** The path of the built wasm: the nearest `build/<name>` above this module (works from src/ and dist/). */
export function wasmPath(name = 'core.wasm'): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k < 6; k++) {
    const p = join(dir, 'build', name);
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new Error(`build/${name} not found: run \`npm run asbuild\``);
}

/** The compiled data plane (compiled once; flood workers receive it instead of compiling it again). */
export function compiledCore(): WebAssembly.Module {
  cached ??= new WebAssembly.Module(readFileSync(wasmPath()));
  return cached;
}

/** A fresh data-plane instance (one per simulated host); the compiled module is shared. */
export async function loadWasmCore(opts: WasmCoreOptions & { debug?: boolean } = {}): Promise<WasmCore> {
  if (opts.debug) return WasmCore.create(readFileSync(wasmPath('core.debug.wasm')), opts);
  return WasmCore.create(compiledCore(), opts);
}
