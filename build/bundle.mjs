// `npm run build:main`: bundles the Electron main process, the preload and the worker into out/ with esbuild.
// Main and worker are ES modules for Node (Electron's); the preload is one CommonJS file, as a sandboxed preload
// must be. Left out of the bundles, and shipped in node_modules instead: electron itself and the keychain's native
// module. The archive's SQLite is node:sqlite, part of Node and of Electron's Node.
//
// `npm run build:cli` (also `prepare`, so every `npm install` of a checkout runs it): bundles the command line
// into out-cli/, so `tim-backup` starts without compiling TypeScript. Beside it, inputs.json lists every source
// file it was built from with its size and modification time: bin/tim-backup.js uses the bundle only while they
// all still match, and runs the sources through tsx otherwise.
import { build } from 'esbuild';
import { copyFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// node:sqlite is a builtin of Node and Electron: never bundled (esbuild does not know every node: module).
const external = ['electron', '@napi-rs/keyring', 'node:sqlite'];
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
  // The tray icon, beside main (app/electron/main.ts): the installers' icon, scaled down by main at start.
  await copyFile(join(root, 'build', 'icon.png'), join(out, 'tray.png'));
  return out;
}

export const CLI_BUNDLE = 'tim-backup.mjs';
export const CLI_INPUTS = 'inputs.json';

/** Bundles the CLI of the checkout at `from` into `<from>/out-cli`; resolves to that folder. */
export async function bundleCli(from = root) {
  const out = join(from, 'out-cli');
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const result = await build({
    entryPoints: [join(from, 'app', 'cli', 'main.ts')],
    outfile: join(out, CLI_BUNDLE),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    logLevel: 'warning',
    absWorkingDir: from,
    external: external.filter((e) => e !== 'electron'),
    banner: { js: requireShim },
    metafile: true,
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    const s = await stat(join(from, file));
    inputs[file] = { size: s.size, mtimeMs: s.mtimeMs };
  }
  await writeFile(join(out, CLI_INPUTS), JSON.stringify({ inputs }));
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === 'cli') {
    try {
      process.stdout.write(`Bundled the command line into ${await bundleCli()}\n`);
    } catch (err) {
      // An install must not fail for this: without the bundle, tim-backup runs from the sources through tsx.
      process.stderr.write(`The command line was not bundled (tim-backup will start from the TypeScript sources, more slowly): ${err instanceof Error ? err.message : String(err)}\n`);
    }
  } else {
    process.stdout.write(`Bundled main, worker and preload into ${await bundle()}\n`);
  }
}
