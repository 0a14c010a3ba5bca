// Checkpoints that write only what changed.
//
// A writer keeps `<archive>.shadow`, a second copy of the database holding an earlier checkpoint whose page
// checksums (pages.ts) it knows. A checkpoint patches the pages that differ into the shadow, flushes it, and
// swaps names: `<archive>.prev` becomes a second name of the current archive, the shadow is renamed over the
// archive (atomic: the archive path always names a whole checkpoint, for our readers and any other program),
// the folder is flushed, and the previous checkpoint is renamed to be the next shadow. A crash at any step
// leaves the archive whole, old or new; what lies beside it is cleaned up at the next open (durable.ts).
//
// Another program may hold the archive open (DB Browser, say) and even write to it; two checkpoints later that
// file is our shadow. So every file we patch must be exactly as we left it: its identity, size and modification
// time are noted when we last wrote it, and a shadow that differs is written whole instead of patched.
//
// When the shadow is missing or unknown (a new archive, a failed seed copy, a failed patch), the checkpoint
// writes it whole instead, which is then what a full save costs. Without hard links (FAT, exFAT) the previous
// checkpoint cannot be kept under a second name: every checkpoint after the first is a whole write.

import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type FileOps, renameWithRetry, saveError, sidePaths, tempPathOf, type WritableFile } from './durable';
import { changedRuns, pageContent, type PageContent } from './pages';
import { eachInParallel } from './parallel';
import { sealText } from './seal';
import { pageSizeOf } from './verify';

/** One checkpoint's writes, taken from the image synchronously (see prepare). */
export interface Patch {
  /** The database's length: the shadow is cut to it. */
  readonly length: number;
  readonly content: PageContent;
  /** The shadow is unknown: it is written whole. */
  readonly whole: boolean;
  /** What to write where, in pieces of at most WRITE_CHUNK bytes so that several can be in flight. */
  readonly pieces: readonly { bytes: Uint8Array; at: number }[];
  /** Bytes the pieces add up to. */
  readonly written: number;
}

const WRITERS = 3;
const WRITE_CHUNK = 16 << 20;
/** Patch sizes vary from one checkpoint to the next; within this much the scratch buffer is kept as it is. */
const SCRATCH_SLACK = 64 << 20;

const ignore = () => undefined;

export class Shadow {
  private readonly side: ReturnType<typeof sidePaths>;
  /** What the shadow file holds; undefined when it is missing or unknown. */
  private shadow: PageContent | undefined;
  private seeding: Promise<void> | undefined;
  /** The archive file and the shadow as we last left them (see the top of this file). */
  private archiveStamp: Promise<Stamp | undefined>;
  private shadowStamp: Stamp | undefined;
  /** Holds a patch's pages while they are written; reused, so that its memory is touched only once. */
  private scratch: Buffer | undefined;

  /** `archive`: what the archive file holds, undefined when it does not exist yet. */
  constructor(
    private readonly path: string,
    private readonly ops: FileOps,
    private archive: PageContent | undefined,
  ) {
    this.side = sidePaths(path);
    this.archiveStamp = stampOf(path);
  }

  /**
   * Starts copying the archive to the shadow in the background (a clone, where the file system can); the next
   * checkpoint waits for it. If the copy fails, that checkpoint writes the shadow whole.
   */
  seed(): void {
    const content = this.archive;
    this.seeding = this.ops.copy(this.path, this.side.shadow).then(
      async () => {
        this.shadow = content;
        this.shadowStamp = await stampOf(this.side.shadow);
      },
      () => this.forget(),
    );
  }

  /** Resolves once the shadow is settled: seeded, or known to need a whole write. */
  async ready(): Promise<void> {
    await this.seeding;
    // Someone may have deleted it (a big file of unclear purpose) or written to it: then it is written whole.
    if (this.shadow && !sameStamp(await stampOf(this.side.shadow), this.shadowStamp)) this.shadow = undefined;
  }

  /**
   * What a checkpoint of `image` writes. Runs synchronously because the live image changes as soon as SQLite
   * commits again: the pages to write are copied out, unless `image` is `stable` (db.export()'s own buffer).
   */
  prepare(image: Uint8Array, stable: boolean): Patch {
    const content = pageContent(image, pageSizeOf(image));
    const pageSize = content.pageSize;
    const base = this.shadow?.pageSize === pageSize ? this.shadow.crcs : undefined;
    const runs = changedRuns(content.crcs, base);
    const written = runs.reduce((n, r) => n + r.count, 0) * pageSize;
    const source = stable ? image : this.scratchOf(written);
    const pieces: { bytes: Uint8Array; at: number }[] = [];
    let copied = 0;
    for (const run of runs) {
      const from = run.first * pageSize;
      const to = from + run.count * pageSize;
      const offset = stable ? from : copied;
      if (!stable) source.set(image.subarray(from, to), copied);
      for (let at = from; at < to; at += WRITE_CHUNK) {
        pieces.push({ bytes: source.subarray(offset + at - from, offset + Math.min(to, at + WRITE_CHUNK) - from), at });
      }
      copied += to - from;
    }
    return { length: image.length, content, whole: base === undefined, pieces, written };
  }

