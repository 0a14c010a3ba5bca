// `npm run check:layout`: packages the app with electron-builder's `--dir` target for this OS against a stub
// Electron (machines without network have no Electron binary), then checks the packaged layout: what the app
// needs inside app.asar, what must be unpacked beside it, and what must not ship. Installers, signing and the
// fuses (which patch the real binary) need a connected machine: see the README.
//
// Exits 0 when the layout is right; prints what is wrong otherwise. Needs `npm run build:main` and the renderer
// build (renderer/dist) first.
import { extractFile, listPackage } from '@electron/asar';
import { build, Platform } from 'electron-builder';
import { chmod, mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { checkNative } from './native.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What a packaged app must hold (inside app.asar) and hold unpacked, as paths relative to resources/. */
export const EXPECTED = {
  inAsar: ['/package.json', '/out/main.mjs', '/out/preload.cjs', '/out/worker.mjs', '/out/tray.png', '/renderer/dist/index.html', '/node_modules/@napi-rs/keyring/index.js'],
  absentFromAsar: ['/node_modules/tsx', '/node_modules/esbuild', '/out/main.mjs.map', '/node_modules/electron', '/node_modules/electron-updater', '/node_modules/vitest', '/node_modules/node', '/node_modules/sql.js', '/app', '/test'],
};

/**
 * The packaging configuration's own rules, checked without packaging: no entitlement that disables library
 * validation, only native modules unpacked, the per-target native check hooked in, an update feed.
 */
export async function checkConfig(config) {
  const problems = [];
  const unpack = [config.asarUnpack ?? []].flat();
  if (unpack.length !== 1 || unpack[0] !== '**/*.node') problems.push(`asarUnpack must be only "**/*.node" (JavaScript outside app.asar escapes its integrity check), not ${JSON.stringify(unpack)}`);
  if (config.afterPack !== './build/native.mjs') problems.push('afterPack must be ./build/native.mjs (the per-target check of the native module)');
  for (const key of ['entitlements', 'entitlementsInherit']) {
    const file = config.mac?.[key];
    if (!file) {
      problems.push(`mac.${key} is not set: electron-builder's default entitlements disable library validation`);
      continue;
    }
    const plist = await readFile(resolve(root, file), 'utf8').catch(() => '');
    const granted = [...plist.matchAll(/<key>\s*com\.apple\.security\.cs\.([\w-]+)\s*<\/key>\s*<true\s*\/>/gu)].map((m) => m[1]);
    if (!granted.includes('allow-jit')) problems.push(`${file} lacks allow-jit (V8 needs it under the hardened runtime)`);
    for (const risky of ['disable-library-validation', 'allow-unsigned-executable-memory', 'allow-dyld-environment-variables']) {
      if (granted.includes(risky)) problems.push(`${file} grants ${risky}`);
    }
  }
  const publish = [config.publish ?? []].flat();
  if (!publish.some((p) => p && (p.provider === 'github' || p.provider === 'generic'))) problems.push('no publish provider: electron-updater would have no update feed');
  return problems;
}

async function stubElectron(dir) {
  // What electron-builder copies and renames for Linux; the "binary" only has to exist.
  await mkdir(join(dir, 'resources'), { recursive: true });
  await writeFile(join(dir, 'electron'), '#!/bin/sh\necho "stub Electron: no binary on this machine" >&2\nexit 1\n');
  await chmod(join(dir, 'electron'), 0o755);
  await writeFile(join(dir, 'version'), '45.5.0');
  await writeFile(join(dir, 'LICENSE'), 'stub');
  await writeFile(join(dir, 'LICENSES.chromium.html'), 'stub');
}

/** Packages into a temporary folder and checks it; call cleanup() when done with `app` (the unpacked app folder). */
export async function checkLayout() {
  for (const needed of ['out/main.mjs', 'out/worker.mjs', 'out/preload.cjs', 'renderer/dist/index.html']) {
    await stat(join(root, needed)).catch(() => {
      throw new Error(`${needed} is missing: run "npm run build:main" and the renderer build first.`);
    });
  }
  const work = await mkdtemp(join(tmpdir(), 'tim-layout-'));
  const cleanup = () => rm(work, { recursive: true, force: true });
  const problems = [];
  try {
    const dist = join(work, 'electron-dist');
    await stubElectron(dist);
    const output = join(work, 'out');
    await build({
      projectDir: root,
      targets: Platform.LINUX.createTarget('dir'),
      config: {
        extends: join(root, 'electron-builder.yml'),
        electronDist: dist,
        electronVersion: '45.5.0',
        // Fuses are written into the real Electron binary; the stub has none.
        electronFuses: null,
        directories: { output, buildResources: 'build' },
      },
      publish: 'never',
    });
    const app = join(output, (await readdir(output)).find((d) => d.endsWith('-unpacked')) ?? 'linux-unpacked');
    const resources = join(app, 'resources');
    const asar = join(resources, 'app.asar');
    const files = new Set(listPackage(asar, { isPack: false }).map((f) => f.split(sep).join('/')));
    for (const f of EXPECTED.inAsar) if (!files.has(f)) problems.push(`app.asar lacks ${f}`);
    for (const f of EXPECTED.absentFromAsar) if ([...files].some((x) => x === f || x.startsWith(`${f}/`))) problems.push(`app.asar should not contain ${f}`);
    const unpacked = await readdir(join(resources, 'app.asar.unpacked'), { recursive: true, withFileTypes: true }).catch(() => []);
    // electron-builder unpacks a native module's whole package (its package.json, licences): no code beside it.
    for (const f of unpacked) if (f.isFile() && /\.(?:[cm]?js|wasm)$/u.test(f.name)) problems.push(`app.asar.unpacked holds ${join(f.parentPath, f.name)}: code outside app.asar escapes its integrity check`);
    problems.push(...(await checkNative(resources, 'linux', 'x64')));
    problems.push(...(await checkConfig(load(await readFile(join(root, 'electron-builder.yml'), 'utf8')))));
    // A sandboxed preload can require nothing but electron: everything else must be bundled into it.
    const required = [...extractFile(asar, 'out/preload.cjs').toString().matchAll(/\brequire\((['"])([^'"]+)\1\)/g)].map((m) => m[2]);
    for (const r of required) if (r !== 'electron') problems.push(`the preload requires "${r}", which a sandboxed preload cannot load`);
    const pkg = JSON.parse(extractFile(asar, 'package.json').toString());
    if (pkg.main !== 'out/main.mjs') problems.push(`package.json in app.asar has main "${pkg.main}", not out/main.mjs`);
    return { problems, app, files: files.size, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { problems, files, app, cleanup } = await checkLayout();
  if (process.argv.includes('--keep')) process.stdout.write(`Packaged app kept in ${app}\n`);
  else await cleanup();
  if (problems.length > 0) {
    process.stderr.write(`Packaged layout is wrong:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`Packaged layout OK (${files} entries in app.asar, only native modules unpacked).\n`);
}
