// Downloaded files go into the store a batch at a time. Each file must be flushed to the disk before it is moved
// into place, and the move flushed before the archive says the file is stored (./store.ts); one at a time, that is
// two commits of the drive's journal per file, each of which the archive's own commits (and with them the message
// download) wait behind on a busy disk. Flushed together, a batch's files share their journal commits.

import type { MediaStore, Placement } from './store';

/** A batch goes to the disk this long after its first file at the latest, */
const PLACE_EVERY_MS = 500;
/** or as soon as it holds this many files. */
export const PLACE_BATCH = 32;

export class Placer {
  private batch: { file: Placement; done: (err?: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The batch being written: one at a time, in order. */
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly store: MediaStore) {}

  /** Resolves once the file is in the store and a power cut can no longer lose it. */
  place(file: Placement): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.batch.push({ file, done: (err) => (err === undefined ? resolve() : reject(err)) });
      if (this.batch.length >= PLACE_BATCH) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), PLACE_EVERY_MS);
    });
  }

  /** Writes what is waiting now (nothing else is downloading, so nothing is gained by waiting). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    this.writing = this.writing.then(() =>
      this.store.place(batch.map((b) => b.file)).then(
        () => batch.forEach((b) => b.done()),
        (err: unknown) => batch.forEach((b) => b.done(err)),
      ),
    );
  }
}
