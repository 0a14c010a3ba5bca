// The worker's archives, one entry per file. A backup opens the file as the writer (taking its lock) and keeps it
// only while it runs, so the CLI's scheduled backups are not locked out while the app sits idle. Reads (groups,
// search, reader, coverage) go through a read-only connection of their own, which sees each commit of a running
// backup (ours or the CLI's) as it lands and never waits for it. Exports read through a private connection,
// so a running backup cannot shift rows under them.

import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Archive, ArchiveError } from '../archive';
import { archiveErrors } from '../archive/errors';

interface Entry {
  writer?: Archive;
  /** Backups using the writer; it closes when the last one finishes. */
  writers: number;
  /** The read connection and the file it was opened on (a file replaced since is opened again). */
  reader?: { archive: Archive; dev: number; ino: number };
  opening?: Promise<Archive>;
}

export class ArchivePool {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly defaultFolder: string) {}

  private entry(path: string): Entry {
    let e = this.entries.get(path);
    if (!e) this.entries.set(path, (e = { writers: 0 }));
    return e;
  }

  /** The writer for a backup; pair every call with releaseWriter(). */
  async acquireWriter(path: string): Promise<Archive> {
    const e = this.entry(path);
    if (!e.writer) {
      // Our own default folder is created on demand; a folder the person chose must exist (it may be an unplugged drive).
      if (dirname(path) === this.defaultFolder) await mkdir(this.defaultFolder, { recursive: true });
      e.opening ??= Archive.open(path, { create: true }).finally(() => (e.opening = undefined));
      e.writer = await e.opening;
    }
    e.writers++;
    return e.writer;
  }

  /** Commits and closes the writer when no backup uses it any more. */
  async releaseWriter(path: string): Promise<void> {
    const e = this.entry(path);
    if (--e.writers > 0 || !e.writer) return;
    const writer = e.writer;
    e.writer = undefined;
    await writer.close();
  }

  isWriting(path: string): boolean {
    return this.entries.get(path)?.writer !== undefined;
  }

  /** The archive to read from, or undefined when there is none yet (no file, or an empty one: nothing backed up). */
  async read(path: string): Promise<Archive | undefined> {
    const e = this.entry(path);
    const now = await stat(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (!now || (now.isFile() && now.size === 0)) {
      await this.dropReader(e);
      return undefined;
    }
    if (e.reader && e.reader.dev === now.dev && e.reader.ino === now.ino) return e.reader.archive;
    const archive = await Archive.open(path, { readOnly: true });
    await this.dropReader(e);
    e.reader = { archive, dev: now.dev, ino: now.ino };
    return archive;
  }

  /** A private read-only connection for a long read (an export); the caller closes it. */
  async snapshot(path: string): Promise<Archive> {
    try {
      return await Archive.open(path, { readOnly: true });
    } catch (err) {
      if (err instanceof ArchiveError && err.kind === 'not-found') {
        throw archiveErrors.noArchiveYet(path);
      }
      throw err;
    }
  }

  /** Commits every writer and closes everything (shutdown). */
  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(
      all.map(async (e) => {
        await this.dropReader(e);
        await e.writer?.close();
      }),
    );
  }

  private async dropReader(e: Entry): Promise<void> {
    const r = e.reader;
    e.reader = undefined;
    await r?.archive.close();
  }
}
