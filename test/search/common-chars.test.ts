// A common character (normalize.ts COMMON_HAN) that no pair word covers stays out of the full-text query when
// the rest of the query is selective (app/search/fts.ts matchExpression): the index then never reads its long
// doclist, and the matcher still requires it of every candidate. Here: what the index is asked, and that the
// hits, page after page, are exactly the oracle's (./fixture.ts) either way.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive, rowsOf } from '../../app/archive';
import { search } from '../../app/search';
import { matchExpression } from '../../app/search/fts';
import { searchForm } from '../../app/search/normalize';
import { parseQuery } from '../../app/search/query';
import { textMsg } from '../archive/helpers';
import { expectedIds, type OracleRow } from './fixture';

const MESSAGES = 2400;

/**
 * Twenty-four of each kind of 西瓜大王 message. Every other message has 西瓜, meeting and 王, never a token
 * apart: each of them is in over a thousand messages (not selective on its own), 西瓜 one token from 王 is not.
 */
function textOf(seq: number): string {
  switch (seq % 100) {
    case 50:
      return '西瓜大王来了';
    case 51:
      // 西瓜, one character, 王: what `"西 瓜" NEAR/1 "王"` finds too; the matcher drops it.
      return '西瓜和王';
    case 52:
      return '西瓜大王的故事';
    default:
      return seq % 10 === 0 ? `好的 meeting 西瓜 ${seq} 王` : `西瓜 meeting ${seq} 王`;
  }
}

let dir: string;
let archive: Archive;
let rows: OracleRow[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tim-common-chars-'));
  const path = join(dir, 'archive.sqlite');
  const writer = await Archive.open(path, { create: true });
  const gid = writer.upsertGroup({ sdkAppId: 1400000001, groupId: '@TGS#common' });
  const run = writer.beginRun();
  for (let lo = 1; lo <= MESSAGES; lo += 20) {
    writer.storeWindow(gid, lo, lo + 19, Array.from({ length: 20 }, (_, i) => textMsg(lo + i, textOf(lo + i))), run);
  }
  writer.finishRun(run, 'ok', {});
  await writer.close();
  archive = await Archive.open(path, { readOnly: true });
  // No member names: the oracle decides on the text alone.
  rows = rowsOf(archive.db, 'SELECT id, gid, seq, sender, time FROM messages ORDER BY id').map(([id, g, seq, sender, time]) => ({
    id: Number(id),
    gid: Number(g),
    groupId: '@TGS#common',
    seq: Number(seq),
    sender: String(sender),
    time: Number(time),
    kinds: 1,
    state: 0,
    isSystem: false,
    normalized: searchForm(textOf(Number(seq))),
    names: [],
  }));
});

afterAll(async () => {
  await archive.close();
  await rm(dir, { recursive: true, force: true });
});

const ask = (q: string) => matchExpression(archive.db, parseQuery(q).terms.filter((t) => !t.negated), archive.indexHasPairs);

/** Every page, as archive ids in the order returned. */
function allHits(q: string): number[] {
  const ids: number[] = [];
  let after: string | undefined;
  do {
    const page = search(archive, q, {}, { limit: 25, ...(after !== undefined ? { after } : {}) });
    ids.push(...page.hits.map((h) => rows.find((r) => r.seq === h.seq)!.id));
    after = page.next;
  } while (after);
  return ids;
}

describe('a common character beside a selective term', () => {
  it('is left to the matcher: the index is asked for the rest only, the runs it separated kept one token apart', () => {
    // Neither 的 (a term of its own) nor 大 (inside 西瓜大王) is read from the index: 西瓜 one token from 王 is rare.
    expect(ask('西瓜大王 的')).toBe('"西 瓜" NEAR/1 "王"');
    expect(ask('"西瓜 大 王"')).toBe('"西 瓜" NEAR/1 "王"');
    expect(ask('西瓜大王故事')).toBe('"西 瓜" NEAR/1 "王 故 事"');
    // A word in fewer than a thousand messages is selective by itself.
    expect(ask('故事 的')).toBe('"故 事"');
  });

  it('stays in the query when the rest is not selective: then it is what keeps the candidates few', () => {
    // meeting, 王 and the phrase 西瓜 are each in more than a thousand messages; 的 and 大 in few of them.
    expect(ask('"meeting" 的')).toBe('"meeting" "的"');
    expect(ask('大王')).toBe('"大 王"');
    expect(ask('大西瓜')).toBe('"大 西 瓜"');
    // Alone, nothing else can be asked for.
    expect(ask('的')).toBe('"的"');
  });

  it('finds exactly what the oracle finds, either way', () => {
    for (const q of ['西瓜大王 的', '西瓜大王', '大王', '"西瓜 大 王"', '西瓜大王故事', '故事 的', '"meeting" 的', '的 meeting', '大西瓜', '王 -的', '西瓜和王 的', '的']) {
      const want = expectedIds(rows, parseQuery(q).terms);
      expect(allHits(q), q).toEqual(want);
    }
    expect(allHits('西瓜大王 的')).toHaveLength(24);
  });
});
