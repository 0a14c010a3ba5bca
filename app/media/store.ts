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

/** A downloaded temporary file and the sha256 of its bytes. */
export interface Placement {
  tempPath: string;
  sha256: string;
}

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
   * Flushes complete temporary files to the disk and moves each to its place by content, then flushes those
   * folders: once this returns, a power cut cannot lose any of them, so the archive may say they are stored. All
   * files are flushed at once before any is moved, then all folders at once: flushes that wait together are
   * committed to the drive's journal together (ext4, APFS, NTFS group them), instead of one journal commit per file
   * and one per folder. Bytes stored already (the same file from another message or group, or twice in this batch)
   * are simply dropped: stored once.
   */
  async place(files: readonly Placement[]): Promise<void> {
    const moves = new Map<string, string>();
    for (const { tempPath, sha256 } of files) {
      const target = mediaFilePath(this.archivePath, sha256);
      if (moves.has(target) || (await exists(target))) await rm(tempPath, { force: true });
      else moves.set(target, tempPath);
    }
    await Promise.all([...moves.values()].map((tempPath) => sync(tempPath, constants.O_RDWR)));
    for (const [target, tempPath] of moves) {
      const folder = dirname(target);
      if (!this.folders.has(folder)) {
        await mkdir(folder, { recursive: true });
        this.folders.add(folder);
      }
      await rename(tempPath, target);
    }
    // The renames themselves reach the disk (POSIX); folders cannot be opened for this on Windows, where NTFS logs renames.
    if (process.platform === 'win32') return;
    await Promise.all([...new Set([...moves.keys()].map((t) => dirname(t)))].map((folder) => sync(folder, constants.O_RDONLY)));
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
