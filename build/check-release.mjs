// What only a real package shows, checked on the machine that built it (`npm run dist -- --dir`, or the app inside
// an installer): the keychain's native module for the package's own platform and CPU, the Electron fuses as
// electron-builder.yml sets them, and — where the OS can tell — the signature:
//
//   node build/check-release.mjs "dist/mac-arm64/TIM Group Backup.app"     (and dist/mac for x64)
//   node build/check-release.mjs dist/win-unpacked
//   node build/check-release.mjs dist/linux-unpacked
//
// macOS: `codesign --verify --deep --strict`, the entitlements actually signed (no disable-library-validation), and
// Gatekeeper's verdict (`spctl`: signed with a Developer ID and notarized). Windows: the Authenticode signature of
// the executable (PowerShell Get-AuthenticodeSignature). Linux packages are not signed. Exits 1 on any problem.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getCurrentFuseWire, FuseV1Options } from '@electron/fuses';
import { load } from 'js-yaml';
import { binaryTarget, checkNative } from './native.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
/** @electron/fuses' FuseState: '0' off, '1' on. */
const ON = 49;
const OFF = 48;

/** The executable, resources folder, platform and CPU of a packaged app (a .app bundle, or the folder with the exe). */
export async function packagedApp(path) {
  const app = resolve(path);
  let executable;
  let resources;
  if (app.endsWith('.app')) {
    const name = app.split(/[\\/]/u).at(-1).replace(/\.app$/u, '');
    executable = join(app, 'Contents', 'MacOS', name);
    resources = join(app, 'Contents', 'Resources');
  } else {
    const exe = readdirSync(app).find((f) => f.endsWith('.exe') && !/^(uninstall|elevate)/iu.test(f)) ?? 'tim-group-backup';
    executable = join(app, exe);
    resources = join(app, 'resources');
  }
  if (!existsSync(executable)) throw new Error(`${executable} does not exist: give the packaged app (dist/mac*/*.app, dist/win-unpacked or dist/linux-unpacked).`);
  const handle = await open(executable);
  const header = Buffer.alloc(4096);
  try {
    await handle.read(header, 0, header.length, 0);
  } finally {
    await handle.close();
  }
  const target = binaryTarget(header);
  if (!target) throw new Error(`${executable} is not a Mach-O, PE or ELF executable.`);
  return { app, executable, resources, ...target };
}

/** Fuses of the packaged binary that differ from electron-builder.yml's electronFuses (empty when all match). */
export async function checkFuses(app, wanted) {
  let wire;
  try {
    wire = await getCurrentFuseWire(app);
  } catch (err) {
    return [`the Electron fuses cannot be read: ${err instanceof Error ? err.message : String(err)}`];
  }
  const problems = [];
  for (const [key, on] of Object.entries(wanted)) {
    const index = FuseV1Options[key[0].toUpperCase() + key.slice(1)];
    if (index === undefined) problems.push(`electron-builder.yml names a fuse @electron/fuses does not know: ${key}`);
    else if (wire[index] !== (on ? ON : OFF)) problems.push(`the fuse ${key} is ${wire[index] === ON ? 'on' : wire[index] === OFF ? 'off' : 'not set'}, electron-builder.yml wants it ${on ? 'on' : 'off'}`);
  }
  return problems;
}

function run(command, args) {
  try {
    return { ok: true, out: execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (err) {
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}`.trim() || String(err) };
  }
}

/** The OS's own verdict on the signature, on the OS that can give it. */
function checkSignature(pkg) {
  const problems = [];
  if (pkg.platform === 'darwin' && process.platform === 'darwin') {
    const verify = run('codesign', ['--verify', '--deep', '--strict', '--verbose=2', pkg.app]);
    if (!verify.ok) problems.push(`codesign --verify: ${verify.out}`);
    const entitlements = run('codesign', ['-d', '--entitlements', ':-', pkg.app]);
    for (const risky of ['disable-library-validation', 'allow-unsigned-executable-memory', 'allow-dyld-environment-variables']) {
      if (entitlements.out.includes(`com.apple.security.cs.${risky}`)) problems.push(`the app is signed with ${risky}`);
    }
    const gatekeeper = run('spctl', ['--assess', '--type', 'execute', '--verbose=4', pkg.app]);
    if (!gatekeeper.ok) problems.push(`Gatekeeper refuses it (signed with a Developer ID and notarized?): ${gatekeeper.out}`);
  }
  if (pkg.platform === 'win32' && process.platform === 'win32') {
    const status = run('powershell.exe', ['-NoProfile', '-Command', `(Get-AuthenticodeSignature -LiteralPath '${pkg.executable.replaceAll("'", "''")}').Status`]);
    if (status.out.trim() !== 'Valid') problems.push(`the Authenticode signature of ${pkg.executable} is ${status.out.trim() || 'missing'}`);
  }
  return problems;
}

export async function checkRelease(path, { signature = true } = {}) {
  const pkg = await packagedApp(path);
  const config = load(await readFile(join(root, 'electron-builder.yml'), 'utf8'));
  const problems = [...(await checkNative(pkg.resources, pkg.platform, pkg.arch)), ...(await checkFuses(pkg.app.endsWith('.app') ? pkg.app : pkg.executable, config.electronFuses ?? {}))];
  if (signature) problems.push(...checkSignature(pkg));
  return { ...pkg, problems };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = process.argv[2];
  if (!path) {
    process.stderr.write('usage: node build/check-release.mjs <packaged app: dist/mac*/*.app, dist/win-unpacked or dist/linux-unpacked>\n');
    process.exit(2);
  }
  const { platform, arch, problems } = await checkRelease(path);
  if (problems.length > 0) {
    process.stderr.write(`The ${platform} ${arch} package is not right:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  const signed = platform === process.platform && platform !== 'linux' ? ', signature accepted by the OS' : platform === 'linux' ? '' : ' (signature: check it on that OS)';
  process.stdout.write(`The ${platform} ${arch} package is right: its own keychain module, the fuses of electron-builder.yml${signed}.\n`);
}
