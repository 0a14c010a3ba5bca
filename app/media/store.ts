// The content-addressed store beside the archive (`<archive>.media/ab/cd/<sha256>`, ./model.ts). Downloads are
// written under `<archive>.media/tmp/` and moved into place only once complete and flushed, so a file in the
// store is always whole; what a crash leaves in tmp/ is deleted by the next downloader before it starts.

import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { mediaFilePath, mediaFolder } from './model';

/** How long a look at the free space stands: a statfs per file would cost more than small files do. */
const FREE_PROBE_MS = 1000;

export class MediaStore {
  readonly folder: string;
  private readonly tmp: string;
  /** The ab/cd folders made in this session. */
  private readonly folders = new Set<string>();
  private probe: { at: number; free: number } | undefined;

  constructor(private readonly archivePath: string) {
    this.folder = mediaFolder(archivePath);
    this.tmp = join(this.folder, 'tmp');
  }

  /** Creates the folders and deletes whatever an interrupted download left behind. */
  async prepare(): Promise<void> {
    await mkdir(this.tmp, { recursive: true });
    for (const name of await readdir(this.tmp)) await rm(join(this.tmp, name), { force: true, recursive: true });
  }

  /** A new temporary file name (the file is created by the download, exclusively). */
  tempPath(): string {
    return join(this.tmp, `${randomBytes(12).toString('hex')}.part`);
  }

  /**
   * Flushes a complete temporary file to the disk and moves it to its place by content, then flushes that folder:
   * once this returns, a power cut cannot lose the file, so the archive may say it is stored. When those bytes are
   * stored already (the same file from another message or group), the temporary file is simply dropped: stored once.
   */
  async place(tempPath: string, sha256: string): Promise<void> {
    const target = mediaFilePath(this.archivePath, sha256);
    if (await exists(target)) {
      await rm(tempPath, { force: true });
      return;
    }
    await sync(tempPath, constants.O_RDWR);
    const folder = dirname(target);
    if (!this.folders.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.folders.add(folder);
    }
    await rename(tempPath, target);
    // The rename itself reaches the disk (POSIX); folders cannot be opened for this on Windows, where NTFS logs renames.
    if (process.platform !== 'win32') await sync(folder, constants.O_RDONLY);
  }

  /** Free bytes on the drive of the media folder (of the archive's folder before it exists), as of the last second. */
  async freeBytes(): Promise<number> {
    const now = performance.now();
    if (!this.probe || now - this.probe.at > FREE_PROBE_MS) {
      const s = await statfs((await exists(this.folder)) ? this.folder : dirname(this.folder));
      this.probe = { at: now, free: s.bavail * s.bsize };
    }
    return this.probe.free;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Flushes a file or a folder to the disk. */
async function sync(path: string, flags: number): Promise<void> {
  const fh = await open(path, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
