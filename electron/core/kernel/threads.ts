import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type * as Esbuild from 'esbuild';

const bundled = new Map<string, Promise<string | null>>();

/**
 * From TypeScript sources (tsx, vitest) a worker's code is bundled once per process with esbuild (which tsx itself
 * runs on) into one CommonJS string: workers then start without a TypeScript loader of their own, which saves about
 * 40 MB and 200 ms per worker. Null when esbuild cannot be loaded.
 */
function bundledWorker(entry: string): Promise<string | null> {
  let code = bundled.get(entry);
  if (code) return code;
  code = (async () => {
    try {
      // A computed name keeps bundlers (the Electron build) from pulling esbuild in; this path only runs from sources.
      const name = 'esbuild';
      const esbuild = (await import(name)) as typeof Esbuild;
      const out = await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent' });
      await esbuild.stop();
      return out.outputFiles[0]?.text ?? null;
    } catch {
      return null;
    }
  })();
  bundled.set(entry, code);
  return code;
}

/**
 * Starts the worker thread whose entry is `name` beside the module at `here` (that module's import.meta.url): a
 * JavaScript build loads `name.js` beside it (the CLI bundle lays every entry and chunk flat in one folder); TypeScript
 * sources use the bundle above. Null when neither is possible (a CommonJS build without import.meta.url, a build
 * without that entry): the caller then does the work on its own thread.
 */
export async function workerBeside(here: string | undefined, name: string, options: WorkerOptions = {}): Promise<Worker | null> {
  if (!here) return null;
  if (here.endsWith('.ts')) {
    const code = await bundledWorker(fileURLToPath(new URL(`./${name}.ts`, here)));
    return code ? new Worker(code, { ...options, eval: true }) : null;
  }
  const entry = new URL(`./${name}.js`, here);
  if (!existsSync(fileURLToPath(entry))) return null;
  return new Worker(entry, options);
}