  /**
   * Writes the patch to the shadow and makes it the archive (see the top of this file). On failure the archive is
   * the previous checkpoint and an ArchiveError ('disk-full' | 'unwritable') is thrown.
   */
  async save(patch: Patch): Promise<void> {
    const { shadow, prev } = this.side;
    try {
      const file = await this.ops.open(shadow, patch.whole ? 'w' : 'r+');
      try {
        await writePieces(file, patch.pieces);
        await file.truncate(patch.length);
        await file.sync();
      } finally {
        await file.close();
      }
    } catch (err) {
      // Partly patched, the shadow matches no checksums we know.
      await this.forget();
      throw saveError(this.path, err);
    }
    this.shadow = patch.content;
    this.shadowStamp = await stampOf(shadow);
    // Fails without hard links, or before the first checkpoint: the swap then only replaces the archive.
    const linked = await this.ops.link(this.path, prev).then(
      () => true,
      () => false,
    );
    try {
      await renameWithRetry(this.ops, shadow, this.path);
    } catch (err) {
      // The archive is as it was; the shadow still holds the new checkpoint, which the next one builds on.
      if (linked) await this.ops.remove(prev).catch(ignore);
      throw saveError(this.path, err);
    }
    const previous = this.archive;
    const previousStamp = this.archiveStamp;
    this.archive = patch.content;
    this.archiveStamp = stampOf(this.path);
    this.shadow = undefined;
    try {
      await this.ops.syncFolder(dirname(this.path));
    } catch (err) {
      // Until the rename is on the disk, a power cut could bring the previous checkpoint back as the archive: it
      // must not be patched.
      if (linked) await this.ops.remove(prev).catch(ignore);
      throw saveError(this.path, err);
    }
    if (linked) {
      try {
        await renameWithRetry(this.ops, prev, shadow);
        this.shadow = previous;
        this.shadowStamp = await previousStamp;
      } catch {
        await this.ops.remove(prev).catch(ignore);
      }
    }
    await this.writeSeal(patch);
  }

  /** At close: the shadow is only kept while a writer has the archive open. */
  async discard(): Promise<void> {
    await this.seeding;
    this.scratch = undefined;
    await this.forget();
  }

  private async forget(): Promise<void> {
    this.shadow = undefined;
    await this.ops.remove(this.side.shadow).catch(ignore);
  }

  private async writeSeal(patch: Patch): Promise<void> {
    const temp = tempPathOf(this.side.seal);
    try {
      await this.ops.writeFile(temp, sealText(patch.length, patch.content.pageSize, patch.content.crcs));
      await renameWithRetry(this.ops, temp, this.side.seal);
    } catch {
      // Without a fresh seal the next open runs quick_check; nothing else depends on it.
      await this.ops.remove(temp).catch(ignore);
    }
  }

  /** The scratch buffer, grown to hold `bytes`, or shrunk after a whole write when patches are back to small. */
  private scratchOf(bytes: number): Buffer {
    let scratch = this.scratch;
    if (!scratch || scratch.length < bytes || scratch.length > 4 * bytes + SCRATCH_SLACK) scratch = this.scratch = Buffer.allocUnsafeSlow(bytes + (bytes >>> 3));
    return scratch;
  }
}

/** A file's identity, size and modification time: a write by anyone changes it (a rename does not). */
type Stamp = { ino: bigint; size: bigint; mtimeNs: bigint };

function stampOf(path: string): Promise<Stamp | undefined> {
  return stat(path, { bigint: true }).then(
    ({ ino, size, mtimeNs }) => ({ ino, size, mtimeNs }),
    () => undefined,
  );
}

function sameStamp(a: Stamp | undefined, b: Stamp | undefined): boolean {
  return a !== undefined && b !== undefined && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;
}

async function writePieces(file: WritableFile, pieces: Patch['pieces']): Promise<void> {
  await eachInParallel(pieces, WRITERS, (p) => file.write(p.bytes, p.at));
}
