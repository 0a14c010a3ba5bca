// Profiles as plain settings: a JSON file in the data folder, replaced atomically, never holding a key, never
// overwritten when it cannot be understood.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataDir, settingsFile } from '../../app/profiles/paths';
import { defaultArchiveName, ProfileNotFound, ProfileStore, readProfileSync, SettingsError } from '../../app/profiles/settings';

let dir: string;
let store: ProfileStore;
const input = { name: 'Work app', endpoint: 'singapore', sdkAppId: 1400123456, admin: 'administrator', rate: 150 };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tim-profiles-'));
  store = new ProfileStore(settingsFile(dir), join(dir, 'archives'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('ProfileStore', () => {
  it('starts empty, saves, lists and reads back what was saved, with a default archive in the data folder', async () => {
    expect(await store.list()).toEqual([]);
    const saved = await store.save(input);
    expect(saved).toEqual({ ...input, archivePath: join(dir, 'archives', defaultArchiveName('Work app')) });
    expect(await store.list()).toEqual([saved]);
    expect(readProfileSync(settingsFile(dir), 'Work app')).toEqual(saved);
    const file = JSON.parse(await readFile(settingsFile(dir), 'utf8'));
    expect(file).toEqual({ version: 1, profiles: [saved] });
  });

  it('replaces a profile of the same name and keeps its archive unless another is given', async () => {
    const first = await store.save(input);
    const second = await store.save({ ...input, rate: 20 });
    expect(second.archivePath).toBe(first.archivePath);
    expect(await store.list()).toEqual([second]);
    const moved = await store.save({ ...input, archivePath: join(dir, 'elsewhere.sqlite') });
    expect(moved.archivePath).toBe(join(dir, 'elsewhere.sqlite'));
  });

  it('renames, refusing a name that is taken or a profile that does not exist', async () => {
    await store.save(input);
    await store.save({ ...input, name: 'Other' });
    await expect(store.save({ ...input, name: 'Other' }, { previousName: 'Work app' })).rejects.toThrow(SettingsError);
    await expect(store.save({ ...input, name: 'New' }, { previousName: 'Nope' })).rejects.toThrow(ProfileNotFound);
    const renamed = await store.save({ ...input, name: 'Renamed' }, { previousName: 'Work app' });
    expect((await store.list()).map((p) => p.name)).toEqual(['Renamed', 'Other']);
    expect(renamed.archivePath).toBe(join(dir, 'archives', defaultArchiveName('Work app')));
  });

  it('deletes, and says whether there was something to delete', async () => {
    await store.save(input);
    expect(await store.delete('Work app')).toBe(true);
    expect(await store.delete('Work app')).toBe(false);
    await expect(store.get('Work app')).rejects.toThrow(ProfileNotFound);
  });

  it('serializes concurrent saves (none is lost) and leaves no temporary file behind', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.save({ ...input, name: `p${i}` })));
    expect((await store.list()).map((p) => p.name).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `p${i}`).sort());
    expect(await readdir(dir)).toEqual(['profiles.json']);
  });

  it('never overwrites a settings file it cannot understand, and says which file and why', async () => {
    for (const text of ['{not json', JSON.stringify({ version: 99, profiles: [] }), JSON.stringify({ version: 1, profiles: [{ name: 'x' }] })]) {
      await writeFile(settingsFile(dir), text);
      await expect(store.list()).rejects.toThrow(SettingsError);
      const err = await store.save(input).catch((e: Error) => e);
      expect(err).toBeInstanceOf(SettingsError);
      expect((err as Error).message).toContain(settingsFile(dir));
      expect(await readFile(settingsFile(dir), 'utf8')).toBe(text);
    }
  });

  it('keeps the previous settings when saving fails, and says so', async () => {
    const saved = await store.save(input);
    // The temporary file cannot be created: a folder sits where it would go.
    await mkdir(`${settingsFile(dir)}.tmp-${process.pid}`);
    await expect(store.save({ ...input, rate: 1 })).rejects.toThrow(/could not be saved/);
    expect(await store.list()).toEqual([saved]);
  });
});

describe('default archive names', () => {
  it('are safe file names, distinct for names that differ only in unsafe characters', () => {
    const names = ['a/b', 'a_b', 'a\\b', 'CON', '..', '客户群 2024', ' x ', 'a:b*c?'];
    const files = names.map(defaultArchiveName);
    expect(new Set(files).size).toBe(names.length);
    for (const f of files) expect(f).toMatch(/^[\p{L}\p{N} ._-]+-[0-9a-f]{8}\.sqlite$/u);
    for (const f of files) expect(f).not.toMatch(/^[ .]|[/\\:*?]/u);
  });
});

describe('the data folder', () => {
  it('is TIM_DATA_DIR when set, else the per-user application data folder of each OS', () => {
    expect(dataDir({ TIM_DATA_DIR: '/x/y' }, 'linux', '/home/u')).toBe('/x/y');
    // Relative to where it was started, made absolute (Electron's setPath refuses a relative folder).
    expect(dataDir({ TIM_DATA_DIR: 'portable/data' }, 'linux', '/home/u')).toBe(join(process.cwd(), 'portable', 'data'));
    expect(dataDir({}, 'linux', '/home/u')).toBe('/home/u/.config/TIM Group Backup');
    expect(dataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/u')).toBe('/cfg/TIM Group Backup');
    expect(dataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/TIM Group Backup');
    expect(dataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toMatch(/Roaming.TIM Group Backup$/);
  });
});
