// The runtime validator of every operation's argument. Main runs it before anything else; the record type makes
// the compiler insist on one per operation, and each must produce exactly the contract's argument type.

import { MEDIA_MODES } from '../media/policy';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import { FILTER_KINDS } from '../search/filter';
import { EXPORT_FORMATS, EXPORT_MEDIA, type ArgsOf, type Operation } from './contract';
import { LANGS } from '../export/i18n';
import { MAX_RATE, MIN_RATE } from '../engine/pacer';
import { EndpointError, endpointFor } from '../im/regions';
import { MAX_RETENTION_DAYS } from '../schedule/deadline';
import { DAILY_TIME, MAX_INTERVAL_HOURS } from '../schedule/schedule';
import {
  absolutePath, array, boolean, type Check, either, integer, object, oneOf, optional, string, ValidationError, variant,
} from './schema';

/** Generous bounds: Tencent's own are tighter (group IDs 48 bytes, accounts 32), the point is to bound work. */
const ID = string({ min: 1, max: 256 });
const UNIX_SECONDS = integer(0, 2 ** 40);
const SEQ = integer(1, Number.MAX_SAFE_INTEGER);

export const profileName = string({ min: 1, max: 64, pattern: /^\S(?:.*\S)?$/su });

/** A region ID or an http(s) base URL, by the rule the client itself applies (app/im/regions.ts). */
const endpoint: Check<string> = (v, path) => {
  const text = string({ min: 1, max: 2048 })(v, path);
  try {
    endpointFor(text);
  } catch (err) {
    if (err instanceof EndpointError) throw new ValidationError(`${path}: ${err.message.replace(/\.$/u, '')}`);
    throw err;
  }
  return text;
};

/** What an archive file may be called: no extension, or one of these (a document picked by mistake is refused). */
export const ARCHIVE_EXTENSIONS = ['.sqlite', '.sqlite3', '.db', '.timbackup'] as const;

const EXAMPLE_NAME = 'tim-backup.sqlite';

/** An archive file as far as its name tells: a full path on this computer, to a file with a sensible extension. */
const archiveFile: Check<string> = (v, path) => {
  const file = absolutePath()(v, path);
  const problem =
    !isAbsolute(file) ? `the archive file “${file}” is not a full path on this computer: choose it again with its folder`
    : /[\\/]$/u.test(file) ? `the archive file “${file}” names a folder: add a file name, such as ${join(file, EXAMPLE_NAME)}`
    : extname(file) && !(ARCHIVE_EXTENSIONS as readonly string[]).includes(extname(file).toLowerCase())
      ? `the archive file “${basename(file)}” ends in ${extname(file)}, which is not an archive's: use a name ending in ${ARCHIVE_EXTENSIONS.join(', ')}, or no extension`
    : undefined;
  if (problem) throw new ValidationError(`${path}: ${problem}`);
  return file;
};

/**
 * What only the disk can tell about a new archive location: it is not a folder, and its folder exists or can be
 * created (the nearest existing one is a folder you can write to). The worker runs it before saving a profile —
 * off the main process, which a stat of a slow network drive must not freeze. Throws a ValidationError that says
 * what to do.
 */
export async function checkArchiveLocation(file: string): Promise<void> {
  const refuse = (why: string): never => {
    throw new ValidationError(`The archive file “${file}” cannot be used: ${why}.`);
  };
  const found = await statOrMissing(file);
  if (found?.isDirectory()) refuse(`it is a folder. Choose a file name inside it, such as ${join(file, EXAMPLE_NAME)}`);
  if (found && !found.isFile()) refuse('it is not an ordinary file. Choose another file name');
  let folder = dirname(file);
  let info = await statOrMissing(folder);
  while (!info && dirname(folder) !== folder) {
    folder = dirname(folder);
    info = await statOrMissing(folder);
  }
  if (!info?.isDirectory()) refuse(`${folder} is a file, not a folder. Choose another place for the archive`);
  try {
    await access(folder, constants.W_OK);
  } catch {
    refuse(`you cannot write to the folder ${folder}. Choose a folder of yours, such as your Documents folder`);
  }
}

async function statOrMissing(path: string) {
  try {
    return await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ENOTDIR: a part of the path is a file; the walk up to the nearest existing part says which.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ValidationError(`${path} cannot be checked (${code ?? String(err)}). Choose another place for the archive.`);
  }
}

/** A profile's fields; the settings file stores the same (with archivePath required). */
export const profileFields = {
  name: profileName,
  endpoint,
  sdkAppId: integer(1, 2 ** 32 - 1),
  admin: string({ min: 1, max: 128 }),
  rate: integer(MIN_RATE, MAX_RATE),
  archivePath: optional(archiveFile),
  retentionDays: optional(integer(1, MAX_RETENTION_DAYS)),
  schedule: optional(variant('kind', { interval: { hours: integer(1, MAX_INTERVAL_HOURS) }, daily: { at: string({ min: 5, max: 5, pattern: DAILY_TIME }) } })),
  media: optional(object({ mode: oneOf(MEDIA_MODES), maxBytes: optional(integer(1, Number.MAX_SAFE_INTEGER)), diskFloorBytes: optional(integer(0, Number.MAX_SAFE_INTEGER)) })),
};
const profileInput = object(profileFields);

