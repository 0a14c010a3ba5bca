// The benchmarks `npm run bench` knows, each with how to run it and how to report it as a table with its
// targets (the numbers the issues name) and its same-run baseline.

import { type ArchiveBenchResult, benchArchive } from './archive.bench';
import { type DownloadResult, benchDownload } from './download.bench';
import { type ExportBenchResult, benchExport } from './export.bench';
import { benchIngestBaseline } from './ingest-baseline.bench';
import { type SearchBenchResult, benchSearch } from './search.bench';
import { type StartupResult, benchStartup } from './startup.bench';

export interface Section {
  title: string;
  lines: string[];
}

interface Bench<R> {
  run(quick: boolean): Promise<R>;
  report(result: R): Section;
}

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const ok = (met: boolean) => (met ? 'met' : '**NOT MET**');
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

const download: Bench<DownloadResult[]> = {
  run: (quick) => benchDownload(quick ? [0, 50] : [0, 50, 150], quick ? 2000 : 20_000),
  report: (rows) => ({
    title: 'Download: one group of 20,000 messages against the emulator',
    lines: [
      'Pacer at its default 180 requests/s. Baseline: the documented loop (one request in flight, next ReqMsgSeq = smallest Seq − 1) against the same emulator at the same latency. Target at 150 ms: ≥ 90% of the pacer\'s rate and ≥ 20× the baseline. Event-loop stalls: how long the engine\'s event loop was blocked beyond the two intervals (11 ms) the pacer makes up, as a share of the run — grants lost to its own storing, indexing and checkpoints, or to a busy machine; a late grant cannot be made up later without crowding a second.',
      '',
      row(['latency', 'engine msg/s', 'engine req/s', 'share of pacer rate', 'sequential req/s', 'engine ÷ sequential', '60007 answers', 'event-loop stalls', 'target']),
      row(['---', '---', '---', '---', '---', '---', '---', '---', '---']),
      ...rows.map((r) =>
        row([
          `${r.latencyMs} ms`,
          n(r.engineMsgPerSec),
          n(r.engineReqPerSec),
          pct(r.shareOfPacer),
          n(r.sequentialReqPerSec),
          `${r.speedup.toFixed(1)}×`,
          r.rateLimited,
          `${n(r.stalledMs)} ms (${pct(r.stalledMs / 1000 / r.engineSeconds)})`,
          r.latencyMs === 150 ? ok(r.shareOfPacer >= 0.9 && r.speedup >= 20) : '',
        ]),
      ),
    ],
  }),
};

interface IngestResult {
  baseline: { messages: number; perSec: number };
  archive: ArchiveBenchResult;
}
const ingest: Bench<IngestResult> = {
  async run(quick) {
    const messages = quick ? 20_000 : 200_000;
    return { baseline: await benchIngestBaseline(messages), archive: await benchArchive({ messages, groups: 2 }) };
  },
  report: ({ baseline, archive }) => ({
    title: 'Ingest: messages into the archive, without the network',
    lines: [
      'Archive = `Archive.storeWindow` for 20-message windows: derived columns, coverage, and the full-text index. Baseline = a bare INSERT of the same raw JSON, one transaction per window. Target ≥ 20,000 messages/s (5× the API\'s ceiling of 4,000/s).',
      '',
      row(['messages', 'archive msg/s', 'baseline msg/s', 'archive ÷ baseline', 'target']),
      row(['---', '---', '---', '---', '---']),
      row([n(archive.messages), n(archive.ingestPerSec), n(baseline.perSec), pct(archive.ingestPerSec / baseline.perSec), ok(archive.met.ingest)]),
    ],
  }),
};

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const archive: Bench<ArchiveBenchResult> = {
  run: (quick) => benchArchive({ messages: quick ? 50_000 : 1_000_000 }),
  report: (r) => ({
    title: `Archive at ${n(r.messages)} messages`,
    lines: [
      `Generated chat, half Chinese and half English, ${r.avgRawBytes} bytes of JSON per message on average, built as the engine does (a checkpoint every 5 s of ingest; the slowest took ${secs(r.buildCheckpointMaxMs)}). Checkpoint = a backup session on the finished archive in a fresh process: ${n(r.intervalMessages)} new messages per 5-s interval (the API's ceiling), then checksums of every page, the changed pages patched into the shadow copy + fsync + rename over the archive + fsync folder; the slowest of ${r.sessionCheckpoints.length} intervals (written per interval: ${r.sessionCheckpoints.map((c) => mb(c.written)).join(', ')}). Whole write = the same checkpoint with no shadow to patch (first save, failed seed copy, a drive without hard links): the whole file copied, written and flushed. Open = in a fresh process, median of three: read + page checksums + seal (${r.openVerification}) + migrations check; without the seal (a copied archive) quick_check runs too. Writer open = the session's open, which also starts the shadow's seed copy in the background. Peak RSS: the largest of the building process and the two session processes.`,
      '',
      row(['file size', 'checkpoint', 'whole write', 'open', 'open, no seal', 'writer open', 'peak RSS', 'ingest msg/s', 'targets (checkpoint ≤ 3 s, open ≤ 3 s, ≤ 2 GB)']),
      row(['---', '---', '---', '---', '---', '---', '---', '---', '---']),
      row([
        mb(r.fileBytes),
        secs(r.checkpointMs),
        secs(r.fullWrite.ms),
        secs(r.openMs),
        secs(r.openCheckedMs),
        secs(r.writerOpenMs),
        mb(Math.max(r.peakRssSampled, r.peakRssOs, r.sessionRss, r.fullWriteRss)),
        n(r.ingestPerSec),
        [r.met.checkpoint, r.met.open, r.met.rss].every(Boolean) ? 'met' : `**NOT MET** (${JSON.stringify(r.met)})`,
      ]),
    ],
  }),
};

