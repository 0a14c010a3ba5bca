// Page checksums of a database image: which pages a checkpoint must write (those that differ from the copy on
// disk it patches), and the seal that lets an unchanged file open without quick_check (seal.ts).
//
// Each page gets two crc32s, one per half. A single crc32 per page would let about one changed page in 4·10⁹
// pass as unchanged, and a checkpoint on a big archive changes thousands of pages: over years of backups that is
// a real chance of a silently stale page. Two halves make it ~2⁻⁶⁴ per page at no measurable cost (zlib's crc32
// runs at memory speed; the calls, not the bytes, dominate).

import { crc32 } from 'node:zlib';

/** Checksums per page in a checksum array. */
const PER_PAGE = 2;

/** Consecutive pages [first, first + count). */
export interface PageRun {
  first: number;
  count: number;
}

/** A file's content as page checksums. */
export interface PageContent {
  pageSize: number;
  crcs: Uint32Array;
}

/** The checksums of every page of `image` (whose length is a multiple of `pageSize`). */
export function pageContent(image: Uint8Array, pageSize: number): PageContent {
  const crcs = crcsFor(image.length, pageSize);
  fillPageCrcs(crcs, image, pageSize, 0, image.length);
  return { pageSize, crcs };
}

/** Fills in the checksums of the pages in image[from, to) (page-aligned), PER_PAGE per page. */
export function fillPageCrcs(crcs: Uint32Array, image: Uint8Array, pageSize: number, from: number, to: number): void {
  const half = pageSize / PER_PAGE;
  for (let at = from; at < to; at += half) crcs[at / half] = crc32(image.subarray(at, at + half));
}

/** An empty checksum array for an image of `size` bytes, to fill in with fillPageCrcs. */
export function crcsFor(size: number, pageSize: number): Uint32Array {
  return new Uint32Array((size / pageSize) * PER_PAGE);
}

/** Pages of an image with these checksums. */
export function pageCount(crcs: Uint32Array): number {
  return crcs.length / PER_PAGE;
}

/**
 * The runs of pages whose checksums in `next` differ from `prev`, or that lie beyond `prev`'s pages: what turns a
 * file holding `prev` into one holding `next` (after truncating it to `next`'s length). Without `prev`, every page.
 */
export function changedRuns(next: Uint32Array, prev: Uint32Array | undefined): PageRun[] {
  const pages = pageCount(next);
  if (!prev) return pages > 0 ? [{ first: 0, count: pages }] : [];
  const runs: PageRun[] = [];
  let open: PageRun | undefined;
  for (let page = 0; page < pages; page++) {
    const at = page * PER_PAGE;
    if (at < prev.length && next[at] === prev[at] && next[at + 1] === prev[at + 1]) {
      open = undefined;
    } else if (open) {
      open.count++;
    } else {
      runs.push((open = { first: page, count: 1 }));
    }
  }
  return runs;
}