const profileRef = object({ profile: profileName });
const groupRef = object({ profile: profileName, groupId: ID, topicId: optional(ID) });

const filter = object({
  groupIds: optional(array(ID, 10_000)),
  senders: optional(array(ID, 10_000)),
  since: optional(UNIX_SECONDS),
  until: optional(UNIX_SECONDS),
  kinds: optional(array(oneOf(FILTER_KINDS), FILTER_KINDS.length)),
});

const none: Check<[]> = (v, path) => {
  if (v !== undefined) throw new ValidationError(`${path || 'this operation'} takes no argument`);
  return [];
};

const one =
  <T>(check: Check<T>): Check<[T]> =>
  (v, path) => [check(v, path)];

export const VALIDATORS: { readonly [K in Operation]: Check<ArgsOf<K>> } = {
  listProfiles: none,
  saveProfile: one(object({ profile: profileInput, previousName: optional(profileName) })),
  deleteProfile: one(profileRef),
  setSecretKey: one(object({ profile: profileName, secretKey: string({ min: 1, max: 1024 }) })),
  hasSecretKey: one(profileRef),
  deleteSecretKey: one(profileRef),
  testConnection: one(object({ profile: either(profileName, profileInput), secretKey: optional(string({ min: 1, max: 1024 })) })),
  startDemo: none,

  listGroups: one(object({ profile: profileName, source: oneOf(['tencent', 'archive']) })),
  coverage: one(groupRef),
  startBackup: one(object({ profile: profileName, groups: array(object({ groupId: ID, topicId: optional(ID) }), 100_000), trigger: optional(oneOf(['manual', 'scheduled'])) })),
  cancelBackup: one(profileRef),
  fetchMissing: one(groupRef),
  retryRun: one(object({ profile: profileName, runId: integer(1, Number.MAX_SAFE_INTEGER) })),
  estimate: one(object({ profile: profileName, groups: array(object({ groupId: ID }), 100_000) })),
  overview: one(profileRef),
  runHistory: one(object({ profile: profileName, before: optional(integer(1, Number.MAX_SAFE_INTEGER)), limit: integer(1, 500) })),
  scheduledProfiles: none,
  members: one(groupRef),
  people: one(profileRef),

  search: one(
    object({
      profile: profileName,
      query: string({ max: 1000, allowControl: true }),
      filter,
      order: oneOf(['newest', 'oldest']),
      after: optional(string({ min: 1, max: 4096 })),
      limit: integer(1, 200),
    }),
  ),
  context: one(object({ profile: profileName, groupId: ID, topicId: optional(ID), seq: SEQ, before: integer(0, 200), after: integer(0, 200) })),
  readPage: one(
    object({
      profile: profileName,
      groupId: ID,
      topicId: optional(ID),
      anchor: variant('at', { oldest: {}, newest: {}, seq: { seq: SEQ }, time: { time: UNIX_SECONDS } }),
      direction: oneOf(['before', 'after', 'around']),
      limit: integer(1, 500),
      exclusive: optional(boolean()),
    }),
  ),

  export: one(
    object({
      profile: profileName,
      format: oneOf(EXPORT_FORMATS),
      out: absolutePath(),
      replace: optional(boolean()),
      filter,
      lang: oneOf(LANGS),
      timeZone: optional(string({ min: 1, max: 64, pattern: /^[A-Za-z0-9_+\-/]+$/u })),
      media: optional(oneOf(EXPORT_MEDIA)),
    }),
  ),

  runningTasks: one(profileRef),

  chooseFolder: one(object({ title: string({ min: 1, max: 200 }), kind: oneOf(['folder', 'file']), defaultName: optional(string({ min: 1, max: 255 })) })),
  showInFolder: one(object({ path: absolutePath() })),
  openPath: one(object({ path: absolutePath() })),
  openExternal: one(object({ url: string({ min: 1, max: 2048 }) })),
  saveMedia: one(object({ sha256: string({ min: 64, max: 64, pattern: /^[0-9a-f]{64}$/u }), name: optional(string({ max: 1000 })) })),
  showMedia: one(object({ sha256: string({ min: 64, max: 64, pattern: /^[0-9a-f]{64}$/u }) })),
  appInfo: none,
  setLanguage: one(object({ lang: oneOf([...LANGS, 'system']) })),
};

/** The validated argument list of `op`, or a ValidationError naming the field that is wrong. */
export function validate<K extends Operation>(op: K, input: unknown): ArgsOf<K> {
  return VALIDATORS[op](input, '');
}
