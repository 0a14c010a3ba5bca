// build/check-release.mjs, the check run on the machine that built a package: packages laid out as electron-builder
// lays them out for each target, with an executable whose header names its CPU and an Electron fuse wire where
// Electron keeps it (in the framework on macOS). Signatures are the OS's to judge: not here (signature: false).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { FuseV1Options } from '@electron/fuses';
import { checkRelease } from '../../build/check-release.mjs';
import { binaryOf, packageOf, TARGETS } from '../../build/native.mjs';
import { binaryHeader } from './binaries';

const FUSES = (load(readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8')) as { electronFuses: Record<string, boolean> }).electronFuses;

/** Electron's fuse wire as @electron/fuses finds it: sentinel, version 1, length, one '0'/'1' per fuse. */
function fuseWire(fuses: Record<string, boolean>): Buffer {
  const wire = Buffer.alloc(8, 144);
  for (const [key, on] of Object.entries(fuses)) wire[FuseV1Options[(key[0]!.toUpperCase() + key.slice(1)) as keyof typeof FuseV1Options]] = on ? 49 : 48;
  return Buffer.concat([Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 8]), wire]);
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tim-release-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function put(file: string, bytes: Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, bytes);
}

/** A packaged app for one target; `module` is the triple of the keychain module it carries (none when null). */
async function packaged(name: string, platform: string, arch: string, opts: { module?: string | null; fuses?: Record<string, boolean> } = {}): Promise<string> {
  const at = join(dir, name);
  const layout =
    platform === 'darwin'
      ? { app: join(at, 'TIM Group Backup.app'), exe: join(at, 'TIM Group Backup.app', 'Contents', 'MacOS', 'TIM Group Backup'), resources: join(at, 'TIM Group Backup.app', 'Contents', 'Resources') }
      : { app: at, exe: join(at, platform === 'win32' ? 'TIM Group Backup.exe' : 'tim-group-backup'), resources: join(at, 'resources') };
  const wire = fuseWire(opts.fuses ?? FUSES);
  if (platform === 'darwin') {
    await put(layout.exe, binaryHeader(platform, arch));
    await put(join(layout.app, 'Contents', 'Frameworks', 'Electron Framework.framework', 'Electron Framework'), Buffer.concat([binaryHeader(platform, arch), wire]));
  } else {
    await put(layout.exe, Buffer.concat([binaryHeader(platform, arch), wire]));
  }
  const triple = opts.module === undefined ? TARGETS.find((t) => t.platform === platform && t.arch === arch)!.triple : opts.module;
  if (triple !== null) {
    const t = { ...TARGETS[0]!, triple };
    await put(join(layout.resources, 'app.asar.unpacked', 'node_modules', packageOf(t), binaryOf(t)), binaryHeader(platform, arch));
  }
  return layout.app;
}

describe('the check of a built package', () => {
  it('passes every target built right, telling its platform and CPU from the executable itself', async () => {
    for (const t of TARGETS) {
      const r = await checkRelease(await packaged(`ok-${t.triple}`, t.platform, t.arch), { signature: false });
      expect(r, t.triple).toMatchObject({ platform: t.platform, arch: t.arch, problems: [] });
    }
  });

  it('fails an Apple-silicon app without its keychain module, and one carrying the Intel one instead', async () => {
    const none = await checkRelease(await packaged('arm-none', 'darwin', 'arm64', { module: null }), { signature: false });
    expect(none.problems).toEqual([expect.stringContaining("the keychain's native module for darwin arm64 is missing")]);
    // What an Intel Mac's npm install gives both dmgs.
    const intel = await checkRelease(await packaged('arm-intel', 'darwin', 'arm64', { module: 'darwin-x64' }), { signature: false });
    expect(intel.problems).toEqual([expect.stringContaining('darwin arm64 is missing')]);
  });

  it('fails a binary whose fuses are not the ones electron-builder.yml sets', async () => {
    const r = await checkRelease(await packaged('fuses', 'win32', 'x64', { fuses: { ...FUSES, runAsNode: true, enableNodeCliInspectArguments: true } }), { signature: false });
    expect(r.problems).toEqual(['the fuse runAsNode is on, electron-builder.yml wants it off', 'the fuse enableNodeCliInspectArguments is on, electron-builder.yml wants it off']);
    const unflipped = await checkRelease(await packaged('unflipped', 'linux', 'x64', { fuses: {} }), { signature: false });
    expect(unflipped.problems).toContainEqual('the fuse onlyLoadAppFromAsar is not set, electron-builder.yml wants it on');
  });

  it('says what it was given when that is no packaged app', async () => {
    await expect(checkRelease(join(dir, 'ok-linux-x64-gnu', 'resources'), { signature: false })).rejects.toThrow(/does not exist: give the packaged app/u);
  });
});
