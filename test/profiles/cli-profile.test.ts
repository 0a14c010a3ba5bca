// `tim-backup --profile NAME`: the CLI reads a profile saved by the desktop app (its archive, rate and endpoint).
// The key from the keychain is covered by keychain.test.ts (it needs a Secret Service); here, what needs none.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../app/cli/main';
import { archivePath, retentionDays, savedProfile } from '../../app/cli/config';
import { rateFrom } from '../../app/cli/connect';
import { settingsFile } from '../../app/profiles/paths';
import { ProfileStore } from '../../app/profiles/settings';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tim-cli-profile-'));
  const store = new ProfileStore(settingsFile(dir), join(dir, 'archives'));
  await store.save({ name: 'Work', endpoint: 'frankfurt', sdkAppId: 1400000005, admin: 'admin', rate: 42, archivePath: join(dir, 'work.sqlite'), retentionDays: 30 });
  await store.save({ name: 'Demo', endpoint: 'http://127.0.0.1:1', sdkAppId: 1, admin: 'a', rate: 1 }, { demo: true });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const env = () => ({ TIM_DATA_DIR: dir });

describe('--profile', () => {
  it('takes the archive and the rate from the saved profile; flags still win', () => {
    expect(savedProfile({ profile: 'Work' }, env())).toMatchObject({ sdkAppId: 1400000005, rate: 42 });
    expect(archivePath({ profile: 'Work' }, env())).toBe(join(dir, 'work.sqlite'));
    expect(archivePath({ profile: 'Work', archive: join(dir, 'other.sqlite') }, env())).toBe(join(dir, 'other.sqlite'));
    // The plan's retention saved in the app; --retention wins, then the profile, then TIM_RETENTION_DAYS.
    expect(retentionDays({ profile: 'Work' }, { ...env(), TIM_RETENTION_DAYS: '90' })).toBe(30);
    expect(retentionDays({ profile: 'Work', retention: '7' }, env())).toBe(7);
    expect(retentionDays({}, { TIM_RETENTION_DAYS: '90' })).toBe(90);
    expect(retentionDays({}, {})).toBe(7);
    vi.stubEnv('TIM_DATA_DIR', dir);
    try {
      expect(rateFrom({ profile: 'Work' })).toBe(42);
      expect(rateFrom({ profile: 'Work', rate: '7' })).toBe(7);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('is a usage error (exit 2) for an unknown profile or the demo profile, naming it', async () => {
    vi.stubEnv('TIM_DATA_DIR', dir);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['status', '--profile', 'Nope'])).toBe(2);
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toContain('no saved profile named "Nope"');
      err.mockClear();
      expect(await main(['groups', '--profile', 'Demo'])).toBe(2);
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toContain('demo profile');
      err.mockClear();
      // status reads the profile's archive: there is none yet, and the message names its path.
      expect(await main(['status', '--profile', 'Work'])).toBe(1);
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toContain(join(dir, 'work.sqlite'));
    } finally {
      err.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
