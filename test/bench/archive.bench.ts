// Archive scale: ingest rate (including the full-text index), then for the resulting archive its file size,
// checkpoint time, open time (read + quick_check, in a fresh process as at app start) and peak memory.
// Generated chat (test/archive/chat.ts), no network.
// Targets (brief C): ≥ 20,000 messages/s ingest; at 1,000,000 messages checkpoint ≤ 3 s, open ≤ 3 s, RSS ≤ 2 GB.

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Archive } from '../../app/archive';
import { LIMITS } from '../../app/im/wire';
import { chatWindow } from '../archive/chat';

export interface ArchiveBenchOptions {
  /** Messages to ingest in total (spread over `groups`). */
  messages?: number;
  groups?: number;
  /** Folder for the temporary archive (default: the OS temp folder). */
  dir?: string;
  log?: (line: string) => void;
}

export interface ArchiveBenchResult {
  messages: number;
  groups: number;
  avgRawBytes: number;
  avgTextBytes: number;
  ingestSeconds: number;
  ingestPerSec: number;
  /** The same rate over CPU time: what the archive costs when other processes share the cores. */
  ingestPerCpuSec: number;
  fileBytes: number;
  checkpointMs: number;
  /** A further checkpoint after one more window. */
  checkpointAgainMs: number;
  openMs: number;
  /** A two-character Chinese phrase query over the whole archive. */
  ftsQueryMs: number;
  ftsHits: number;
  /** process.memoryUsage().rss, sampled during every phase. */
  peakRssSampled: number;
  /** The operating system's high-water mark for this process (includes anything it did before). */
  peakRssOs: number;
  /** Resident memory of the fresh process that opened the archive, once open. */
  openRss: number;
  targets: { ingestPerSec: number; checkpointMs: number; openMs: number; peakRss: number };
  met: { ingest: boolean; checkpoint: boolean; open: boolean; rss: boolean };
}

const FIXTURE = fileURLToPath(new URL('../archive/fixtures/child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function runFixture(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', FIXTURE, ...args], { cwd: ROOT }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout))),
  );
}

const TARGETS = { ingestPerSec: 20_000, checkpointMs: 3000, openMs: 3000, peakRss: 2 * 1024 ** 3 };

export async function benchArchive(opts: ArchiveBenchOptions = {}): Promise<ArchiveBenchResult> {
  const total = opts.messages ?? 1_000_000;
  const groups = opts.groups ?? 4;
  const log = opts.log ?? (() => undefined);
  const dir = await mkdtemp(join(opts.dir ?? tmpdir(), 'tim-archive-bench-'));
  const path = join(dir, 'bench.sqlite');
  let peakRss = 0;
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  // Sync work (ingest, export) starves timers, so phases also sample by hand.
  const sampler = setInterval(sample, 25);
  try {
    const archive = await Archive.open(path, { create: true });
    const runId = archive.beginRun();
    const perGroup = Math.ceil(total / groups);
    let stored = 0;
    let rawBytes = 0;
    let textBytes = 0;
    let texts = 0;
    let ingestMs = 0;
    let ingestCpuUs = 0;
    for (let g = 0; g < groups && stored < total; g++) {
      const gid = archive.upsertGroup({ sdkAppId: 1400000000, groupId: `@TGS#bench${g}`, newestSeq: perGroup });
      for (let lo = 1; lo <= perGroup && stored < total; lo += LIMITS.msgsPerCall) {
        const hi = Math.min(perGroup, lo + LIMITS.msgsPerCall - 1, lo + total - stored - 1);
        const msgs = chatWindow(g + 1, lo, hi);
        for (const m of msgs) {
          rawBytes += Buffer.byteLength(JSON.stringify(m));
          const text = m.MsgBody[0]?.MsgType === 'TIMTextElem' ? (m.MsgBody[0].MsgContent as { Text: string }).Text : undefined;
          if (text !== undefined) (textBytes += Buffer.byteLength(text)), texts++;
        }
        // Only the archive's work is timed, not the generator's.
        const t = performance.now();
        const cpu = process.cpuUsage();
        archive.storeWindow(gid, lo, hi, msgs, runId);
        const used = process.cpuUsage(cpu);
        ingestMs += performance.now() - t;
        ingestCpuUs += used.user + used.system;
        stored += msgs.length;
        if (stored % 100_000 < msgs.length) {
          sample();
          log(`ingested ${stored} (${Math.round(stored / (ingestMs / 1000))}/s)`);
        }
      }
    }
    archive.finishRun(runId, 'ok', { bench: true });
    sample();
    const saved = await archive.checkpoint();
    sample();
    log(`checkpoint ${saved.bytes} bytes in ${Math.round(saved.ms)} ms`);
    // The engine checkpoints every few seconds: later checkpoints of a session reuse their buffer.
    const gid = archive.groups()[0]!.gid;
    archive.storeWindow(gid, perGroup + 1, perGroup + LIMITS.msgsPerCall, chatWindow(1, perGroup + 1, perGroup + LIMITS.msgsPerCall), runId);
    const again = await archive.checkpoint();
    sample();
    const t1 = performance.now();
    const hits = archive.db.exec(`SELECT count(*) FROM message_fts WHERE message_fts MATCH '"你 好"'`)[0]?.values[0]?.[0];
    const ftsQueryMs = performance.now() - t1;
    await archive.close();
    sample();

    // Opening is what the app does at start, so it is measured in a fresh process.
    const opened = JSON.parse(await runFixture(['measure-open', path])) as { ms: number; rss: number };
    log(`open ${Math.round(opened.ms)} ms`);
    const openMs = opened.ms;

    const ingestPerSec = stored / (ingestMs / 1000);
    const peakRssOs = process.resourceUsage().maxRSS * 1024;
    return {
      messages: stored,
      groups,
      avgRawBytes: Math.round(rawBytes / stored),
      avgTextBytes: Math.round(textBytes / Math.max(1, texts)),
      ingestSeconds: ingestMs / 1000,
      ingestPerSec: Math.round(ingestPerSec),
      ingestPerCpuSec: Math.round(stored / (ingestCpuUs / 1e6)),
      fileBytes: saved.bytes,
      checkpointMs: Math.round(saved.ms),
      checkpointAgainMs: Math.round(again.ms),
      openMs: Math.round(openMs),
      ftsQueryMs: Math.round(ftsQueryMs * 10) / 10,
      ftsHits: Number(hits ?? 0),
      peakRssSampled: peakRss,
      peakRssOs,
      openRss: opened.rss,
      targets: TARGETS,
      met: {
        ingest: ingestPerSec >= TARGETS.ingestPerSec,
        checkpoint: saved.ms <= TARGETS.checkpointMs,
        open: openMs <= TARGETS.openMs,
        rss: Math.max(peakRss, peakRssOs, opened.rss) <= TARGETS.peakRss,
      },
    };
  } finally {
    clearInterval(sampler);
    await rm(dir, { recursive: true, force: true });
  }
}
