// How the CLI and the desktop app's worker open the archive file. Two rules the archive itself cannot know about:
//
//   - A backup creates the archive only once the run has something to store, so a run that fails on the
//     credentials, a refused connection or an unknown group leaves no file behind.
//   - A zero-byte file at the archive's path (another program, or `touch`, made it) is not damage: nothing was
//     ever stored in it. The archive itself tells readers so, and creates itself in its place (under its lock).

import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Archive, archiveFile } from '../archive';
import { archiveErrors, errorCode } from '../archive/errors';

export type FileState = 'missing' | 'empty' | 'present';

/** Whether the archive's path holds a file with something in it: only then is there an archive to open. */
export async function stateOf(file: string): Promise<FileState> {
  try {
    const st = await stat(file);
    return st.isFile() && st.size === 0 ? 'empty' : 'present';
  } catch (err) {
    // A path through a file cannot hold an archive yet either; checkFolder says what is wrong with it.
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return 'missing';
    throw err;
  }
}

/** The archive a backup writes, opened now if it exists, otherwise when the run first needs it. */
export class BackupArchive {
  private opened: Archive | undefined;

  private constructor(
    private readonly file: string,
    private readonly onOpen: (archive: Archive) => void,
  ) {}

  /** `onOpen` is told once the archive is open (the CLI's note about a drive without a write-ahead log). */
  static async prepare(path: string, onOpen: (archive: Archive) => void = () => undefined): Promise<BackupArchive> {
    // The real file, as the archive names it (a symbolic link, even one to a file not created yet, is followed).
    const file = await archiveFile(path);
    const b = new BackupArchive(file, onOpen);
    if ((await stateOf(file)) === 'present') {
      b.opened = await Archive.open(file, { create: true });
      onOpen(b.opened);
    } else await checkFolder(file);
    return b;
  }

  /** The archive, when one existed before the run. */
  get existing(): Archive | undefined {
    return this.opened;
  }

  /** What runBackup takes: the open archive, or how to create it. */
  get forRun(): Archive | (() => Promise<Archive>) {
    return this.opened ?? (() => this.create());
  }

  async close(): Promise<void> {
    await this.opened?.close();
  }

  private async create(): Promise<Archive> {
    this.opened = await Archive.open(this.file, { create: true });
    this.onOpen(this.opened);
    return this.opened;
  }
}

/** Before any request: a wrong --archive is reported first, even though the file is created later. */
async function checkFolder(file: string): Promise<void> {
  const folder = dirname(file);
  try {
    await access(folder, constants.W_OK);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') {
      throw archiveErrors.folderNotFound(file, folder);
    }
    if (errorCode(err) === 'ENOTDIR') {
      throw archiveErrors.partOfFolderIsFile(file, folder, err);
    }
    throw archiveErrors.folderDenied(file, folder, err);
  }
}
