// The media files an export includes: each stored file a transcript references is put into the export once, named
// by its content (`media/ab/<sha256>.<ext>`), as a hard link when the export is on the archive's drive (no space
// taken twice, nothing to copy) and as a copy otherwise. File names from messages never name a file here: they
// are labels only, so a hostile name cannot write outside the export or pass for another file.

import { constants, lstatSync } from 'node:fs';
import { copyFile, link, lstat, mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Archive } from '../archive';
import { errorCode } from '../archive/errors';
import { type MediaCopy, type MessageMedia, MediaReader } from '../media/read';
import type { MediaHref } from './card';

export const MEDIA_MODES = ['copy', 'none'] as const;
/** copy (default): stored files go into the export; none: the transcript names them (sha256) without them. */
export type MediaMode = (typeof MEDIA_MODES)[number];

export interface MediaTotals {
  /** Distinct files included. */
  files: number;
  bytes: number;
  /** Of these, hard links to the store (same drive) and copies. */
  linked: number;
  copied: number;
}

/** How a file is put into the export: replaceable in tests to act as a drive without hard links. */
export interface MediaFileOps {
  link(from: string, to: string): Promise<void>;
  copyFile(from: string, to: string, mode: number): Promise<void>;
}

const FS_OPS: MediaFileOps = { link, copyFile };

/** Extensions by sniffed type, so a browser opening the export from file:// knows what each file is. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'image/bmp': 'bmp', 'image/avif': 'avif',
  'image/heic': 'heic', 'image/tiff': 'tif',
  'audio/mpeg': 'mp3', 'audio/mp4': 'm4a', 'audio/aac': 'aac', 'audio/wav': 'wav', 'audio/x-wav': 'wav', 'audio/wave': 'wav',
  'audio/ogg': 'ogg', 'audio/webm': 'weba', 'audio/flac': 'flac', 'audio/amr': 'amr', 'audio/silk': 'silk',
  'video/mp4': 'mp4', 'video/webm': 'webm', 'video/ogg': 'ogv', 'video/quicktime': 'mov',
  'application/pdf': 'pdf', 'application/zip': 'zip', 'text/plain': 'txt',
};

/** The file's path inside the export's media folder; its extension follows its type (`bin` when unknown). */
export function mediaExportName(sha256: string, mime: string | undefined): string {
  return `${sha256.slice(0, 2)}/${sha256}.${(mime && EXTENSIONS[mime]) || 'bin'}`;
}

/**
 * The media of one export. `href` answers at once with the path a page links to and queues the file;
 * `flush` puts the queued files in place (called between messages, so memory holds a message's worth).
 */
export class ExportMedia {
  readonly totals: MediaTotals = { files: 0, bytes: 0, linked: 0, copied: 0 };
  private readonly placed = new Set<string>();
  private queue: { sha256: string; name: string }[] = [];
  private folderChecked = false;

  constructor(
    readonly reader: MediaReader,
    /** The media folder being filled (created when the first file comes). */
    private readonly folder: string,
    /** How the transcript reaches that folder: `../../media/` from an HTML page, `chat.jsonl.media/` beside a file. */
    private readonly prefix: string,
    private readonly mode: MediaMode,
    private readonly ops: MediaFileOps = FS_OPS,
  ) {}

  /** A page's link to a stored file, or undefined when the export leaves media out or the file is gone. */
  readonly href: MediaHref = (copy) => {
    if (this.mode === 'none' || !this.reader.file(copy.sha256)) return undefined;
    const name = mediaExportName(copy.sha256, copy.mime);
    if (!this.placed.has(copy.sha256)) {
      this.placed.add(copy.sha256);
      this.queue.push({ sha256: copy.sha256, name });
    }
    return this.prefix + name;
  };

  /** The path a transcript names a stored copy by (relative to the export), without queueing anything. */
  pathOf(copy: MediaCopy): string | undefined {
    return copy.sha256 ? this.href({ ...copy, sha256: copy.sha256 }) : undefined;
  }

  async flush(): Promise<void> {
    const queue = this.queue;
    this.queue = [];
    if (queue.length && !this.folderChecked) await this.checkFolder();
    for (const { sha256, name } of queue) await this.put(sha256, name);
  }

  /** Files go into a folder of ours only: never through a link someone put where the folder goes. */
  private async checkFolder(): Promise<void> {
    const st = await lstat(this.folder).catch(() => undefined);
    if (st && !st.isDirectory()) {
      throw new Error(`${this.folder} is in the way of the export's media folder (it is ${st.isSymbolicLink() ? 'a link' : 'not a folder'}). Move it away, or export without media (--media none).`);
    }
    this.folderChecked = true;
  }

  private async put(sha256: string, name: string): Promise<void> {
    const file = this.reader.file(sha256);
    if (!file) throw new Error(`The media file ${sha256} left the archive's store while the export ran.`);
    const to = join(this.folder, name);
    await mkdir(dirname(to), { recursive: true });
    // Content-addressed: a file already there with the right size is this file (an earlier export beside a file).
    const there = await lstat(to).catch(() => undefined);
    if (there?.isFile() && there.size === file.size) return this.count(file.size, undefined);
    const tmp = `${to}.partial-${process.pid}`;
    await rm(tmp, { force: true });
    let linked = true;
    try {
      await this.ops.link(file.path, tmp);
    } catch (err) {
      if (!CANNOT_LINK.has(errorCode(err) ?? '')) throw err;
      linked = false;
      await this.ops.copyFile(file.path, tmp, constants.COPYFILE_EXCL);
    }
    await rename(tmp, to);
    this.count(file.size, linked);
  }

  private count(bytes: number, linked: boolean | undefined): void {
    this.totals.files++;
    this.totals.bytes += bytes;
    if (linked === true) this.totals.linked++;
    else if (linked === false) this.totals.copied++;
  }
}

/** Another drive (EXDEV), or a file system or share without hard links: the file is copied instead. */
const CANNOT_LINK: ReadonlySet<string> = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS', 'EACCES']);

/**
 * The media of a single-file export (JSONL, CSV, TXT): copied into `<file>.media/` beside it, and named in the file
 * relative to the file's folder. Standard output, a pipe or a device gets the sha256 of each file but no copies.
 */
export function mediaBesideFile(archive: Archive, out: string, mode: MediaMode = 'copy', ops?: MediaFileOps): ExportMedia {
  const reader = new MediaReader(archive.db, archive.path);
  const file = out !== '-' && (() => {
    try {
      return lstatSync(out).isFile();
    } catch {
      return true; // a new file
    }
  })();
  return new ExportMedia(reader, `${out}.media`, `${basename(out)}.media/`, file ? mode : 'none', ops);
}

/** The renditions a transcript names: the file itself (an image's original), not its thumbnails or large copy. */
export function mainRenditions(media: MessageMedia[]): MessageMedia[] {
  return media.filter((m) => m.rendition === 'original' || m.rendition === 'file' || m.rendition === 'sound' || m.rendition === 'video');
}
