// The benchmarks `npm run bench` knows, each with how to run it and how to report it as a table with its
// targets (the numbers the issues name) and its same-run baseline.

import { type DownloadResult, benchDownload } from './download.bench';
import { type ExportBenchResult, benchExport } from './export.bench';
import { benchMedia, MEDIA_TARGETS, type MediaBenchResult } from './media.bench';
import { benchPeople, type PeopleBenchResult } from './people.bench';
import { benchStartup, type StartupResult } from './startup.bench';
import { benchStorage, type StorageBenchResult, TARGETS as STORAGE_TARGETS } from './storage.bench';

export interface Section {
  title: string;
  lines: string[];
}

interface Bench<R> {
  run(quick: boolean): Promise<R>;
  report(result: R): Section;
}

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
/** Decimal megabytes per second, as bandwidths are quoted. */
const mbps = (bytesPerSecond: number) => `${(bytesPerSecond / 1e6).toFixed(1)} MB/s`;
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const ok = (met: boolean) => (met ? 'met' : '**NOT MET**');
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

/** 3,000 requests: 17 s at the pacer's rate. */
const DOWNLOAD_MESSAGES = 60_000;

const download: Bench<DownloadResult[]> = {
  run: (quick) => benchDownload(quick ? [0, 50] : [0, 50, 150], quick ? 2000 : DOWNLOAD_MESSAGES),
  report: (rows) => ({
    title: `Download: one group of ${n(DOWNLOAD_MESSAGES)} messages against the emulator`,
    lines: [
      'Pacer at its default 180 requests/s. Baseline: the documented loop (one request in flight, next ReqMsgSeq = smallest Seq − 1) against the same emulator at the same latency. Target at 150 ms: ≥ 95% of the pacer\'s rate and ≥ 20× the baseline. Share of the pacer\'s rate = requests ÷ the whole run, its fixed cost included (the group\'s information first, the check for messages that arrived meanwhile last: about three round trips, half a second at 150 ms; hence a group big enough to take 17 s, as a busy group\'s first backup does). Event-loop stalls: how long the engine\'s event loop was blocked beyond 11 ms at a time (its own storing, indexing and commits, or a busy machine), as a share of the run; the pacer makes up the calls that fell due meanwhile, at twice its pace and never more than its rate in any one-second window.',
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
          r.latencyMs === 150 ? ok(r.shareOfPacer >= 0.95 && r.speedup >= 20) : '',
        ]),
      ),
    ],
  }),
};

/** The archive sizes the storage bench builds: the 1M and 10M messages (STORAGE_LARGE overrides the second). */
const STORAGE_SIZES = (quick: boolean) => (quick ? [50_000, 100_000] : [1_000_000, Number(process.env.STORAGE_LARGE ?? 10_000_000)]);

