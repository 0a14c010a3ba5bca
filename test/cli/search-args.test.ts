// `tim-backup search` takes words to exclude as typed (`hello -spam`), without the `--` that node's parseArgs
// would otherwise need, wherever they stand among the flags; other commands still refuse unknown flags.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../app/archive';
import type { GroupMsg } from '../../app/im/wire';
import { runMain } from './run-cli';

let dir: string;
let path: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tim-search-args-'));
  path = join(dir, 'archive.sqlite');
  const archive = await Archive.open(path, { create: true });
  const run = archive.beginRun();
  const text = (seq: number, t: string): GroupMsg => ({
    From_Account: 'alice',
    IsPlaceMsg: 0,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }],
    MsgRandom: seq,
    MsgSeq: seq,
    MsgTimeStamp: 1_714_560_000 + seq,
  });
  const gid = archive.upsertGroup({ sdkAppId: 1400000003, groupId: 'team' });
  archive.storeWindow(gid, 1, 3, [text(1, 'hello world'), text(2, 'hello spam offer'), text(3, 'meeting at noon')], run);
  archive.finishRun(run, 'ok', {});
  await archive.close();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runMain(args);

async function seqs(...args: string[]): Promise<number[]> {
  const r = await cli(...args);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { hits: { MsgSeq: number }[] }).hits.map((h) => h.MsgSeq);
}

describe('tim-backup search with words to exclude', () => {
  it('takes -word as a word to exclude, before or after the others, among the flags', async () => {
    expect(await seqs('search', 'hello', '--archive', path, '--json')).toEqual([2, 1]);
    expect(await seqs('search', 'hello', '-spam', '--archive', path, '--json')).toEqual([1]);
    expect(await seqs('search', '-spam', 'hello', '--json', '--archive', path)).toEqual([1]);
    expect(await seqs('--archive', path, 'search', '--limit', '5', '-spam', '--json', 'hello')).toEqual([1]);
    expect(await seqs('search', 'hello -spam', '--archive', path, '--json')).toEqual([1]);
    expect(await seqs('search', '--archive', path, '--json', '--', '-spam', 'hello')).toEqual([1]);
  });

  it('keeps -h as help and --flags as flags, saying how to search for a word starting with --', async () => {
    const help = await cli('search', '-h');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage:');
    const unknown = await cli('search', 'hello', '--spam', '--archive', path);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--spam'.*after '--'/u);
  });

  it('leaves the other commands strict', async () => {
    const r = await cli('status', '-x', '--archive', path);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '-x'");
  });
});
