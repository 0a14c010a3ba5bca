// `tim-backup export` as a person runs it: each format, filters, and clear usage errors (exit 2) for bad input.

import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../app/archive';
import { type ExportFlags, exportCommand } from '../../app/cli/commands/export';
import { UsageError } from '../../app/cli/usage';
import { runCli, runMain } from '../cli/run-cli';
import { fillArchive } from './fixtures';
import { tempDir } from './helpers';

let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await tempDir();
  const path = join(dir, 'archive.sqlite');
  const archive = await Archive.open(path, { create: true });
  fillArchive(archive, [{ groupId: '@TGS#cli', name: 'CLI 群', messages: 200 }]);
  await archive.close();
  env = { TIM_ARCHIVE: path, TZ: 'Asia/Shanghai', LANG: 'zh_CN.UTF-8' };
});

describe('tim-backup export', () => {
  it('writes an HTML folder in the system language, filtered, and reports it as JSON', async () => {
    const out = join(dir, 'html');
    const r = await runCli(['export', '--format', 'html', '--out', out, '--since', '2024-05-15', '--kind', 'text,image', '--json'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { groups: number; messages: number; pages: number; largestPageBytes: number };
    expect(result).toMatchObject({ groups: 1 });
    expect(result.messages).toBeGreaterThan(20);
    expect(result.pages).toBeGreaterThan(0);
    const index = await readFile(join(out, 'index.html'), 'utf8');
    expect(index).toContain('<html lang="zh-CN">');
    expect(index).toContain('筛选导出');
    expect(index).toContain('<dt>起始</dt><dd>2024-05-15T00:00:00+08:00</dd>');
    expect(await readdir(join(out, 'groups'))).toHaveLength(1);
  });

  it('writes CSV and TXT in the language asked for', async () => {
    await exportCommand({ archive: env.TIM_ARCHIVE, format: 'csv', out: join(dir, 'all.csv'), group: ['@TGS#cli'] });
    expect((await readFile(join(dir, 'all.csv'), 'utf8')).startsWith('\ufeffgroup,seq,time')).toBe(true);
    await exportCommand({ archive: env.TIM_ARCHIVE, format: 'txt', out: join(dir, 'all.txt'), lang: 'en', from: ['nobody'] });
    expect(await readFile(join(dir, 'all.txt'), 'utf8')).toContain('Filtered export: only the messages that match the filter are included.');
  });

  it('explains bad input as a usage error without writing anything', async () => {
    const cases: [ExportFlags, RegExp][] = [
      [{ format: 'pdf', out: join(dir, 'x') }, /--format must be one of html, jsonl, csv, txt \(got "pdf"\)/u],
      [{ format: 'html' }, /Say which folder to write the export to: --out FOLDER/u],
      [{ format: 'csv', out: join(dir, 'x.csv'), since: '2024-06-01', until: '2024-05-01' }, /--since 2024-06-01 is not before --until 2024-05-01/u],
      [{ format: 'txt', out: join(dir, 'x.txt'), lang: 'fr' }, /--lang must be one of en, zh-CN \(got "fr"\)/u],
      [{ format: 'txt', out: join(dir, 'x.txt'), kind: ['gif'] }, /"gif" is not a message kind/u],
      [{ format: 'jsonl', out: join(dir, 'x.jsonl'), group: ['nope'] }, /The archive has no group "nope"/u],
    ];
    for (const [flags, message] of cases) {
      const attempt = exportCommand({ archive: env.TIM_ARCHIVE, ...flags });
      await expect(attempt, JSON.stringify(flags)).rejects.toThrow(message);
      await expect(attempt).rejects.toBeInstanceOf(UsageError);
    }
    expect((await readdir(dir)).filter((f) => f.startsWith('x'))).toEqual([]);
  });

  it('names --out when the destination cannot be written', async () => {
    const out = join(dir, 'no-such-folder', 'x.csv');
    const missing = await runMain(['export', '--archive', env.TIM_ARCHIVE!, '--format', 'csv', '--out', out]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `tim-backup: Cannot write ${out}: its folder ${join(dir, 'no-such-folder')} does not exist. Create the folder first, or change --out. Nothing was left half-written.\n`,
    );
    const taken = join(dir, 'taken');
    await mkdir(taken);
    await writeFile(join(taken, 'notes.txt'), 'mine');
    const occupied = await runMain(['export', '--archive', env.TIM_ARCHIVE!, '--format', 'html', '--out', taken]);
    expect(occupied.stderr).toContain(`The folder ${taken} already holds other files. Choose a new or empty folder for --out`);
  });

  it('exits 2 with the reason on a bad date, in the system language (LANG=zh_CN here)', async () => {
    const r = await runCli(['export', '--format', 'csv', '--out', join(dir, 'x.csv'), '--since', '2024-13-01'], env);
    expect(r.stderr).toMatch(/^tim-backup: --since “2024-13-01”不是日期（没有这一天）。请使用 YYYY-MM-DD/u);
    expect(r.code).toBe(2);
    const en = await runCli(['export', '--format', 'csv', '--out', join(dir, 'x.csv'), '--since', '2024-13-01'], { ...env, LANG: 'en_US.UTF-8' });
    expect(en.stderr).toMatch(/--since "2024-13-01" is not a date \(no such day\)\. Use YYYY-MM-DD/u);
  });
});
