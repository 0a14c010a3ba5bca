// Profiles as plain settings: one JSON file in the app's data folder, replaced atomically (temporary file, fsync,
// rename), so a crash while saving leaves the previous settings. The SecretKey is never in it (./keychain).
// A file that cannot be understood is never overwritten: the person may have edited it, and it is theirs.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Profile, ProfileInput } from '../ipc/contract';
import { absolutePath, array, boolean, integer, object, optional } from '../ipc/schema';
import { profileFields } from '../ipc/validators';
import { SaidError, type Sentences, type Tables, sayAll } from '../errors/said';

type SettingsProblem = 'unreadable' | 'not-json' | 'not-saved' | 'name-taken' | 'no-profile';

/** `detail` is the system's own words (English), quoted for whoever fixes the file. */
interface SettingsFacts {
  file?: string;
  detail?: string;
  name?: string;
}

export const SETTINGS_EN = {
  unreadable: (f) => `The settings file ${f.file} cannot be read (${f.detail}). Fix it or move it away; TIM Group Backup leaves it untouched.`,
  'not-json': (f) => `The settings file ${f.file} cannot be read (it is not valid JSON). Fix it or move it away; TIM Group Backup leaves it untouched.`,
  'not-saved': (f) => `The settings could not be saved to ${f.file} (${f.detail}). Check that the folder is writable and the disk is not full.`,
  'name-taken': (f) => `A profile named "${f.name}" already exists. Choose another name.`,
  'no-profile': (f) => `There is no saved profile named "${f.name}". Create it first, or check the name.`,
} satisfies Sentences<SettingsProblem, SettingsFacts>;

export const SETTINGS_ZH = {
  unreadable: (f) => `无法读取设置文件 ${f.file}（${f.detail}）。请修正它或把它移走；TIM Group Backup 不会改动它。`,
  'not-json': (f) => `无法读取设置文件 ${f.file}（它不是有效的 JSON）。请修正它或把它移走；TIM Group Backup 不会改动它。`,
  'not-saved': (f) => `无法把设置保存到 ${f.file}（${f.detail}）。请检查该文件夹是否可写、磁盘是否已满。`,
  'name-taken': (f) => `已有名为“${f.name}”的应用。请换一个名称。`,
  'no-profile': (f) => `没有名为“${f.name}”的已保存应用。请先添加它，或检查名称。`,
} satisfies Sentences<SettingsProblem, SettingsFacts>;

const SETTINGS: Tables<SettingsProblem, SettingsFacts> = { en: SETTINGS_EN, 'zh-CN': SETTINGS_ZH };

export class SettingsError extends SaidError {
  override name = 'SettingsError';
  constructor(problem: Exclude<SettingsProblem, 'no-profile'>, facts: SettingsFacts) {
    super(sayAll(SETTINGS, problem, facts));
  }
}

export class ProfileNotFound extends SaidError {
  override name = 'ProfileNotFound';
  constructor(readonly profile: string) {
    super(sayAll(SETTINGS, 'no-profile', { name: profile }));
  }
}

const FILE_VERSION = 1;

const settingsFileCheck = object({
  version: integer(FILE_VERSION, FILE_VERSION),
  profiles: array(object({ ...profileFields, archivePath: absolutePath(), demo: optional(boolean()) }), 1000),
});

/** The file's profiles; [] when there is no file yet. */
export function parseSettings(file: string, text: string | undefined): Profile[] {
  if (text === undefined) return [];
  try {
    return settingsFileCheck(JSON.parse(text), '').profiles;
  } catch (err) {
    if (err instanceof SyntaxError) throw new SettingsError('not-json', { file });
    throw new SettingsError('unreadable', { file, detail: err instanceof Error ? err.message : String(err) });
  }
}

/** For the CLI: the profile saved under `name` (synchronously; the CLI reads it once). */
export function readProfileSync(file: string, name: string): Profile {
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new SettingsError('unreadable', { file, detail: (err as Error).message });
  }
  const found = parseSettings(file, text).find((p) => p.name === name);
  if (!found) throw new ProfileNotFound(name);
  return found;
}

/** A file name for the profile's archive: readable, safe on every OS, and distinct for distinct names. */
export function defaultArchiveName(profile: string): string {
  const slug = profile.normalize('NFC').replace(/[^\p{L}\p{N} ._-]+/gu, '_').replace(/^[ .]+|[ .]+$/gu, '').slice(0, 40) || 'profile';
  const hash = createHash('sha256').update(profile).digest('hex').slice(0, 8);
  return `${slug}-${hash}.sqlite`;
}

export class ProfileStore {
  /** Writes happen one at a time, each on the result of the one before. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly archivesDir: string,
  ) {}

  async list(): Promise<Profile[]> {
    await this.queue.catch(() => undefined);
    return this.read();
  }

  async get(name: string): Promise<Profile> {
    const found = (await this.list()).find((p) => p.name === name);
    if (!found) throw new ProfileNotFound(name);
    return found;
  }

  /**
   * Creates or replaces the profile named input.name. With `previousName` (a rename) that profile must exist and
   * the new name must be free. Returns the profile as saved.
   */
  save(input: ProfileInput, opts: { previousName?: string; demo?: boolean } = {}): Promise<Profile> {
    return this.update((profiles) => {
      const oldName = opts.previousName ?? input.name;
      const index = profiles.findIndex((p) => p.name === oldName);
      if (opts.previousName !== undefined && index < 0) throw new ProfileNotFound(opts.previousName);
      if (oldName !== input.name && profiles.some((p) => p.name === input.name)) {
        throw new SettingsError('name-taken', { name: input.name });
      }
      const before = index >= 0 ? profiles[index] : undefined;
      const profile: Profile = {
        name: input.name,
        endpoint: input.endpoint,
        sdkAppId: input.sdkAppId,
        admin: input.admin,
        rate: input.rate,
        archivePath: input.archivePath ?? before?.archivePath ?? join(this.archivesDir, defaultArchiveName(input.name)),
        ...(input.retentionDays !== undefined ? { retentionDays: input.retentionDays } : {}),
        ...(input.schedule ? { schedule: input.schedule } : {}),
        ...(input.media ? { media: input.media } : {}),
        ...((opts.demo ?? before?.demo) ? { demo: true } : {}),
      };
      const next = [...profiles];
      if (index >= 0) next[index] = profile;
      else next.push(profile);
      return { profiles: next, result: profile };
    });
  }

  /** True if there was such a profile. */
  delete(name: string): Promise<boolean> {
    return this.update((profiles) => {
      const next = profiles.filter((p) => p.name !== name);
      return { profiles: next, result: next.length !== profiles.length };
    });
  }

  private update<T>(change: (profiles: Profile[]) => { profiles: Profile[]; result: T }): Promise<T> {
    const run = this.queue.then(async () => {
      const { profiles, result } = change(await this.read());
      await this.write(profiles);
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<Profile[]> {
    let text: string | undefined;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new SettingsError('unreadable', { file: this.file, detail: (err as Error).message });
    }
    return parseSettings(this.file, text);
  }

  private async write(profiles: Profile[]): Promise<void> {
    const tmp = `${this.file}.tmp-${process.pid}`;
    try {
      await mkdir(dirname(this.file), { recursive: true });
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(`${JSON.stringify({ version: FILE_VERSION, profiles }, null, 2)}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.file);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw new SettingsError('not-saved', { file: this.file, detail: (err as Error).message });
    }
  }
}
