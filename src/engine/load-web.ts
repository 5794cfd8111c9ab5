/**
 * Loads the data plane in a browser or a Web Worker: the wasm is fetched once and compiled once;
 * every call returns a fresh instance (one per simulated host). The URL comes from the bundler
 * (`import wasmUrl from '../../build/core.wasm?url'`).
 */
import { WasmCore, type WasmCoreOptions } from './core.js';

const modules = new Map<string, Promise<WebAssembly.Module>>();

export function compileWasm(url: string): Promise<WebAssembly.Module> {
  let m = modules.get(url);
  if (!m) {
    m = fetch(url).then(async (r) => {
      if (!r.ok) throw new Error(`cannot load the data plane (${url}): HTTP ${r.status}`);
      if (typeof WebAssembly.compileStreaming === 'function' && r.headers.get('content-type')?.includes('wasm')) return WebAssembly.compileStreaming(r);
      return WebAssembly.compile(await r.arrayBuffer());
    });
    modules.set(url, m);
    m.catch(() => modules.delete(url));
  }
  return m;
}

export async function loadWasmCoreFromUrl(url: string, opts: WasmCoreOptions = {}): Promise<WasmCore> {
  return WasmCore.create(await compileWasm(url), opts);
}
