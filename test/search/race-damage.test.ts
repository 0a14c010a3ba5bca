// A sender-filtered search races the full-text index against the senders' own messages (search.ts). Whichever
// way wins, a damaged row (app/archive/checksum.ts) must be decided the same: the index remembers what it said
// when it was stored, so both ways count it as a hit (shown as damage) — never one way yes and the other no.

import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Archive } from '../../app/archive';
import { search } from '../../app/search';
import { damageRow } from '../archive/damage';
import { tempDir, textMsg } from '../archive/helpers';

const MESSAGES = 800;

async function archiveWithOneDamagedRow(): Promise<{ archive: Archive; damagedSeq: number }> {
  const path = join(await tempDir(), 'race.sqlite');
  const writer = await Archive.open(path, { create: true });
  const gid = writer.upsertGroup({ sdkAppId: 1400000001, groupId: '@TGS#race' });
  const run = writer.beginRun();
  for (let lo = 1; lo <= MESSAGES; lo += 20) {
    const window = Array.from({ length: 20 }, (_, i) => textMsg(lo + i, `apple pie number ${lo + i}`, { From_Account: 'u1' }));
    writer.storeWindow(gid, lo, lo + 19, window, run);
  }
  writer.finishRun(run, 'ok', {});
  await writer.close();
  // Old enough that the look at the newest rows does not reach it: the race decides it.
  const damagedSeq = 5;
  damageRow(path, gid, damagedSeq, 'raw', ['apple', 'appl3']);
  damageRow(path, gid, damagedSeq, 'text', ['apple', 'appl3']);
  return { archive: await Archive.open(path, { readOnly: true }), damagedSeq };
}

function everyHit(archive: Archive): { seqs: number[]; damaged: number[] } {
  const seqs: number[] = [];
  const damaged: number[] = [];
  let after: string | undefined;
  do {
    const page = search(archive, 'apple', { senders: ['u1'] }, { limit: 97, ...(after ? { after } : {}) });
    for (const h of page.hits) {
      seqs.push(h.seq);
      if (h.damaged) damaged.push(h.seq);
    }
    after = page.next;
  } while (after);
  return { seqs, damaged };
}

describe('a damaged row in a sender-filtered search', () => {
  it('is the same damaged hit whether the index or the senders’ messages settle the page', async () => {
    const { archive, damagedSeq } = await archiveWithOneDamagedRow();
    try {
      const byIndex = everyHit(archive);
      // A clock that moves 10 ms at each look: one row per turn, and on a tie the senders' way goes first and wins.
      let clock = 0;
      const now = vi.spyOn(performance, 'now').mockImplementation(() => (clock += 10));
      let bySenders: { seqs: number[]; damaged: number[] };
      try {
        bySenders = everyHit(archive);
      } finally {
        now.mockRestore();
      }
      expect(byIndex.seqs).toHaveLength(MESSAGES);
      expect(byIndex.damaged).toEqual([damagedSeq]);
      expect(bySenders).toEqual(byIndex);
    } finally {
      await archive.close();
    }
  });
});
