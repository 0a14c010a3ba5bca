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

export class SettingsError extends Error {
  override name = 'SettingsError';
}

export class ProfileNotFound extends Error {
  override name = 'ProfileNotFound';
  constructor(readonly profile: string) {
    super(`There is no saved profile named "${profile}". Create it first, or check the name.`);
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
    const why = err instanceof SyntaxError ? 'it is not valid JSON' : err instanceof Error ? err.message : String(err);
    throw new SettingsError(`The settings file ${file} cannot be read (${why}). Fix it or move it away; TIM Group Backup leaves it untouched.`);
  }
}

/** For the CLI: the profile saved under `name` (synchronously; the CLI reads it once). */
export function readProfileSync(file: string, name: string): Profile {
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new SettingsError(`The settings file ${file} cannot be read (${(err as Error).message}).`);
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
        throw new SettingsError(`A profile named "${input.name}" already exists. Choose another name.`);
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
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new SettingsError(`The settings file ${this.file} cannot be read (${(err as Error).message}).`);
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
      throw new SettingsError(`The settings could not be saved to ${this.file} (${(err as Error).message}). Check that the folder is writable and the disk is not full.`);
    }
  }
}
