// Download throughput: the engine against the documented one-request-at-a-time loop, both against the
// emulator with the same latency, in the same run. The engine is judged as a share of the pacer's rate
// (Tencent's limit is the real ceiling, not our CPU) and as a multiple of the sequential baseline.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Archive } from '../../app/archive';
import { runBackup } from '../../app/engine/backup';
import { DEFAULT_RATE, Pacer } from '../../app/engine/pacer';
import { ImClient } from '../../app/im/client';
import { startEmulatorProcess } from '../emulator/process';

const APP = { sdkAppId: 1400000900, secretKey: 'bench-secret', admins: ['administrator'] };

export interface DownloadResult {
  latencyMs: number;
  messages: number;
  engineSeconds: number;
  engineMsgPerSec: number;
  engineReqPerSec: number;
  shareOfPacer: number;
  rateLimited: number;
  sequentialReqPerSec: number;
  sequentialMsgPerSec: number;
  speedup: number;
  /**
   * How long the engine's event loop was blocked beyond two pacer intervals at a time: its own synchronous work
   * (storing, indexing, commits) or a busy machine. The pacer makes these up afterwards, within its window.
   */
  stalledMs: number;
}

const TICK_MS = 5;

/** Sums the event loop's lateness beyond `graceMs`, sampled every few milliseconds, until stopped. */
function stallMeter(graceMs: number): () => number {
  let last = performance.now();
  let stalled = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stalled += Math.max(0, now - last - TICK_MS - graceMs);
    last = now;
  }, TICK_MS);
  return () => {
    clearInterval(timer);
    return stalled;
  };
}

/**
 * The documented loop: first pull without ReqMsgSeq, then smallest Seq − 1; one request in flight, through the
 * same pacer (without it, at 0 ms latency it would simply break Tencent's limit).
 */
async function sequentialBaseline(client: ImClient, groupId: string, budgetMs: number): Promise<{ requests: number; messages: number; seconds: number }> {
  const start = performance.now();
  let requests = 0;
  let messages = 0;
  let seq: number | undefined;
  const pacer = new Pacer();
  while (performance.now() - start < budgetMs) {
    await pacer.acquire();
    const res = await client.groupMsgGetSimple({ GroupId: groupId, ReqMsgNumber: 20, WithRecalledMsg: 1, ...(seq !== undefined ? { ReqMsgSeq: seq } : {}) });
    requests++;
    messages += res.RspMsgList.length;
    const smallest = Math.min(...res.RspMsgList.map((m) => m.MsgSeq));
    if (!Number.isFinite(smallest) || smallest <= 1) break;
    seq = smallest - 1;
  }
  return { requests, messages, seconds: (performance.now() - start) / 1000 };
}

export async function benchDownload(latencies = [0, 50, 150], messages = 20_000): Promise<DownloadResult[]> {
  const results: DownloadResult[] = [];
  for (const latencyMs of latencies) {
    const groupId = `bench-${latencyMs}`;
    const emulator = await startEmulatorProcess({ apps: [{ ...APP, groups: [{ groupId, messages, seed: 42 }] }], latencyMs, jitterMs: latencyMs / 10 });
    const dir = await mkdtemp(join(tmpdir(), 'tim-bench-'));
    const client = new ImClient({ endpoint: emulator.url, sdkAppId: APP.sdkAppId, identifier: APP.admins[0]!, secretKey: APP.secretKey });
    try {
      // The baseline is measured over a time budget (a full sequential pass at 150 ms would take minutes);
      // its rate is what matters.
      const seq = await sequentialBaseline(client, groupId, latencyMs === 0 ? 3000 : 8000);
      const archive = await Archive.open(join(dir, 'a.sqlite'), { create: true });
      const stalls = stallMeter((2 * 1000) / DEFAULT_RATE);
      const summary = await runBackup({ api: client, archive, sdkAppId: APP.sdkAppId, pacer: new Pacer(), targets: [{ groupId }] });
      const stalledMs = stalls();
      await archive.close();
      if (summary.outcome !== 'ok') throw new Error(`bench backup ${summary.outcome}: ${summary.error ?? ''}`);
      const seconds = summary.elapsedMs / 1000;
      const reqPerSec = summary.requests / seconds;
      const seqReqPerSec = seq.requests / seq.seconds;
      results.push({
        latencyMs,
        messages: summary.messagesStored,
        engineSeconds: seconds,
        engineMsgPerSec: summary.messagesStored / seconds,
        engineReqPerSec: reqPerSec,
        shareOfPacer: reqPerSec / DEFAULT_RATE,
        rateLimited: summary.rateLimited,
        sequentialReqPerSec: seqReqPerSec,
        sequentialMsgPerSec: seq.messages / seq.seconds,
        speedup: reqPerSec / seqReqPerSec,
        stalledMs,
      });
    } finally {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
  }
  return results;
}
