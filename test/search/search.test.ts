// Search behaviour on small hand-written archives: the query grammar, normalization, sender names, snippets,
// keyset pages, context, the index kept up to date by storeWindow, and rebuildIndex.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Archive, rowsOf } from '../../app/archive';
import type { GroupMsg, MsgElem } from '../../app/im/wire';
import { indexForm, searchForm, tokens } from '../../app/search/normalize';
import { around, parseQuery, rebuildIndex, search, type SearchHit, snippetText } from '../../app/search';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const T0 = 1_700_000_000;

function msg(seq: number, body: MsgElem[] | string, extra: Partial<GroupMsg> = {}): GroupMsg {
  const elems: MsgElem[] = typeof body === 'string' ? [{ MsgType: 'TIMTextElem', MsgContent: { Text: body } }] : body;
  return { From_Account: `user${seq % 3}`, IsPlaceMsg: 0, MsgBody: elems, MsgRandom: seq, MsgSeq: seq, MsgTimeStamp: T0 + seq * 60, ...extra };
}

/** An archive holding group "g" with `texts` as Seqs 1..n (strings are text messages). */
async function archiveWith(texts: (string | MsgElem[])[], extra: (seq: number) => Partial<GroupMsg> = () => ({})): Promise<{ archive: Archive; gid: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'tim-search-unit-'));
  const archive = await Archive.open(join(dir, 'a.sqlite'), { create: true });
  cleanups.push(async () => {
    await archive.close();
    await rm(dir, { recursive: true, force: true });
  });
  const gid = archive.upsertGroup({ sdkAppId: 1400000002, groupId: 'g' });
  const run = archive.beginRun();
  archive.storeWindow(gid, 1, Math.max(1, texts.length), texts.map((t, i) => msg(i + 1, t, extra(i + 1))), run);
  return { archive, gid };
}

const seqs = (hits: SearchHit[]) => hits.map((h) => h.seq);

describe('normalization', () => {
  it('folds width, case and accents, keeps Kana voicing, drops invisible characters', () => {
    expect(searchForm('ＷＡＴＥＲ Café ÅNGSTRÖM ΟΔΟΣ')).toBe('water cafe angstrom οδοσ');
    expect(searchForm('ｶﾞ が か\u3099')).toBe('ガ が が');
    expect(searchForm('你\u200d好 soft\u00adhyphen')).toBe('你好 softhyphen');
    expect(searchForm('\ud800x')).toBe('\ufffdx');
  });

  it('makes every CJK character a token and keeps words whole', () => {
    expect(tokens(searchForm('abc你好def 2.5 e-mail')).map((t) => t.text)).toEqual(['abc', '你', '好', 'def', '2', '5', 'e', 'mail']);
    expect(indexForm('大家你好啊')).toBe('大 家 你 好 啊');
    expect(indexForm('한국어 😀 テスト')).toBe('한 국 어 zzs1f600 テ ス ト');
  });
});

describe('query grammar', () => {
  it('splits terms, phrases, exclusions; treats operators and SQL as text', () => {
    const q = parseQuery('西瓜 "Release Notes" -spam abc你好 AND NEAR/2 * \'; DROP');
    expect(q.terms.map((t) => [t.tokens.map((k) => k.text).join(' '), t.quoted, t.negated])).toEqual([
      ['西 瓜', false, false],
      ['release notes', true, false],
      ['abc 你 好', false, false],
      ['and', false, false],
      ['near 2', false, false],
      ['drop', false, false],
      ['spam', false, true],
    ]);
    expect(q.terms[2]!.tokens.map((t) => t.joined)).toEqual([false, true, true]);
  });

  it('says when there is nothing to search', () => {
    expect(parseQuery('').nothingToSearch?.en).toMatch(/Nothing to search/u);
    expect(parseQuery('！？ * 。').nothingToSearch?.en).toMatch(/Nothing to search/u);
    expect(parseQuery('😀').terms.map((t) => t.tokens.map((k) => k.text))).toEqual([['😀']]);
    expect(parseQuery('-spam').nothingToSearch?.en).toMatch(/only excludes/u);
    expect(parseQuery('"unclosed phrase').terms[0]!.quoted).toBe(true);
  });
});

