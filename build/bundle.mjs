// `npm run build:main`: bundles the Electron main process, the preload and the worker into out/ with esbuild.
// Main and worker are ES modules for Node (Electron's); the preload is one CommonJS file, as a sandboxed preload
// must be. Left out of the bundles, and shipped in node_modules instead: electron itself and the keychain's native
// module. The archive's SQLite is node:sqlite, part of Electron's Node.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const external = ['electron', '@napi-rs/keyring'];
// Bundled CommonJS dependencies call require(); an ES module has none, so give it one.
const requireShim = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** Bundles into `out` (default: the project's out/, where electron-builder and `npm start` look). */
export async function bundle(out = join(root, 'out')) {
  await rm(out, { recursive: true, force: true });
  const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: 'linked', logLevel: 'warning', absWorkingDir: root, external };
  await Promise.all([
    build({ ...common, entryPoints: { main: 'app/electron/main.ts', worker: 'app/worker/host.ts' }, outdir: out, format: 'esm', outExtension: { '.js': '.mjs' }, banner: { js: requireShim } }),
    build({ ...common, entryPoints: { preload: 'app/electron/preload.ts' }, outdir: out, format: 'cjs', outExtension: { '.js': '.cjs' } }),
  ]);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`Bundled main, worker and preload into ${await bundle()}\n`);
}
