// Media downloads (issue 11), three measures, each with a baseline from the same run:
// - throughput over loopback against the emulator's bandwidth limit: the downloader (4 at once) and a plain
//   sequential loop over the same files; target ≥ 90% of the limit;
// - the message download at 150 ms round trip while media download beside it, against the same backup without
//   media; target ≥ 95% of the pacer's rate;
// - the peak resident memory of a backup whose media include one huge video, against the same backup without
//   media, each in a fresh process; target ≤ 50 MB more.

import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { Archive, arrayStatement, firstRow } from '../../app/archive';
import { type BackupSummary, runBackup } from '../../app/engine/backup';
import type { BackupApi } from '../../app/engine/context';
import { DEFAULT_RATE, Pacer } from '../../app/engine/pacer';
import { ImClient } from '../../app/im/client';
import { MediaDownloader } from '../../app/media/downloader';
import { DEFAULT_MEDIA_POLICY } from '../../app/media/policy';
import type { EmulatorOptions } from '../emulator';
import { startEmulatorProcess } from '../emulator/process';

const APP = { sdkAppId: 1400000950, secretKey: 'media-bench-secret', admins: ['administrator'] };
const CHILD = fileURLToPath(new URL('./media-child.ts', import.meta.url));
const POLICY = { ...DEFAULT_MEDIA_POLICY, maxBytes: 1024 ** 3, diskFloorBytes: 0 };

export interface MediaBenchResult {
  throughput: { limit: number; files: number; bytes: number; downloaderBps: number; sequentialBps: number };
  messages: { latencyMs: number; messages: number; withoutMedia: number; withMedia: number; mediaStoredMeanwhile: number; mediaBytesMeanwhile: number };
  memory: { videoBytes: number; withoutMedia: number; withMedia: number; mediaStoredBytes: number };
}

export async function benchMedia(quick: boolean): Promise<MediaBenchResult> {
  return {
    throughput: await throughput(quick ? 5_000_000 : 20_000_000, quick ? 150 : 400, quick ? 512 * 1024 : 2 * 1024 ** 2),
    messages: await messagesBeside(quick ? 3000 : 20_000),
    memory: await memory(quick ? 50 * 1024 ** 2 : 500 * 1024 ** 2),
  };
}

