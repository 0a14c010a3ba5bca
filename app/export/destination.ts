// The one place that decides where an export may write (the CLI and the desktop app alike), before a single
// message is rendered:
//
//   - never the archive, nor anything whose name starts with the archive's path (its -wal, -shm, .lock, .seal,
//     .shadow, media folder…), nor a hard link to it — not even with --force;
//   - an existing file only with `force` (the CLI's --force; in the app, the person confirmed replacing it);
//   - never through a symbolic link: it is refused, naming its target, so a link is never silently turned into a
//     file (nor its target overwritten behind the person's back);
//   - a character device or a named pipe (/dev/null, a fifo) is written into, never replaced;
//   - `-` is standard output (single-file formats);
//   - an HTML folder only where it is new, empty or an earlier HTML export, and never a folder holding the archive;
//   - no folder on a pseudo file system (/proc, /sys…), refused at once instead of failing in odd ways.

import { constants } from 'node:fs';
import { lstat, open, readdir, readlink, realpath, stat, statfs } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { errorCode } from '../archive/errors';
import { type OutputCode, OutputError } from './output-error';

/** A regular file, written to a temporary file beside it and then put in its place. */
export interface FileDestination {
  kind: 'file';
  path: string;
  exists: boolean;
}

export type Destination =
  | { kind: 'stdout' }
  | FileDestination
  /** A character device or a named pipe: written into as it is. */
  | { kind: 'stream'; path: string }
  | FolderDestination;

export interface FolderDestination {
  kind: 'folder';
  path: string;
  exists: boolean;
}

export interface DestinationOptions {
  /** The HTML export: a folder. */
  folder: boolean;
  /** The archive being exported. */
  archivePath: string;
  /** Replace an existing regular file. */
  force?: boolean;
}

/** Marks an export folder as ours, so exporting again may replace it. */
export const GENERATOR = 'TIM Group Backup';

/** Linux statfs magic numbers of file systems that hold no ordinary files (procfs, sysfs, cgroup, debugfs…). */
const PSEUDO_FILE_SYSTEMS = new Set([0x9fa0, 0x62656572, 0x27e0eb, 0x63677270, 0x64626720, 0x73636673, 0x74726163, 0xcafe4a11, 0x62656570, 0x6165676c, 0xde5e81e4, 0x1cd1]);

export function checkDestination(out: string, opts: DestinationOptions & { folder: true }): Promise<FolderDestination>;
export function checkDestination(out: string, opts: DestinationOptions & { folder: false }): Promise<Exclude<Destination, FolderDestination>>;
export async function checkDestination(out: string, opts: DestinationOptions): Promise<Destination> {
  if (out === '-') {
    if (opts.folder) throw new OutputError('stdout-folder', { path: out });
    return { kind: 'stdout' };
  }
  const given = resolve(out);
  const path = join(await existingFolder(dirname(given), given), basename(given));
  const archive = await realpath(opts.archivePath).catch(() => resolve(opts.archivePath));
  const refuse = (code: OutputCode, other?: string): never => {
    throw new OutputError(code, { path, archive, ...(other !== undefined ? { other } : {}) });
  };
  if (belongsToArchive(path, archive)) refuse('is-archive');
  const found = await lstat(path).catch(async (err: unknown) => {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw await outputFailure(path, err);
  });
  if (found?.isSymbolicLink()) {
    const target = resolve(dirname(path), await readlink(path));
    const real = await realpath(path).catch(() => target);
    if (belongsToArchive(real, archive)) refuse('is-archive');
    refuse('symlink', target);
  }
  if (found && !found.isDirectory() && (await sameFile(path, archive))) refuse('is-archive');
  if (opts.folder) {
    if (belongsToArchive(archive, path + sep)) refuse('archive-inside');
    if (!found) return { kind: 'folder', path, exists: false };
    if (!found.isDirectory()) refuse('not-a-folder');
    if (!(await replaceableFolder(path))) refuse('folder-taken');
    return { kind: 'folder', path, exists: true };
  }
  if (!found) return { kind: 'file', path, exists: false };
  if (found.isDirectory()) refuse('is-folder');
  if (found.isCharacterDevice() || found.isFIFO()) return { kind: 'stream', path };
  if (!found.isFile()) refuse('not-a-file');
  if (!opts.force) refuse('exists');
  return { kind: 'file', path, exists: true };
}

/**
 * An error met while writing `path`, as an OutputError where we can say what to do; anything else is passed on
 * as it is. `inPlace`: the export was going straight into a pipe or device, not a temporary file.
 */
export async function outputFailure(path: string, err: unknown, inPlace = false): Promise<unknown> {
  if (err instanceof OutputError) return err;
  const code = errorCode(err);
  const facts = { path, ...(inPlace ? { inPlace } : {}) };
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      try {
        await existingFolder(dirname(path), path);
      } catch (found) {
        return found;
      }
      // The folder is there, yet nothing can be created in it: a file system that refuses new entries.
      return new OutputError('unsuitable', { ...facts, other: dirname(path) }, { cause: err });
    case 'EISDIR':
      return new OutputError('is-folder', facts, { cause: err });
    case 'EACCES':
    case 'EPERM':
      return new OutputError('permission', facts, { cause: err });
    case 'EROFS':
      return new OutputError('read-only', facts, { cause: err });
    case 'ENOSPC':
    case 'EDQUOT':
      return new OutputError('disk-full', facts, { cause: err });
    case 'EEXIST':
      return new OutputError('exists', facts, { cause: err });
    case 'EPIPE':
      return new OutputError('closed', facts, { cause: err });
    default:
      return err;
  }
}

/**
 * The real path of `folder`, which must exist, be a folder and not be on a pseudo file system; otherwise the
 * OutputError that says which part of `path` is wrong.
 */
async function existingFolder(folder: string, path: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(folder);
  } catch (err) {
    const code = errorCode(err);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw await outputFailure(path, err);
    // A file where a folder should be, or a folder that is missing.
    for (let up = folder; up !== dirname(up); up = dirname(up)) {
      const st = await stat(up).catch(() => undefined);
      if (st && !st.isDirectory()) throw new OutputError('path-through-file', { path, other: up }, { cause: err });
      if (st) break;
    }
    throw new OutputError('no-folder', { path, other: folder }, { cause: err });
  }
  const st = await stat(real);
  if (!st.isDirectory()) throw new OutputError('path-through-file', { path, other: folder });
  if (process.platform === 'linux' && PSEUDO_FILE_SYSTEMS.has((await statfs(real)).type)) throw new OutputError('unsuitable', { path, other: folder });
  return real;
}

/** `candidate` is the archive or named after it; case-insensitively where file systems usually are. */
function belongsToArchive(candidate: string, archive: string): boolean {
  const fold = process.platform === 'darwin' || process.platform === 'win32' ? (s: string) => s.toLowerCase() : (s: string) => s;
  return fold(candidate).startsWith(fold(archive));
}

async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  return x !== undefined && y !== undefined && x.dev === y.dev && x.ino === y.ino;
}

/** An existing folder may be replaced when it is empty or an earlier HTML export (its index.html names us). */
async function replaceableFolder(folder: string): Promise<boolean> {
  if ((await readdir(folder)).length === 0) return true;
  try {
    const f = await open(join(folder, 'index.html'), constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const { buffer, bytesRead } = await f.read(Buffer.alloc(2048), 0, 2048, 0);
      return buffer.subarray(0, bytesRead).toString('utf8').includes(`<meta name="generator" content="${GENERATOR}">`);
    } finally {
      await f.close();
    }
  } catch {
    return false;
  }
}
