// Every way opening or saving an archive can fail, as one error type with a kind the CLI and the desktop app
// can switch on, and a message a community manager can act on.

export type ArchiveErrorKind = 'corrupt' | 'foreign' | 'too-new' | 'locked' | 'unwritable' | 'disk-full' | 'not-found' | 'unsupported';

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';

  constructor(
    readonly kind: ArchiveErrorKind,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const archiveErrors = {
  corrupt: (path: string, detail: string, cause?: unknown) =>
    new ArchiveError(
      'corrupt',
      path,
      `The file ${path} is damaged or is not an archive (${detail}). It was left untouched. Restore it from a copy, or choose another file name to start a new archive.`,
      { cause },
    ),
  foreign: (path: string, detail: string) =>
    new ArchiveError(
      'foreign',
      path,
      `${path} is not a TIM Group Backup archive (${detail}). It was left untouched. Choose another file name for the archive.`,
    ),
  tooNew: (path: string, version: number, supported: number) =>
    new ArchiveError(
      'too-new',
      path,
      `The archive ${path} was written by a newer version of TIM Group Backup (archive format ${version}; this version reads up to ${supported}). Update TIM Group Backup to open it.`,
    ),
  empty: (path: string) =>
    new ArchiveError('not-found', path, `${path} is an empty file, not an archive yet: nothing has been backed up into it. Run a backup to create the archive there (the empty file is replaced).`),
  notFound: (path: string) =>
    new ArchiveError('not-found', path, `There is no archive at ${path}. Check the path, or run a backup to create one.`),
  folderNotFound: (path: string, folder: string) =>
    new ArchiveError('not-found', path, `The folder ${folder} does not exist. Create it first, or choose another place for the archive.`),
  unwritable: (path: string, detail: string, cause?: unknown) =>
    new ArchiveError('unwritable', path, `The archive ${path} cannot be written: ${detail}. Choose a folder you can write to.`, { cause }),
  /** SQLite abandoned the open transaction itself (out of memory, I/O error): the writes since the last commit are gone. */
  lostChanges: (path: string, detail: string, cause?: unknown) =>
    new ArchiveError(
      'unwritable',
      path,
      `The archive ${path} could not keep its most recent changes (${detail}). What was saved before is intact: run the backup again and it fetches the rest again.`,
      { cause },
    ),
  diskFull: (path: string, cause?: unknown) =>
    new ArchiveError(
      'disk-full',
      path,
      `The disk is full, so the archive ${path} could not be saved. What was saved before is intact. Free some disk space, then run the backup again: it continues where it stopped.`,
      { cause },
    ),
  busy: (path: string, cause?: unknown) =>
    new ArchiveError(
      'locked',
      path,
      `The archive ${path} is held by another program (SQLite reports it busy). Close other programs that are writing to it (DB Browser for SQLite with unsaved changes, say), then try again.`,
      { cause },
    ),
  noFullText: (path: string, sqliteVersion: string, cause?: unknown) =>
    new ArchiveError(
      'unsupported',
      path,
      `The archive ${path} cannot be used with this program's SQLite (version ${sqliteVersion}): it lacks the full-text search module (FTS4) the archive needs. Run TIM Group Backup with Node.js 24 (the project's own scripts and npx tim-backup do), or the desktop app.`,
      { cause },
    ),
};

/** The errno-style code of a Node system error, if it is one. */
export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