async function withEmulator<T>(opts: Omit<EmulatorOptions, 'apps'>, groups: EmulatorOptions['apps'][number]['groups'], fn: (client: ImClient, dir: string, url: string) => Promise<T>): Promise<T> {
  const emulator = await startEmulatorProcess({ apps: [{ ...APP, groups }], ...opts });
  const dir = await mkdtemp(join(tmpdir(), 'tim-media-bench-'));
  try {
    return await fn(new ImClient({ endpoint: emulator.url, sdkAppId: APP.sdkAppId, identifier: APP.admins[0]!, secretKey: APP.secretKey }), dir, emulator.url);
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function backup(client: ImClient, archive: Archive, groupId: string, extra: Partial<Parameters<typeof runBackup>[0]> = {}): Promise<BackupSummary> {
  return runBackup({ api: client, archive, sdkAppId: APP.sdkAppId, pacer: new Pacer(), targets: [{ groupId }], ...extra });
}

async function throughput(limit: number, messages: number, maxBytes: number): Promise<MediaBenchResult['throughput']> {
  return withEmulator({ mediaBandwidth: limit }, [{ groupId: 'tp', messages, seed: 7, media: { maxBytes } }], async (client, dir) => {
    const archive = await Archive.open(join(dir, 'tp.sqlite'), { create: true });
    try {
      await backup(client, archive, 'tp');
      const work = archive.mediaWork(1_000_000);
      // The baseline: one file after the other, each streamed to a file, nothing else.
      let t = performance.now();
      let bytes = 0;
      for (const [i, w] of work.entries()) {
        await new Promise<void>((resolve, reject) => {
          http.get(w.url, (res) => {
            res.on('data', (c: Buffer) => (bytes += c.length));
            pipeline(res, createWriteStream(join(dir, `seq-${i}`))).then(resolve, reject);
          }).once('error', reject);
        });
      }
      const sequentialBps = bytes / ((performance.now() - t) / 1000);
      t = performance.now();
      const summary = await new MediaDownloader({ archive, policy: POLICY, allowLoopback: true }).finish();
      const downloaderBps = summary.storedBytes / ((performance.now() - t) / 1000);
      // The backup read its members' profiles too: their avatars are in the work, counted apart.
      if (summary.stored + summary.avatars !== work.length) throw new Error(`media bench: stored ${summary.stored} files and ${summary.avatars} avatars of ${work.length}`);
      return { limit, files: work.length, bytes, downloaderBps, sequentialBps };
    } finally {
      await archive.close();
    }
  });
}

/**
 * Message requests per second: group_msg_get_simple calls from the first one sent to the last one answered (the
 * run itself goes on until the media are done, and reads the member list after the history). The media stored
 * meanwhile are counted from the downloader's events afterwards: counting them in the archive at each call (a scan
 * of the media table, several milliseconds at 20,000 messages) would itself slow the calls measured.
 */
async function historyRate(client: ImClient, archive: Archive, groupId: string, withMedia: boolean): Promise<{ rate: number; stored: number; bytes: number }> {
  let calls = 0;
  let first = Infinity;
  let last = 0;
  const storedAt: { key: string; at: number }[] = [];
  const counted: BackupApi = {
    groupMsgGetSimple: async (req) => {
      first = Math.min(first, performance.now());
      try {
        return await client.groupMsgGetSimple(req);
      } finally {
        calls++;
        last = performance.now();
      }
    },
    getGroupInfo: (ids) => client.getGroupInfo(ids),
    getTopic: (id) => client.getTopic(id),
    getGroupMemberInfo: (req) => client.getGroupMemberInfo(req),
    portraitGet: (accounts, tags) => client.portraitGet(accounts, tags),
  };
  const summary = await runBackup({
    api: counted,
    archive,
    sdkAppId: APP.sdkAppId,
    pacer: new Pacer(),
    targets: [{ groupId }],
    ...(withMedia ? { media: { policy: POLICY, allowLoopback: true, onEvent: (e) => e.type === 'settled' && e.state === 'stored' && storedAt.push({ key: e.key, at: performance.now() }) } } : {}),
  });
  if (summary.outcome !== 'ok') throw new Error(`media bench backup ${summary.outcome}: ${summary.error ?? ''}`);
  const meanwhile = storedAt.filter((s) => s.at <= last);
  const size = arrayStatement(archive.db, 'SELECT size FROM media WHERE key = ?');
  const bytes = meanwhile.reduce((n, s) => n + Number(firstRow(size, s.key)?.[0] ?? 0), 0);
  return { rate: calls / ((last - first) / 1000), stored: meanwhile.length, bytes };
}

async function messagesBeside(messages: number): Promise<MediaBenchResult['messages']> {
  const latencyMs = 150;
  // Media bandwidth low enough that downloads go on for the whole history phase.
  return withEmulator({ latencyMs, jitterMs: latencyMs / 10, mediaBandwidth: 8_000_000 }, [{ groupId: 'mb', messages, seed: 8, media: { maxBytes: 1024 ** 2 } }], async (client, dir) => {
    const plain = await Archive.open(join(dir, 'plain.sqlite'), { create: true });
    const without = await historyRate(client, plain, 'mb', false).finally(() => plain.close());
    const media = await Archive.open(join(dir, 'media.sqlite'), { create: true });
    const withMedia = await historyRate(client, media, 'mb', true).finally(() => media.close());
    return { latencyMs, messages, withoutMedia: without.rate, withMedia: withMedia.rate, mediaStoredMeanwhile: withMedia.stored, mediaBytesMeanwhile: withMedia.bytes };
  });
}

async function memory(videoBytes: number): Promise<MediaBenchResult['memory']> {
  return withEmulator({}, [{ groupId: 'big', messages: 300, seed: 9, media: { videoAt: { seq: 150, bytes: videoBytes } } }], async (_client, dir, url) => {
    const without = await child([url, String(APP.sdkAppId), APP.secretKey, join(dir, 'without.sqlite'), 'big', 'without-media']);
    const withMedia = await child([url, String(APP.sdkAppId), APP.secretKey, join(dir, 'with.sqlite'), 'big', 'with-media']);
    if (withMedia.stored < videoBytes) throw new Error(`media bench: the video was not stored (${withMedia.stored} bytes)`);
    return { videoBytes, withoutMedia: without.rss, withMedia: withMedia.rss, mediaStoredBytes: withMedia.stored };
  });
}

function child(args: string[]): Promise<{ rss: number; stored: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (code) => {
      const m = /@@RSS@@(\d+) (\d+)/.exec(out);
      if (code !== 0 || !m) return reject(new Error(`media bench child failed (exit ${code})`));
      resolve({ rss: Number(m[1]), stored: Number(m[2]) });
    });
  });
}

export const MEDIA_TARGETS = { throughputShare: 0.9, pacerShare: 0.95, extraRssBytes: 50 * 1024 ** 2, pacerRate: DEFAULT_RATE };
