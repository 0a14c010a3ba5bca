// `tim-backup search` as a person or a script runs it, on an archive file written by the engine's storage path:
// the real entry point in a child process for the two output forms, the same main() in this process for the
// rest (a child costs seconds on a busy machine).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../app/archive';
import type { GroupMsg } from '../../app/im/wire';
import { runCli, runMain } from '../cli/run-cli';

let dir: string;
let path: string;
const T0 = Date.UTC(2024, 4, 1, 12) / 1000;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tim-search-cli-'));
  path = join(dir, 'archive.sqlite');
  const archive = await Archive.open(path, { create: true });
  const run = archive.beginRun();
  const text = (seq: number, from: string, t: string, day: number): GroupMsg => ({
    From_Account: from,
    IsPlaceMsg: 0,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }],
    MsgRandom: seq,
    MsgSeq: seq,
    MsgTimeStamp: T0 + day * 86400 + seq,
  });
  const a = archive.upsertGroup({ sdkAppId: 1400000003, groupId: 'team' });
  archive.storeWindow(a, 1, 4, [text(1, 'alice', '大家你好啊', 0), text(2, 'bob', '你好 bob here', 1), text(3, 'alice', 'meeting 你。好', 2), text(4, 'bob', '\x1b[31mred\x1b[0m 你好', 3)], run);
  const b = archive.upsertGroup({ sdkAppId: 1400000003, groupId: 'family' });
  archive.storeWindow(b, 1, 1, [text(1, 'mom', '你好吗', 1)], run);
  const c = archive.upsertGroup({ sdkAppId: 1400000003, groupId: 'emoji' });
  archive.storeWindow(c, 1, 3, [text(1, 'carol', '收到👍', 0), text(2, 'carol', 'no thumbs here', 0), text(3, 'dave', '👍👍 great', 0)], run);
  archive.upsertMembers(a, [{ Member_Account: 'alice', NameCard: '爱丽丝' }]);
  archive.finishRun(run, 'ok', {});
  await archive.close();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli(['search', ...args, '--archive', path], { TZ: 'UTC' });

/** main() in this process, on the test's archive. */
const inProcess = (...args: string[]) => runMain(['search', '--archive', path, ...args]);

describe('tim-backup search', () => {
  it('--json prints { hits, next }: hits newest first, with the message fields and a marked snippet', async () => {
    const r = await cli('你好', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const { hits, next } = JSON.parse(r.stdout) as { hits: Record<string, unknown>[]; next: string | null };
    expect(next).toBeNull();
    expect(hits.map((h) => [h.GroupId, h.MsgSeq, h.From_Account])).toEqual([['team', 4, 'bob'], ['team', 2, 'bob'], ['family', 1, 'mom'], ['team', 1, 'alice']]);
    expect(hits[3]).toMatchObject({ MsgTimeStamp: T0 + 1, SenderName: '爱丽丝', Snippet: '大家«你好»啊' });
    expect(hits[3]!.SnippetSegments).toEqual([{ text: '大家', match: false }, { text: '你好', match: true }, { text: '啊', match: false }]);
  });

  it('filters by group, sender, dates and kind', async () => {
    const ids = async (...args: string[]) => {
      const r = await inProcess(...args, '--json');
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { hits: { GroupId: string; MsgSeq: number }[] }).hits.map((h) => `${h.GroupId}#${h.MsgSeq}`);
    };
    expect(await ids('你好', '--group', 'team', '--from', 'alice', '--from', 'mom')).toEqual(['team#1']);
    expect(await ids('你好', '--since', '2024-05-02T00:00Z', '--until', '2024-05-03T00:00Z', '--kind', 'text')).toEqual(['team#2', 'family#1']);
    expect(await ids('爱丽丝', '--since', '2024-05-03T00:00:00Z')).toEqual(['team#3']);
    expect(await ids('你好', '--kind', 'file,location')).toEqual([]);
  });

  it('prints readable lines, keeping terminal escapes out', async () => {
    const r = await cli('你好', '--limit', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^2024-05-04 12:00 {2}team No\. 4 {2}bob: .*red.* «你好»\n2024-05-02 12:00 {2}team No\. 2 {2}bob: «你好» bob here\n/u);
    expect(r.stdout).toMatch(/\nMore hits: run the same search with --after \S+\n$/u);
    expect(r.stdout).not.toContain('\x1b');
  });

  it('pages oldest first with --after, the cursor in the JSON answer until it is null', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page = await inProcess('你好', '--order', 'oldest', '--limit', '2', '--json', ...(after ? ['--after', after] : []));
      expect(page.stderr).toBe('');
      const body = JSON.parse(page.stdout) as { hits: { GroupId: string; MsgSeq: number }[]; next: string | null };
      seen.push(...body.hits.map((h) => `${h.GroupId}#${h.MsgSeq}`));
      after = body.next;
    } while (after !== null);
    expect(seen).toEqual(['team#1', 'family#1', 'team#2', 'team#4']);
  });

  it('finds a query of only emoji (it used to answer "Nothing to search for")', async () => {
    const r = await inProcess('👍', '--json');
    expect(r.code, r.stderr).toBe(0);
    const { hits } = JSON.parse(r.stdout) as { hits: { GroupId: string; MsgSeq: number; Snippet: string }[] };
    expect(hits.map((h) => [h.GroupId, h.MsgSeq, h.Snippet])).toEqual([['emoji', 3, '«👍👍» great'], ['emoji', 1, '收到«👍»']]);
  });

  it('explains queries and flags it cannot use', async () => {
    const nothing = await inProcess('!!', '。');
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/Nothing to search for/u);
    const nothingJson = await inProcess('!!', '--json');
    expect(nothingJson.code).toBe(2);
    expect(JSON.parse(nothingJson.stdout)).toEqual({ error: { code: 'nothing-to-search', message: expect.stringMatching(/Nothing to search for/u) as string, exitCode: 2 } });
    const empty = await inProcess();
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/Say what to search for/u);
    const badDate = await inProcess('你好', '--since', '2024-13-01');
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/--since "2024-13-01" is not a date.*YYYY-MM-DD/u);
    expect((await inProcess('你好', '--kind', 'gif')).stderr).toMatch(/"gif" is not a message kind/u);
    expect((await inProcess('你好', '--limit', '0')).stderr).toMatch(/--limit must be a whole number from 1 to 500/u);
    const badCursor = await inProcess('你好', '--after', 'zzz');
    expect(badCursor.code).toBe(2);
    expect(badCursor.stderr).toMatch(/cursor/u);
    const excluded = await inProcess('--json', '--', '-bob', '你好');
    expect(excluded.code, excluded.stderr).toBe(0);
    expect((JSON.parse(excluded.stdout) as { hits: { MsgSeq: number }[] }).hits.map((h) => h.MsgSeq)).toEqual([4, 1, 1]);
  });
});
