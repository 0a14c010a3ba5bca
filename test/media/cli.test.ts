// The media on the command line: the policy flags, `status` per group, `tim-backup media [--failed] [--json]`
// listing what is missing and why (English and Chinese), `tim-backup media retry`, and usage errors.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator';
import { cliEnv, runCli } from '../cli/run-cli';
import { APP, tempFolder } from './harness';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ apps: [{ ...APP, groups: [{ groupId: 'g', messages: 150, seed: 101, media: { maxBytes: 20_000 } }] }] });
});
afterAll(() => emulator?.close());

const env = () => cliEnv(emulator.url, APP, { LANG: 'C', LC_ALL: 'C' });

describe('tim-backup and media', () => {
  it('backs up thumbnails only with --media thumbnails, and status counts media per group', async () => {
    const archive = join(await tempFolder(), 'a.sqlite');
    const run = await runCli(['backup', 'g', '--archive', archive, '--media', 'thumbnails', '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.media.stored).toBeGreaterThan(0);
    const status = await runCli(['status', '--archive', archive, '--json'], env());
    const media = JSON.parse(status.stdout)[0].completeness.counts.media;
    expect(media.stored).toBe(summary.media.stored);
    expect(media.skipped).toBeGreaterThan(0);
    expect(media.pending + media.failed + media.expired).toBe(0);
    expect(media.storedBytes).toBeGreaterThan(0);
    const text = await runCli(['status', '--archive', archive], env());
    expect(text.stdout).toMatch(/MEDIA STORED\s+WAITING\s+EXPIRED\s+FAILED\s+NOT KEPT\s+MEDIA SIZE/);
    expect(text.stdout).toMatch(new RegExp(`\\ng\\s+${media.stored}\\s+0\\s+0\\s+0\\s+${media.skipped + media.noUrl}\\s`));
    // The run history lists the run's media too.
    const history = JSON.parse((await runCli(['history', '--archive', archive, '--json'], env())).stdout);
    expect(history[0].media).toMatchObject({ stored: summary.media.stored, storedBytes: summary.media.storedBytes, failed: 0 });
    const plain = await runCli(['history', '--archive', archive], env());
    expect(plain.stdout).toMatch(new RegExp(`NOT FETCHED\\s+MEDIA STORED\\s+MEDIA FAILED\\n[- ]+\\n1 .*\\s${summary.media.stored}\\s*\\n`, 'u'));
    expect(plain.stdout).toMatch(new RegExp(`Media: ${summary.media.stored} files stored \\([\\d.]+ [KM]B\\)\\.`, 'u'));
  });

  it('waits below the disk floor, lists what is missing and why, retries, and reports expiry', async () => {
    const archive = join(await tempFolder(), 'b.sqlite');
    const first = await runCli(['backup', 'g', '--archive', archive, '--disk-floor', '1000TB'], env());
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/Media downloads paused: only .* free on the media folder's drive/);
    expect(first.stdout).toMatch(/Media: 0 stored, \d+ waiting/);
    expect(first.stdout).toContain('tim-backup media retry');
    const waiting = JSON.parse((await runCli(['media', '--archive', archive, '--json'], env())).stdout) as { key: string; state: string; seq: number }[];
    const pending = waiting.filter((m) => m.state === 'pending');
    expect(pending.length).toBeGreaterThan(5);
    // Tencent deletes the older half of the history, and one file comes back longer than it says.
    const group = emulator.group(APP.sdkAppId, 'g');
    group.setRetentionEdge(76);
    const liar = pending.find((m) => m.seq >= 76)!;
    emulator.media.setFaultsFor(liar.key, { pLonger: 1 });
    const retry = await runCli(['media', 'retry', '--archive', archive], env());
    expect(retry.code, retry.stderr).toBe(3);
    expect(retry.stdout).toMatch(/Media: \d+ stored, 0 waiting, [1-9]\d* expired at Tencent, 1 failed\./);
    const failed = JSON.parse((await runCli(['media', '--archive', archive, '--failed', '--json'], env())).stdout);
    expect(failed).toEqual([expect.objectContaining({ groupId: 'g', key: liar.key, state: 'failed', reason: 'longer-than-declared', why: expect.stringContaining('more than') })]);
    const all = JSON.parse((await runCli(['media', '--archive', archive, '--json'], env())).stdout) as { state: string; seq: number; reason?: string }[];
    const expired = all.filter((m) => m.state === 'expired');
    expect(expired.length).toBeGreaterThan(0);
    expect(expired.every((m) => m.seq < 76 && m.reason === 'expired')).toBe(true);
    expect(all.some((m) => m.state === 'pending')).toBe(false);
    const zh = await runCli(['media', '--archive', archive, '--lang', 'zh-CN'], env());
    expect(zh.stdout).toContain('腾讯云上已过期');
    expect(zh.stdout).toContain('原因');
    const status = JSON.parse((await runCli(['status', '--archive', archive, '--json'], env())).stdout);
    expect(status[0].completeness.counts.media.expired).toBe(expired.length);
  });

  it('refuses bad media flags with a clear usage error', async () => {
    const archive = join(await tempFolder(), 'c.sqlite');
    const mode = await runCli(['backup', 'g', '--archive', archive, '--media', 'originals'], env());
    expect(mode.code).toBe(2);
    expect(mode.stderr).toContain('--media must be one of all, thumbnails, none (got "originals")');
    const size = await runCli(['backup', 'g', '--archive', archive, '--max-file-size', 'lots'], env());
    expect(size.code).toBe(2);
    expect(size.stderr).toContain('--max-file-size must be a size such as 200MB');
    const extra = await runCli(['media', 'again', '--archive', archive], env());
    expect(extra.code).toBe(2);
  });
});