describe('search', () => {
  it('finds CJK inside longer runs, but not across punctuation unless the query spaces it', async () => {
    const { archive } = await archiveWith(['大家你好啊', '你。好', '你 好', '好你', '你们好', 'abc你好def', 'ABC你好']);
    expect(seqs(search(archive, '你好').hits)).toEqual([7, 6, 1]);
    expect(seqs(search(archive, '"你 好"').hits)).toEqual([7, 6, 3, 2, 1]);
    expect(seqs(search(archive, '你 好').hits)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(seqs(search(archive, 'abc你好').hits)).toEqual([7, 6]);
    expect(seqs(search(archive, '你好def').hits)).toEqual([6]);
    expect(seqs(search(archive, '你好d').hits)).toEqual([6]);
    expect(seqs(search(archive, 'bc你好').hits)).toEqual([]);
  });

  it('finds emoji and other symbols as exact sequences, alone or next to words', async () => {
    const { archive } = await archiveWith(['great 👍', '👍👍 twice', '👍 👍 spaced', 'no thumbs', '👎 down', 'C++ and C#', 'price $5', '👍\ufe0f with a variation selector', '👨‍👩‍👧 family']);
    expect(seqs(search(archive, '👍').hits)).toEqual([8, 3, 2, 1]);
    expect(seqs(search(archive, '👍👍').hits)).toEqual([2]);
    expect(seqs(search(archive, '"👍 👍"').hits)).toEqual([3, 2]);
    expect(seqs(search(archive, 'great👍').hits)).toEqual([]);
    expect(seqs(search(archive, '👎').hits)).toEqual([5]);
    expect(seqs(search(archive, 'c++').hits)).toEqual([6]);
    expect(seqs(search(archive, '$5').hits)).toEqual([7]);
    expect(seqs(search(archive, '👨‍👩‍👧').hits)).toEqual([9]);
    expect(snippetText(search(archive, 'twice 👍').hits[0]!.snippet)).toBe('«👍👍» «twice»');
  });

  it('matches Latin words as prefixes, whole when quoted, any case and accent; ANDs terms; excludes', async () => {
    const { archive } = await archiveWith(['Meeting at the Café', 'meet me', 'the meetup is cancelled', 'concatenate', 'CAFE au lait', '西瓜 and watermelon']);
    expect(seqs(search(archive, 'meet').hits)).toEqual([3, 2, 1]);
    expect(seqs(search(archive, '"meet"').hits)).toEqual([2]);
    expect(seqs(search(archive, 'café').hits)).toEqual([5, 1]);
    expect(seqs(search(archive, 'ｃａｆｅ').hits)).toEqual([5, 1]);
    expect(seqs(search(archive, 'cat').hits)).toEqual([]);
    expect(seqs(search(archive, 'meet -cancelled').hits)).toEqual([2, 1]);
    expect(seqs(search(archive, '西瓜 watermelon').hits)).toEqual([6]);
    expect(seqs(search(archive, '西瓜 melon').hits)).toEqual([]);
  });

  it('searches file names, locations, custom Desc/Ext and forwarded chats, not image URLs', async () => {
    const { archive } = await archiveWith([
      [{ MsgType: 'TIMFileElem', MsgContent: { Url: 'https://x.invalid/secret', UUID: 'u', FileSize: 1, FileName: '季度报告.pdf', Download_Flag: 2 } }],
      [{ MsgType: 'TIMLocationElem', MsgContent: { Desc: '腾讯滨海大厦', Latitude: 1, Longitude: 2 } }],
      [{ MsgType: 'TIMCustomElem', MsgContent: { Data: 'hidden', Desc: 'order shipped', Ext: '快递单号' } }],
      [{ MsgType: 'TIMRelayElem', MsgContent: { Title: '群聊记录', MsgNum: 1, CompatibleText: '', AbstractList: ['alice: 周末爬山'], MsgList: [{ MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'nested 西瓜' } }] }] } }],
      [{ MsgType: 'TIMImageElem', MsgContent: { UUID: 'img', ImageFormat: 1, ImageInfoArray: [{ Type: 1, Size: 1, Width: 1, Height: 1, URL: 'https://x.invalid/secret' }] } }],
    ]);
    expect(seqs(search(archive, '报告 pdf').hits)).toEqual([1]);
    expect(seqs(search(archive, '滨海').hits)).toEqual([2]);
    expect(seqs(search(archive, 'shipped 单号').hits)).toEqual([3]);
    expect(seqs(search(archive, '爬山').hits)).toEqual([4]);
    expect(seqs(search(archive, '西瓜').hits)).toEqual([4]);
    expect(seqs(search(archive, 'secret').hits)).toEqual([]);
    expect(seqs(search(archive, 'hidden').hits)).toEqual([]);
  });

  it('matches sender names once known, and shows them', async () => {
    const { archive, gid } = await archiveWith(['hello', 'hi there', 'good morning']);
    expect(search(archive, '张伟').hits).toEqual([]);
    archive.upsertMembers(gid, [{ Member_Account: 'user1', NameCard: '张伟' }]);
    archive.upsertProfiles(1400000002, [{ account: 'user2', nick: 'Ｃarol Wang' }]);
    const zhang = search(archive, '张伟').hits;
    expect(seqs(zhang)).toEqual([1]);
    expect(zhang[0]).toMatchObject({ sender: 'user1', senderName: '张伟', senderMatched: true });
    expect(seqs(search(archive, 'carol').hits)).toEqual([2]);
    expect(seqs(search(archive, 'wang hi').hits)).toEqual([2]);
    expect(seqs(search(archive, 'h -carol').hits)).toEqual([1]);
  });

  it('marks matches in snippets as segments, never as markup', async () => {
    const long = `${'前言'.repeat(100)}<b>重要</b>通知：明天开会 Meeting moved ${'后记'.repeat(100)}`;
    const { archive } = await archiveWith([long, '<script>alert(1)</script> 你好']);
    const [hit] = search(archive, '开会 meet').hits;
    expect(hit!.snippet.filter((s) => s.match).map((s) => s.text)).toEqual(['开会', 'Meet']);
    expect(snippetText(hit!.snippet)).toMatch(/^….*<b>重要<\/b>通知：明天«开会» «Meet»ing moved .*…$/u);
    expect(snippetText(hit!.snippet).length).toBeLessThan(200);
    const [hostile] = search(archive, '你好').hits;
    expect(hostile!.snippet).toEqual([{ text: '<script>alert(1)</script> ', match: false }, { text: '你好', match: true }]);
  });

  it('pages by keyset: no hit twice or missed, even when newer messages arrive between pages', async () => {
    const texts = Array.from({ length: 30 }, (_, i) => `西瓜 number ${i + 1}`);
    const { archive, gid } = await archiveWith(texts);
    const first = search(archive, '西瓜', {}, { limit: 12 });
    expect(seqs(first.hits)).toEqual(Array.from({ length: 12 }, (_, i) => 30 - i));
    archive.storeWindow(gid, 31, 40, Array.from({ length: 10 }, (_, i) => msg(31 + i, '西瓜 newer')), archive.beginRun());
    const second = search(archive, '西瓜', {}, { limit: 12, after: first.next! });
    expect(seqs(second.hits)).toEqual(Array.from({ length: 12 }, (_, i) => 18 - i));
    // The new messages are searchable at once (storeWindow indexed them), on a fresh first page.
    expect(seqs(search(archive, '西瓜 newer', {}, { limit: 3 }).hits)).toEqual([40, 39, 38]);
    const third = search(archive, '西瓜', {}, { limit: 12, after: second.next! });
    expect(seqs(third.hits)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(third.next).toBeUndefined();
    const oldest = search(archive, '西瓜', {}, { limit: 5, order: 'oldest' });
    expect(seqs(oldest.hits)).toEqual([1, 2, 3, 4, 5]);
    expect(seqs(search(archive, '西瓜', {}, { limit: 5, order: 'oldest', after: oldest.next! }).hits)).toEqual([6, 7, 8, 9, 10]);
    expect(() => search(archive, '西瓜', {}, { after: oldest.next! })).toThrow(/cursor/u);
    expect(() => search(archive, '西瓜', {}, { after: 'garbage' })).toThrow(/cursor/u);
  });

  it('orders by message time, whatever order the backup stored the windows in', async () => {
    const { archive, gid } = await archiveWith([]);
    const run = archive.beginRun();
    // Newest window first, as a backup that starts at the top of the history does.
    archive.storeWindow(gid, 11, 20, Array.from({ length: 10 }, (_, i) => msg(11 + i, `西瓜 ${11 + i}`)), run);
    archive.storeWindow(gid, 1, 10, Array.from({ length: 10 }, (_, i) => msg(1 + i, `西瓜 ${1 + i}`)), run);
    const hits = search(archive, '西瓜', {}, { limit: 50 }).hits;
    expect(seqs(hits)).toEqual(Array.from({ length: 20 }, (_, i) => 20 - i));
    expect(hits.map((h) => h.time)).toEqual([...hits.map((h) => h.time)].sort((a, b) => b - a));
  });

  it('keeps finding recalled and deleted messages by their archived original, and filters them by kind', async () => {
    const { archive, gid } = await archiveWith(['机密 plan A', '机密 plan B', '机密 plan C']);
    const run = archive.beginRun();
    archive.storeWindow(gid, 1, 3, [msg(1, [], { IsPlaceMsg: 2 }), msg(2, '机密 plan B'), msg(3, [], { IsPlaceMsg: 1, From_Account: '' })], run);
    const hits = search(archive, '机密').hits;
    expect(hits.map((h) => [h.seq, h.state])).toEqual([[3, 1], [2, 0], [1, 2]]);
    expect(seqs(search(archive, '机密', { kinds: ['recalled'] }).hits)).toEqual([1]);
    expect(seqs(search(archive, '机密', { kinds: ['deleted'] }).hits)).toEqual([3]);
    expect(seqs(search(archive, '机密', { kinds: ['text'], senders: ['user2'] }).hits)).toEqual([2]);
  });

  it('returns the messages around a hit in Seq order', async () => {
    const { archive, gid } = await archiveWith(Array.from({ length: 10 }, (_, i) => `line ${i + 1}`));
    const ctx = around(archive, gid, 5, 2, 3);
    expect(ctx.map((m) => [m.seq, m.text])).toEqual([[3, 'line 3'], [4, 'line 4'], [5, 'line 5'], [6, 'line 6'], [7, 'line 7'], [8, 'line 8']]);
    expect(around(archive, gid, 1, 5, 0).map((m) => m.seq)).toEqual([1]);
  });

  it('rebuildIndex recreates the index from the archived messages', async () => {
    const { archive } = await archiveWith(['大家你好啊', 'hello world', '你。好']);
    const before = ['你好', 'hello', '"你 好"'].map((q) => seqs(search(archive, q).hits));
    archive.db.exec("DROP TABLE message_fts; CREATE VIRTUAL TABLE message_fts USING fts4(content='', body, tokenize=unicode61 'remove_diacritics=2')");
    expect(seqs(search(archive, '你好').hits)).toEqual([]);
    expect(rebuildIndex(archive)).toEqual({ messages: 3 });
    expect(['你好', 'hello', '"你 好"'].map((q) => seqs(search(archive, q).hits))).toEqual(before);
    expect(rowsOf(archive.db, "SELECT docid FROM message_fts WHERE message_fts MATCH '\"你 好\"' ORDER BY docid").length).toBe(2);
  });
});

describe('searching by filters alone', () => {
  it('lists every message the filters keep when no words are typed; nothing at all without a filter', async () => {
    const { archive } = await archiveWith(['hello', 'recalled later', 'third', 'fourth'], (seq) => (seq % 2 === 0 ? { IsPlaceMsg: 2, MsgBody: [] } : {}));
    // "Every recalled message in this group", as a community manager asks for it.
    const recalled = search(archive, '', { groupIds: ['g'], kinds: ['recalled'] }, { order: 'oldest' });
    expect(recalled.nothingToSearch).toBe(undefined);
    expect(seqs(recalled.hits)).toEqual([2, 4]);
    expect(seqs(search(archive, '  ', { groupIds: ['g'] }, { order: 'oldest' }).hits)).toEqual([1, 2, 3, 4]);
    expect(search(archive, '', {}).nothingToSearch?.en).toMatch(/Nothing to search/u);
  });
});