const storage: Bench<StorageBenchResult[]> = {
  async run(quick) {
    const out: StorageBenchResult[] = [];
    for (const messages of STORAGE_SIZES(quick)) out.push(await benchStorage({ messages, baselineMessages: quick ? 50_000 : 1_000_000, log: (l) => process.stderr.write(`${l}\n`) }));
    return out;
  },
  report: (rs) => ({
    title: 'Archive storage (SQLite on the file, WAL): ingest, memory, open, commits, disk, search',
    lines: [
      `Generated chat (the search corpus: half Chinese, half English, ${rs[0]?.groups ?? 4} groups) stored through \`Archive.storeWindow\` in 20-message windows, as a backup stores them: derived columns, coverage, full-text index, a commit every 250 ms or 10,000 index rows. Ingest baseline = a bare INSERT of the same messages' JSON into the same kind of file (WAL, synchronous=NORMAL as the archive during a backup, a commit a second), measured in the same run. Backup session = a fresh process that opens the finished archive as the writer and stores ${n(rs[0]?.session.stored ?? 0)} new messages at the API's ceiling (4,000 a second, 10 windows every 50 ms as the engine stores them between grants, each after \`Archive.writable()\` as the engine awaits it); its commits (each with its full-text rows; the log is flushed to the disk by the checkpointer's thread) and its peak resident memory. Open = a fresh process, median of three, read-only and as the writer. Disk = the file after a clean close (SQLite folds the log into it) and the largest the write-ahead log got. Targets: ingest ≥ ${n(STORAGE_TARGETS.ingestPerSec)} msg/s, a backup's peak RSS ≤ 300 MB, open ≤ ${STORAGE_TARGETS.openMs} ms, commit p99 ≤ ${STORAGE_TARGETS.commitP99Ms} ms; search p50 ≤ 50 ms, p95 ≤ 200 ms, RSS ≤ 300 MB.`,
      '',
      row(['messages', 'ingest msg/s (per CPU-s)', 'baseline msg/s (per CPU-s)', 'ingest ÷ baseline', 'backup peak RSS', 'open reader / writer', 'commit p50 / p99 / max', 'file', 'WAL peak (build / backup)', 'targets']),
      row(['---', '---', '---', '---', '---', '---', '---', '---', '---', '---']),
      ...rs.map((r) =>
        row([
          n(r.messages),
          `${n(r.ingestPerSec)} (${n(r.ingestPerCpuSec)})`,
          `${n(r.baseline.perSec)} (${n(r.baseline.perCpuSec)})`,
          pct(r.ingestPerSec / r.baseline.perSec),
          mb(r.session.peakRss),
          `${r.open.readerMs.toFixed(1)} / ${r.open.writerMs.toFixed(1)} ms`,
          `${r.session.commitP50.toFixed(1)} / ${r.session.commitP99.toFixed(1)} / ${r.session.commitMax.toFixed(1)} ms`,
          mb(r.fileBytes),
          `${mb(r.buildWalPeak)} / ${mb(r.session.walPeak)}`,
          Object.values(r.met).every(Boolean) ? 'met' : `**NOT MET** (${Object.entries(r.met).filter(([, v]) => !v).map(([k]) => k).join(', ')})`,
        ]),
      ),
      '',
      ...rs.flatMap((r) => [
        `Search at ${n(r.messages)} messages (fresh read-only process, peak RSS ${mb(r.search.rss)}): first page of 50 hits with snippets, newest first, three times each after one untimed pass over every query; baseline = \`LIKE '%q%'\` for the same page. First pass: the slowest query of that pass, when the OS may have evicted the archive's pages since they were written (this machine does within minutes, and reads its disk slowly): what a search may cost right after a boot.`,
        '',
        row(['query class', 'p50', 'p95', 'LIKE p50', 'LIKE p95', 'first pass, slowest', 'target']),
        row(['---', '---', '---', '---', '---', '---', '---']),
        ...r.search.classes.map((c) => row([c.name, `${c.p50.toFixed(1)} ms`, `${c.p95.toFixed(1)} ms`, `${c.likeP50.toFixed(0)} ms`, `${c.likeP95.toFixed(0)} ms`, `${c.firstPassMax.toFixed(0)} ms`, ok(c.met)])),
        '',
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

/** The incremental run's people calls, as a share of its history calls, that the issue allows. */
const PEOPLE_TARGET = 0.05;

const people: Bench<PeopleBenchResult> = {
  run: (quick) => benchPeople(quick ? { members: 600, senders: 200, messages: 10_000 } : { members: 6000, senders: 2000, messages: 100_000 }),
  report: (r) => ({
    title: `People: REST calls for names on a ${n(r.members)}-member group with ${n(r.messages)} messages from ${n(r.senders)} senders`,
    lines: [
      `Against the emulator (in-process, no latency; calls are counted, not timed). History calls = group_msg_get_simple + get_group_info of the run, retries included; people calls = get_group_member_info pages (200 members each) + portrait_get batches (100 accounts each). Between the runs ${n(r.newMessages)} messages arrive (12 hours of a 30-day history) and 1% of the members each change their card, nick or avatar, leave, or join. Target: people ≤ ${pct(PEOPLE_TARGET)} of history calls on the incremental run.`,
      '',
      row(['run', 'history calls', 'member-list calls', 'profile calls', 'people ÷ history', 'target']),
      row(['---', '---', '---', '---', '---', '---']),
      ...r.scenarios.map((s, i) => row([s.name, n(s.historyCalls), n(s.memberCalls), n(s.profileCalls), pct(s.share), i === 1 ? ok(s.share <= PEOPLE_TARGET) : ''])),
    ],
  }),
};

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

/** Results come back from a child process as JSON: the registry only needs each bench's own pairing. */
const media: Bench<MediaBenchResult> = {
  run: (quick) => benchMedia(quick),
  report: (r) => {
    const t = r.throughput;
    const m = r.messages;
    const k = r.memory;
    const extra = k.withMedia - k.withoutMedia;
    return {
      title: 'Media: downloads beside the messages (images, files, voice, video)',
      lines: [
        `Throughput: ${n(t.files)} files (${mb(t.bytes)}) from the emulator over loopback, its bandwidth limited to ${mbps(t.limit)} for all downloads together; the downloader (4 at once, streaming to temporary files, sha256, flushed and renamed) against a plain sequential loop over the same URLs in the same run. Target ≥ ${pct(MEDIA_TARGETS.throughputShare)} of the limit.`,
        '',
        row(['limit', 'downloader', 'share of limit', 'sequential loop', 'share of limit', 'target']),
        row(['---', '---', '---', '---', '---', '---']),
        row([mbps(t.limit), mbps(t.downloaderBps), pct(t.downloaderBps / t.limit), mbps(t.sequentialBps), pct(t.sequentialBps / t.limit), ok(t.downloaderBps >= MEDIA_TARGETS.throughputShare * t.limit)]),
        '',
        `Messages while media download: one group of ${n(m.messages)} messages at ${m.latencyMs} ms round trip, the pacer at ${MEDIA_TARGETS.pacerRate} requests/s; requests per second until every message is stored, with media downloading beside them (media bandwidth limited to 8 MB/s so that they run the whole time) and without media, in the same run. Target with media ≥ ${pct(MEDIA_TARGETS.pacerShare)} of the pacer's rate; "with ÷ without" is what the media cost the messages (the engine's own rate at this latency is the download section's).`,
        '',
        row(['without media req/s', 'with media req/s', 'with ÷ without', 'share of pacer rate', 'media stored meanwhile', 'target']),
        row(['---', '---', '---', '---', '---', '---']),
        row([n(m.withoutMedia), n(m.withMedia), pct(m.withMedia / m.withoutMedia), pct(m.withMedia / MEDIA_TARGETS.pacerRate), `${n(m.mediaStoredMeanwhile)} files, ${mb(m.mediaBytesMeanwhile)}`, ok(m.withMedia >= MEDIA_TARGETS.pacerShare * MEDIA_TARGETS.pacerRate)]),
        '',
        `Memory: peak resident memory of a fresh process backing up 300 messages whose media include a ${mb(k.videoBytes)} video, against the same backup without media. Target ≤ ${mb(MEDIA_TARGETS.extraRssBytes)} more.`,
        '',
        row(['without media', 'with media', 'difference', 'media stored', 'target']),
        row(['---', '---', '---', '---', '---']),
        row([mb(k.withoutMedia), mb(k.withMedia), mb(extra), mb(k.mediaStoredBytes), ok(extra <= MEDIA_TARGETS.extraRssBytes)]),
      ],
    };
  },
};

const erase = <R>(b: Bench<R>) => b as unknown as Bench<unknown>;

export const BENCHES = { download: erase(download), media: erase(media), storage: erase(storage), export: erase(exporting), people: erase(people), startup: erase(startup) };
export type BenchName = keyof typeof BENCHES;
