// A fresh process for the storage benchmark (./storage.bench.ts), started with `node --import tsx`:
//   open <path>                      open read-only and as the writer, three times each; print the medians and
//                                    the reader's resident memory once open.
//   session <path> <messages>        what a backup pays on this archive: open as the writer and store <messages>
//                                    new messages of every group at the API's ceiling (4,000 a second, 200
//                                    windows, stored 10 at a time every 50 ms as the engine stores them between
//                                    the pacer's grants); print each commit's duration, the peak resident memory
//                                    and the peak size of the write-ahead log.
//   search <path> <groups> <endTime> the search bench's query classes (./search.bench.ts) read-only, with the
//                                    process's peak resident memory.

import { statSync } from 'node:fs';
import { Archive } from '../../app/archive';
import { LIMITS } from '../../app/im/wire';
import { BENCH_CORPUS, corpusWindow } from '../search/corpus';
import { queryClasses } from './search.bench';

const API_MESSAGES_PER_SECOND = 4000;
const TICK_MS = 50;

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

async function measureOpen(path: string): Promise<void> {
  const reader: number[] = [];
  const writer: number[] = [];
  let rss = 0;
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    const r = await Archive.open(path, { readOnly: true });
    reader.push(performance.now() - t);
    rss = Math.max(rss, process.memoryUsage().rss);
    await r.close();
    t = performance.now();
    const w = await Archive.open(path);
    writer.push(performance.now() - t);
    await w.close();
  }
  process.stdout.write(JSON.stringify({ readerMs: median(reader), writerMs: median(writer), readerRss: rss }));
}

async function session(path: string, messages: number): Promise<void> {
  let peakRss = 0;
  let walPeak = 0;
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    try {
      walPeak = Math.max(walPeak, statSync(`${path}-wal`).size);
    } catch {
      // no log yet
    }
  };
  const sampler = setInterval(sample, 25);
  const commits: number[] = [];
  const archive = await Archive.open(path, { onCommit: (ms) => commits.push(ms) });
  const groups = archive.groups();
  const runId = archive.beginRun();
  const next = new Map(groups.map((g) => [g.gid, (archive.coverage(g.gid).covered.at(-1)?.hi ?? 0) + 1]));
  let stored = 0;
  const windowsPerTick = (API_MESSAGES_PER_SECOND / LIMITS.msgsPerCall) * (TICK_MS / 1000);
  while (stored < messages) {
    const tick = performance.now();
    for (let w = 0; w < windowsPerTick && stored < messages; w++) {
      const g = groups[w % groups.length]!;
      const lo = next.get(g.gid)!;
      const hi = lo + LIMITS.msgsPerCall - 1;
      const corpus = { ...BENCH_CORPUS, seed: BENCH_CORPUS.seed + (g.gid - 1), secondsPerMessage: BENCH_CORPUS.secondsPerMessage * groups.length };
      // As the engine: storing waits while the archive's log starts over.
      await archive.writable();
      archive.storeWindow(g.gid, lo, hi, corpusWindow(corpus, lo, hi), runId);
      next.set(g.gid, hi + 1);
      stored += LIMITS.msgsPerCall;
      sample();
    }
    await new Promise((r) => setTimeout(r, Math.max(0, TICK_MS - (performance.now() - tick))));
  }
  archive.finishRun(runId, 'ok', { bench: true });
  archive.commit();
  sample();
  await archive.close();
  clearInterval(sampler);
  process.stdout.write(JSON.stringify({ stored, commits, peakRss, walPeak }));
}

async function searchClasses(path: string, groups: number, endTime: number): Promise<void> {
  const archive = await Archive.open(path, { readOnly: true });
  let rss = process.memoryUsage().rss;
  const classes = queryClasses(archive, groups, endTime, 3, () => (rss = Math.max(rss, process.memoryUsage().rss)));
  await archive.close();
  process.stdout.write(JSON.stringify({ classes, rss }));
}

const [mode, path, ...args] = process.argv.slice(2);
if (mode === 'open') await measureOpen(path!);
else if (mode === 'session') await session(path!, Number(args[0]));
else if (mode === 'search') await searchClasses(path!, Number(args[0]), Number(args[1]));
else throw new Error(`unknown mode ${mode}`);
