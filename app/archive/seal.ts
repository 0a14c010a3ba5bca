// `<archive>.seal`: what the last checkpoint wrote, as a digest of its page checksums (pages.ts). A file whose
// checksums match its seal is byte for byte what a checkpoint of a healthy in-memory database wrote, so opening
// it can skip `PRAGMA quick_check`, the slowest part of opening a big archive. The seal is advisory: a stale,
// missing or unreadable one (a crash before it was written, a copied archive, a file edited by another tool)
// only means quick_check runs. So it is written without flushing, and never decides anything else.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** Bumped whenever what the digest covers changes (the checksum scheme of pages.ts, say). */
const SEAL_FORMAT = 1;

interface Seal {
  format: number;
  size: number;
  pageSize: number;
  /** sha256 of the page checksum array. */
  pages: string;
}

/** The seal of an image of `size` bytes with these page checksums. */
export function sealText(size: number, pageSize: number, crcs: Uint32Array): string {
  const seal: Seal = { format: SEAL_FORMAT, size, pageSize, pages: createHash('sha256').update(crcs).digest('hex') };
  return JSON.stringify(seal);
}

/** Whether the seal file at `sealPath` vouches for exactly this image. */
export async function sealMatches(sealPath: string, size: number, pageSize: number, crcs: Uint32Array): Promise<boolean> {
  const text = await readFile(sealPath, 'utf8').catch(() => undefined);
  return text === sealText(size, pageSize, crcs);
}
