// The keychain's native module for every target the installers are built for. npm installs @napi-rs/keyring's
// prebuilt binary only for the machine it runs on, and electron-builder does not fetch others (npmRebuild: false),
// so the dmg of the other Mac architecture would ship without one. Hence:
//
// - `node build/native.mjs fetch [platform]` (run by `npm run dist`) installs, with npm itself, the binary
//   package of each architecture the installers of that OS are built for (default: this OS);
// - `afterPack` (electron-builder.yml) checks each packaged app, per platform and architecture, for a binary of
//   exactly that platform and CPU, read from the file's own header, and fails the build otherwise.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The targets electron-builder.yml builds: mac dmg x64 + arm64, Windows NSIS x64, Linux AppImage + deb x64. */
export const TARGETS = [
  { platform: 'darwin', arch: 'x64', triple: 'darwin-x64' },
  { platform: 'darwin', arch: 'arm64', triple: 'darwin-arm64' },
  { platform: 'win32', arch: 'x64', triple: 'win32-x64-msvc' },
  { platform: 'linux', arch: 'x64', triple: 'linux-x64-gnu' },
];

export const packageOf = (t) => `@napi-rs/keyring-${t.triple}`;
export const binaryOf = (t) => `keyring.${t.triple}.node`;

/** The OS and CPU a native module was built for, from its header: Mach-O, PE or ELF. */
export function binaryTarget(bytes) {
  const u32le = (o) => bytes.readUInt32LE(o);
  if (bytes.length >= 8 && u32le(0) === 0xfeedfacf) {
    const cpu = u32le(4);
    return { platform: 'darwin', arch: cpu === 0x01000007 ? 'x64' : cpu === 0x0100000c ? 'arm64' : `cpu ${cpu}` };
  }
  if (bytes.length >= 0x40 && bytes.toString('latin1', 0, 2) === 'MZ') {
    const pe = u32le(0x3c);
    if (bytes.length >= pe + 6 && bytes.toString('latin1', pe, pe + 4) === 'PE\0\0') {
      const machine = bytes.readUInt16LE(pe + 4);
      return { platform: 'win32', arch: machine === 0x8664 ? 'x64' : machine === 0xaa64 ? 'arm64' : `machine ${machine}` };
    }
  }
  if (bytes.length >= 20 && bytes.toString('latin1', 0, 4) === '\x7fELF') {
    const machine = bytes.readUInt16LE(18);
    return { platform: 'linux', arch: machine === 0x3e ? 'x64' : machine === 0xb7 ? 'arm64' : `machine ${machine}` };
  }
  return undefined;
}

/**
 * What is wrong with the keychain module in a packaged app's resources folder for one platform and arch
 * (empty when right): it must be unpacked from app.asar (the OS loads it from a real file), built for it, and
 * alone (electron-builder.yml keeps the other targets' out).
 */
export async function checkNative(resources, platform, arch) {
  const target = TARGETS.find((t) => t.platform === platform && t.arch === arch);
  if (!target) return [`no installer is built for ${platform} ${arch} (build/native.mjs TARGETS)`];
  const file = join(resources, 'app.asar.unpacked', 'node_modules', packageOf(target), binaryOf(target));
  let header;
  try {
    header = (await readFile(file)).subarray(0, 4096);
  } catch {
    return [`the keychain's native module for ${platform} ${arch} is missing (${packageOf(target)}/${binaryOf(target)} unpacked): run "node build/native.mjs fetch ${platform}" before packaging`];
  }
  const problems = [];
  const built = binaryTarget(header);
  if (built?.platform !== platform || built.arch !== arch) problems.push(`${binaryOf(target)} is built for ${built ? `${built.platform} ${built.arch}` : 'nothing recognisable'}, not ${platform} ${arch}`);
  for (const other of TARGETS) {
    if (other === target || !existsSync(join(resources, 'app.asar.unpacked', 'node_modules', packageOf(other)))) continue;
    problems.push(`${packageOf(other)} ships in the ${platform} ${arch} package: each package carries only its own native module`);
  }
  return problems;
}

/** Installs the binary packages of `platform`'s targets that are missing, at the version @napi-rs/keyring expects. */
export function fetchNative(platform = process.platform) {
  const version = JSON.parse(readFileSync(join(root, 'node_modules', '@napi-rs', 'keyring', 'package.json'), 'utf8')).version;
  const missing = TARGETS.filter((t) => t.platform === platform && !existsSync(join(root, 'node_modules', packageOf(t), binaryOf(t))));
  if (missing.length === 0) return [];
  const specs = missing.map((t) => `${packageOf(t)}@${version}`);
  // --force: npm otherwise refuses a package whose os/cpu is not this machine's (that is the point here);
  // --no-save: package.json and the lock file stay as they are.
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['install', '--no-save', '--force', '--no-audit', '--no-fund', ...specs], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  return specs;
}

/** electron-builder's Arch enum, by value. */
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

/** electron-builder hook: after each platform/arch is packaged, before it is signed and turned into an installer. */
export async function afterPack(context) {
  const platform = context.electronPlatformName;
  const arch = ARCH_NAMES[context.arch] ?? String(context.arch);
  const resources =
    platform === 'darwin'
      ? join(context.appOutDir, (await readdir(context.appOutDir)).find((f) => f.endsWith('.app')) ?? '', 'Contents', 'Resources')
      : join(context.appOutDir, 'resources');
  const problems = await checkNative(resources, platform, arch);
  if (problems.length > 0) throw new Error(`The ${platform} ${arch} package is not right:\n  - ${problems.join('\n  - ')}`);
}

export default afterPack;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, platform] = process.argv.slice(2);
  if (command !== 'fetch') {
    process.stderr.write('usage: node build/native.mjs fetch [darwin|win32|linux]\n');
    process.exit(2);
  }
  const fetched = fetchNative(platform);
  process.stdout.write(fetched.length > 0 ? `Installed ${fetched.join(', ')}\n` : 'Every native module for these targets is present.\n');
}
