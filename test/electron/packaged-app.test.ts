// The Electron app test finds the packaged app electron-builder made for this platform and CPU (not only Linux's),
// and starts it the way the fuses allow: no --inspect (enableNodeCliInspectArguments is off in a packaged app).
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appLaunch, packagedExecutable } from './packaged-app';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tim-packaged-app-'));
  // What `npm run dist -- --dir` leaves on each OS (a Mac building both architectures gets both folders).
  for (const file of [
    'dist/mac/TIM Group Backup.app/Contents/MacOS/TIM Group Backup',
    'dist/mac-arm64/TIM Group Backup.app/Contents/MacOS/TIM Group Backup',
    'dist/win-unpacked/TIM Group Backup.exe',
    'dist/linux-unpacked/tim-group-backup',
  ]) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), '');
    await chmod(join(root, file), 0o755);
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('the packaged app the Electron test starts', () => {
  it('is the one built for this platform and CPU', () => {
    expect(packagedExecutable(root, 'darwin', 'arm64')).toBe(join(root, 'dist', 'mac-arm64', 'TIM Group Backup.app', 'Contents', 'MacOS', 'TIM Group Backup'));
    expect(packagedExecutable(root, 'darwin', 'x64')).toBe(join(root, 'dist', 'mac', 'TIM Group Backup.app', 'Contents', 'MacOS', 'TIM Group Backup'));
    expect(packagedExecutable(root, 'win32', 'x64')).toBe(join(root, 'dist', 'win-unpacked', 'TIM Group Backup.exe'));
    expect(packagedExecutable(root, 'linux', 'x64')).toBe(join(root, 'dist', 'linux-unpacked', 'tim-group-backup'));
    // Not built here: none.
    expect(packagedExecutable(root, 'win32', 'arm64')).toBeUndefined();
    expect(packagedExecutable(root, 'freebsd', 'x64')).toBeUndefined();
  });

  it('is started as a person starts it, plus a DevTools port: never --inspect, which its fuses refuse', () => {
    for (const [platform, arch] of [['darwin', 'arm64'], ['darwin', 'x64'], ['win32', 'x64'], ['linux', 'x64']] as const) {
      const launch = appLaunch(root, platform, arch);
      expect(launch, `${platform} ${arch}`).toMatchObject({ executablePath: packagedExecutable(root, platform, arch), args: ['--remote-debugging-port=0'], packaged: true });
    }
    // No packaged app and no Electron binary: a reason to skip, not a launch.
    expect(appLaunch(root, 'win32', 'arm64')).toMatch(/no Electron binary/u);
  });
});
