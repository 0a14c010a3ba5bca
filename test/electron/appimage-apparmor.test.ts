// The AppImage's AppArmor profile for Ubuntu 23.10+ (build/linux/appimage-apparmor.sh): it allows exactly the
// user namespace Chromium's sandbox needs, for exactly the AppImage file named, and refuses paths it cannot quote.
// Where apparmor_parser exists the profile is also compiled (a dry run, nothing loaded).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../build/linux/appimage-apparmor.sh', import.meta.url));
const run = (...args: string[]) => spawnSync('sh', [SCRIPT, ...args], { encoding: 'utf8' });
// The profile is AppArmor 4's (abi 4.0, the userns rule: Ubuntu 23.10 and later); an older parser cannot read it,
// and its systems do not restrict user namespaces anyway.
const parser = spawnSync('sh', ['-c', 'command -v apparmor_parser']).status === 0 && existsSync('/etc/apparmor.d/abi/4.0');

describe.runIf(process.platform === 'linux')('the AppImage AppArmor profile', () => {
  it('allows user namespaces for exactly that file, sandbox kept', () => {
    const file = '/home/me/Applications/TIM Group Backup-1.2.0.AppImage';
    const r = run('--print', file);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`profile tim-group-backup-appimage "${file}" flags=(unconfined) {`);
    expect(r.stdout).toMatch(/^\s+userns,$/mu);
    expect(r.stdout).not.toContain('no-sandbox');
  });

  it('refuses a relative path or one it cannot quote', () => {
    expect(run('--print', 'TIM.AppImage').status).toBe(2);
    expect(run('--print', '/tmp/a"b.AppImage').status).toBe(2);
    expect(run('--install', '/nonexistent/TIM.AppImage').status).toBe(2);
  });

  it('says whether this system needs it', () => {
    const restricted = (() => {
      try {
        return readFileSync('/proc/sys/kernel/apparmor_restrict_unprivileged_userns', 'utf8').trim() === '1';
      } catch {
        return false;
      }
    })();
    expect(run('--check').status).toBe(restricted ? 1 : 0);
  });

  it.runIf(parser)('compiles', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tim-apparmor-'));
    try {
      await writeFile(join(dir, 'profile'), run('--print', '/opt/apps/TIM.AppImage').stdout);
      const r = spawnSync('apparmor_parser', ['--skip-kernel-load', '--debug', join(dir, 'profile')], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