const exporting: Bench<ExportBenchResult> = {
  run: (quick) => benchExport({ messages: quick ? 20_000 : 100_000 }),
  report: (r) => {
    const rate = (f: string) => r.rates.find((x) => x.format === f);
    const base = rate('jsonl');
    return {
      title: `Export: ${n(r.messages)} messages`,
      lines: [
        'From an archive built by the emulator\'s generator (every element type, long and hostile messages). Baseline = the lossless JSONL export of the same messages (reading the archive at full speed). Targets: HTML ≥ 10,000 messages/s, peak RSS ≤ 500 MB.',
        '',
        row(['format', 'msg/s', 'msg per CPU-second', '÷ jsonl baseline']),
        row(['---', '---', '---', '---']),
        ...r.rates.map((x) => row([x.format, n(x.perSec), n(x.perCpuSec), base ? pct(x.perSec / base.perSec) : ''])),
        '',
        row(['HTML pages', 'largest page', 'peak RSS during HTML export', 'first contentful paint (largest page, Chromium)', 'load event', 'targets']),
        row(['---', '---', '---', '---', '---', '---']),
        row([r.pages, `${(r.largestPageBytes / 1024 ** 2).toFixed(2)} MB`, mb(r.peakRssDuringHtml), `${n(r.firstContentfulPaintMs)} ms`, `${n(r.loadEventMs)} ms`, r.met.rate && r.met.rss ? 'met' : `**NOT MET** (${JSON.stringify(r.met)})`]),
      ],
    };
  },
};

const search: Bench<SearchBenchResult> = {
  run: (quick) => benchSearch({ messages: quick ? 50_000 : 1_000_000 }),
  report: (r) => ({
    title: `Search: ${n(r.messages)} messages, half Chinese, half English`,
    lines: [
      'First page of 50 hits with snippets, newest first. Baseline = a plain `LIKE \'%q%\'` scan for the same page in the same run. Targets: p50 ≤ 50 ms and p95 ≤ 200 ms for every query class; ingest with the index ≥ 20,000 messages/s.',
      '',
      row(['query class', 'p50', 'p95', 'LIKE p50', 'LIKE p95', 'target']),
      row(['---', '---', '---', '---', '---', '---']),
      ...r.classes.map((c) => row([c.name, `${c.p50.toFixed(1)} ms`, `${c.p95.toFixed(1)} ms`, `${c.likeP50.toFixed(0)} ms`, `${c.likeP95.toFixed(0)} ms`, ok(c.met)])),
      '',
      row(['index size', 'archive file', 'ingest with index msg/s', 'index build msg/s', 'rebuild msg/s', 'ingest target']),
      row(['---', '---', '---', '---', '---', '---']),
      row([mb(r.indexBytes), mb(r.fileBytes), n(r.ingestPerSec), n(r.indexBuildPerSec), r.rebuildPerSec !== undefined ? n(r.rebuildPerSec) : '', ok(r.met.ingest)]),
    ],
  }),
};

/** Results come back from a child process as JSON: the registry only needs each bench's own pairing. */
const startup: Bench<StartupResult> = {
  run: (quick) => benchStartup(quick ? 3 : 15),
  report: (r) => {
    const floor = r.rows.find((x) => x.what === 'node -e 0')!;
    return {
      title: 'Command-line start-up',
      lines: [
        `Wall time of the whole process, median of ${r.runs} runs after one warm-up (and the fastest): \`--help\`, and \`status\` on an archive of one group of ${n(r.messages)} messages. "bundle" is what an install runs (out-cli/, built by \`prepare\`); "sources through tsx" is the development path (TIM_CLI_FROM_SOURCE=1, or any source newer than the bundle). Baseline: \`node -e 0\`, starting Node itself.`,
        '',
        row(['command', 'median', 'fastest', 'above node -e 0']),
        row(['---', '---', '---', '---']),
        ...r.rows.map((x) => row([x.what, `${n(x.medianMs)} ms`, `${n(x.minMs)} ms`, x === floor ? '' : `+${n(x.medianMs - floor.medianMs)} ms`])),
      ],
    };
  },
};

const erase = <R>(b: Bench<R>) => b as unknown as Bench<unknown>;

export const BENCHES = { download: erase(download), ingest: erase(ingest), archive: erase(archive), export: erase(exporting), search: erase(search), startup: erase(startup) };
export type BenchName = keyof typeof BENCHES;
