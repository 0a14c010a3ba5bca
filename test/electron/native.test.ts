// The keychain's native module in each packaged app, per platform and CPU: read from the binary's own header, so
// a dmg for Apple silicon carrying only the Intel module (what npm installs on an Intel Mac) fails the build.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { checkConfig } from '../../build/check-layout.mjs';
import { afterPack, binaryOf, binaryTarget, checkNative, packageOf, TARGETS } from '../../build/native.mjs';
import { binaryHeader } from './binaries';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tim-native-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function packaged(name: string, modules: { triple: string; platform: string; arch: string }[]): Promise<string> {
  const resources = join(dir, name, 'resources');
  for (const m of modules) {
    const t = { ...TARGETS[0]!, triple: m.triple };
    await mkdir(join(resources, 'app.asar.unpacked', 'node_modules', packageOf(t)), { recursive: true });
    await writeFile(join(resources, 'app.asar.unpacked', 'node_modules', packageOf(t), binaryOf(t)), binaryHeader(m.platform, m.arch));
  }
  return resources;
}

describe('the keychain module of each packaged app', () => {
  it('reads the platform and CPU from the installed binary itself', async () => {
    const t = TARGETS.find((x) => x.platform === 'linux' && x.arch === 'x64')!;
    if (process.platform === 'linux' && process.arch === 'x64') {
      const bytes = await readFile(join('node_modules', packageOf(t), binaryOf(t)));
      expect(binaryTarget(bytes)).toEqual({ platform: 'linux', arch: 'x64' });
    }
    for (const target of TARGETS) expect(binaryTarget(binaryHeader(target.platform, target.arch))).toEqual({ platform: target.platform, arch: target.arch });
    expect(binaryTarget(Buffer.from('not a binary'))).toBeUndefined();
  });

  it('passes for every target when its own binary is there', async () => {
    for (const t of TARGETS) {
      const resources = await packaged(`ok-${t.triple}`, [t]);
      expect(await checkNative(resources, t.platform, t.arch), t.triple).toEqual([]);
    }
  });

  it('fails on a missing module or one built for another CPU or OS', async () => {
    // What an Intel Mac's npm install gives both dmgs.
    const intelOnly = await packaged('intel-only', [{ triple: 'darwin-x64', platform: 'darwin', arch: 'x64' }]);
    expect(await checkNative(intelOnly, 'darwin', 'x64')).toEqual([]);
    expect(await checkNative(intelOnly, 'darwin', 'arm64')).toEqual([expect.stringContaining('missing')]);
    // Both Mac modules in one dmg: the right one is there, the other is dead weight the build refuses.
    const both = await packaged('both', [
      { triple: 'darwin-x64', platform: 'darwin', arch: 'x64' },
      { triple: 'darwin-arm64', platform: 'darwin', arch: 'arm64' },
    ]);
    expect(await checkNative(both, 'darwin', 'arm64')).toEqual([expect.stringContaining('@napi-rs/keyring-darwin-x64 ships in the darwin arm64 package')]);
    const wrongCpu = await packaged('wrong-cpu', [{ triple: 'darwin-arm64', platform: 'darwin', arch: 'x64' }]);
    expect(await checkNative(wrongCpu, 'darwin', 'arm64')).toEqual([expect.stringContaining('built for darwin x64, not darwin arm64')]);
    const wrongOs = await packaged('wrong-os', [{ triple: 'win32-x64-msvc', platform: 'linux', arch: 'x64' }]);
    expect(await checkNative(wrongOs, 'win32', 'x64')).toEqual([expect.stringContaining('built for linux x64')]);
    expect(await checkNative(wrongOs, 'win32', 'ia32')).toEqual([expect.stringContaining('no installer is built for win32 ia32')]);
  });

  it('fails the build from electron-builder’s afterPack, where the app bundle is laid out per platform', async () => {
    const appOutDir = join(dir, 'mac-arm64');
    const resources = join(appOutDir, 'TIM Group Backup.app', 'Contents', 'Resources');
    await mkdir(resources, { recursive: true });
    await expect(afterPack({ appOutDir, electronPlatformName: 'darwin', arch: 3 })).rejects.toThrow(/darwin arm64 package is not right[\s\S]*missing/u);
    const t = TARGETS.find((x) => x.triple === 'darwin-arm64')!;
    await mkdir(join(resources, 'app.asar.unpacked', 'node_modules', packageOf(t)), { recursive: true });
    await writeFile(join(resources, 'app.asar.unpacked', 'node_modules', packageOf(t), binaryOf(t)), binaryHeader('darwin', 'arm64'));
    await expect(afterPack({ appOutDir, electronPlatformName: 'darwin', arch: 3 })).resolves.toBeUndefined();
  });
});

describe('the packaging configuration', () => {
  const config = async () => load(await readFile(new URL('../../electron-builder.yml', import.meta.url), 'utf8')) as Record<string, unknown>;

  it('follows its rules: own entitlements without disable-library-validation, only .node unpacked, the native check, an update feed', async () => {
    expect(await checkConfig(await config())).toEqual([]);
  });

  it('is packaged only after every target’s native module is installed: npm run dist fetches them first', async () => {
    const { scripts } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    const steps = scripts.dist!.split('&&').map((s) => s.trim());
    expect(steps[0]).toBe('node build/native.mjs fetch');
    expect(steps.at(-1)).toMatch(/^electron-builder\b/u);
  });

  it('would catch electron-builder’s default entitlements, unpacked JavaScript and a missing feed', async () => {
    const c = await config();
    const mac = c.mac as Record<string, unknown>;
    const risky = await checkConfig({ ...c, mac: { ...mac, entitlements: undefined }, asarUnpack: ['out/worker.mjs', '**/*.node'], publish: undefined, afterPack: undefined });
    expect(risky).toEqual([
      expect.stringContaining('asarUnpack must be only'),
      expect.stringContaining('afterPack'),
      expect.stringContaining('mac.entitlements is not set'),
      expect.stringContaining('no publish provider'),
    ]);
    await writeFile(join(dir, 'default.plist'), await readFile('node_modules/app-builder-lib/templates/entitlements.mac.plist', 'utf8'));
    const defaults = await checkConfig({ ...c, mac: { ...mac, entitlementsInherit: join(dir, 'default.plist') } });
    expect(defaults).toEqual(expect.arrayContaining([expect.stringContaining('grants disable-library-validation')]));
  });
});
