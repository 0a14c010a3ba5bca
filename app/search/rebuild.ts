// Rebuilding the full-text index from the archived messages, for archive migrations that change what is indexed
// or how (./normalize.ts), and for archives written by an older indexForm(). The archive does the work, inside
// one of its own transactions, committed when it is done.

import type { Archive } from '../archive';

export function rebuildIndex(archive: Archive): { messages: number } {
  return archive.rebuildIndex();
}
