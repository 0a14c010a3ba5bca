// The HTML export's folder: valid HTML, coverage equal to the archive's, every archived row on exactly one page,
// pages within their limits, anchors stable across exports, filters stated, and never someone's folder replaced.

import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { HtmlValidate } from 'html-validate';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Archive, rowsOf, valueOf } from '../../app/archive';
import { exportHtml } from '../../app/export/html-export';
import { completeness } from '../../app/coverage/completeness';
import { fillHostile } from './hostile';
import { tempArchive, tempDir } from './helpers';

const ZONE = 'Asia/Shanghai';
let archive: Archive;
let gids: number[];
let out: string;

beforeAll(async () => {
  ({ archive, gids } = await tempArchive([
    { groupId: '@TGS#realistic', name: '产品讨论群', messages: 500, seed: 11 },
    { groupId: '@TGS#partial', messages: 300, seed: 12, expiredBelow: 41, failed: { lo: 121, hi: 140 }, newestSeq: 340 },
  ]));
  fillHostile(archive);
  out = join(await tempDir(), 'export');
  await exportHtml(archive, out, { lang: 'en', timeZone: ZONE, exportedAt: 1_730_000_000, pageLimits: { messages: 200, bytes: 400_000 } });
});

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => join(e.parentPath, e.name));
}

/** The folder of a group's pages: its readable part is the ID with unsafe characters replaced. */
async function groupFolder(groupId: string): Promise<string> {
  const readable = groupId.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
  const found = (await readdir(join(out, 'groups'))).filter((f) => f.startsWith(`${readable}-`));
  expect(found).toHaveLength(1);
  return join(out, 'groups', found[0]!);
}

/** data-stat="key" data-value="n" pairs of a page, in order. */
function stats(page: string): Record<string, number> {
  return Object.fromEntries([...page.matchAll(/data-stat="(\w+)" data-value="(\d+)"/gu)].map((m) => [m[1]!, Number(m[2])]));
}

describe('exportHtml', () => {
  it('writes pages that pass html-validate (recommended rules) without errors', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });
    const files = await htmlFiles(out);
    expect(files.length).toBeGreaterThan(8);
    for (const file of files) {
      const report = await validator.validateString(await readFile(file, 'utf8'), file);
      const errors = report.results.flatMap((r) => r.messages.map((m) => `${relative(out, file)}:${m.line} ${m.ruleId} ${m.message}`));
      expect(errors).toEqual([]);
    }
  }, 30_000);

  it('states each group\'s coverage exactly as the archive counts it', async () => {
    const groups = archive.groups();
    for (const g of groups) {
      const cov = completeness(archive, g).counts;
      const s = archive.stats(g.gid);
      const shown = stats(await readFile(join(await groupFolder(g.groupId), 'index.html'), 'utf8'));
      expect(shown).toMatchObject({ archived: s.archived, recalled: s.recalled, placeholders: s.placeholders, absent: s.absent, failed: s.failed, expired: s.expired });
      expect(shown.notYetFetched).toBe(cov.notYetFetched);
    }
    const partial = groups.find((g) => g.groupId === '@TGS#partial')!;
    const s = archive.stats(partial.gid);
    expect([s.expired, s.failed]).toEqual([40, 20]);
    const index = await readFile(join(out, 'index.html'), 'utf8');
    // Seqs 301–340 were reported by Tencent but never fetched: with the 20 failed ones, 60 are missing. The 40
    // expired ones are not "missing": no backup can fetch them, and the verdict says so apart.
    expect(index).toContain('Incomplete: 60 messages are not archived; fetching 20 of them failed.');
    expect(index).toContain('data-stat="notYetFetched" data-value="40"');
    expect(index).toContain('Complete: every message of this group is archived.');
  });

  it('puts every archived row on exactly one page, in Seq order, within the page limits', async () => {
    for (const gid of gids) {
      const g = archive.groups().find((x) => x.gid === gid)!;
      const rows = rowsOf(archive.db, 'SELECT seq FROM messages WHERE gid = ? ORDER BY seq', gid).map((v) => Number(v[0]));
      const folder = await groupFolder(g.groupId);
      const index = await readFile(join(folder, 'index.html'), 'utf8');
      const pages = [...index.matchAll(/<td><a href="([^"]+\.html)">/gu)].map((m) => m[1]!);
      const seqs: number[] = [];
      for (const p of pages) {
        const page = await readFile(join(folder, p), 'utf8');
        const ids = [...page.matchAll(/ id="seq-(\d+)"/gu)].map((m) => Number(m[1]));
        expect(ids.length).toBeLessThanOrEqual(200);
        expect((await stat(join(folder, p))).size).toBeLessThan(600_000);
        seqs.push(...ids);
      }
      expect(seqs).toEqual(rows);
      expect(stats(index).exported).toBe(rows.length);
    }
  });

  it('gives the same anchors and pages when exported again', async () => {
    const again = join(await tempDir(), 'again');
    await exportHtml(archive, again, { lang: 'en', timeZone: ZONE, exportedAt: 1_740_000_000, pageLimits: { messages: 200, bytes: 400_000 } });
    const files = (await htmlFiles(out)).map((f) => relative(out, f)).sort();
    expect((await htmlFiles(again)).map((f) => relative(again, f)).sort()).toEqual(files);
    for (const f of files.filter((x) => !x.endsWith('index.html'))) {
      expect(await readFile(join(again, f), 'utf8'), f).toBe(await readFile(join(out, f), 'utf8'));
    }
  });

  it('says prominently, on every page, what a filtered export left out', async () => {
    const filtered = join(await tempDir(), 'filtered');
    const since = 1_715_000_000;
    const result = await exportHtml(archive, filtered, {
      lang: 'zh-CN',
      timeZone: ZONE,
      filter: { groupIds: ['@TGS#realistic'], kinds: ['image', 'recalled'], since },
    });
    const files = await htmlFiles(filtered);
    expect(result.groups).toBe(1);
    for (const f of files) expect(await readFile(f, 'utf8'), f).toContain('筛选导出：只包含符合筛选条件的消息，并非完整历史。');
    const index = await readFile(join(filtered, 'index.html'), 'utf8');
    // Whatever the archive holds, a filtered export never calls itself complete.
    expect(index).toContain('data-verdict="filtered"');
    expect(index).not.toContain('完整：');
    expect(index).toContain('<html lang="zh-CN">');
    expect(index).toContain('<dt>类型</dt><dd>图片, 已撤回</dd>');
    expect(index).toContain('<dt>起始</dt><dd>2024-05-06T20:53:20+08:00</dd>');
    const expected = valueOf(
      archive.db,
      `SELECT count(*) FROM messages m JOIN groups g USING (gid) WHERE g.group_id = '@TGS#realistic' AND m.time >= ${since} AND ((m.kinds & 2) != 0 OR m.state = 2)`,
    );
    expect(result.messages).toBe(Number(expected));
    expect(stats(index).exported).toBe(result.messages);
  });

  it('replaces an earlier export, but never a folder holding anything else', async () => {
    const dir = await tempDir();
    const target = join(dir, 'transcripts');
    await exportHtml(archive, target, { lang: 'en', filter: { groupIds: ['@TGS#partial'] } });
    await exportHtml(archive, target, { lang: 'en', filter: { groupIds: ['@TGS#realistic'] } });
    expect(await readFile(join(target, 'index.html'), 'utf8')).toContain('@TGS#realistic');
    expect((await readdir(join(target, 'groups'))).length).toBe(1);

    const precious = join(dir, 'precious');
    await mkdir(precious);
    await writeFile(join(precious, 'thesis.docx'), 'years of work');
    await expect(exportHtml(archive, precious, { lang: 'en' })).rejects.toThrow(/already holds other files/u);
    expect(await readdir(precious)).toEqual(['thesis.docx']);
    expect((await readdir(dir)).sort()).toEqual(['precious', 'transcripts']);
  });
});
