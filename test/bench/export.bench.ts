// Export throughput and memory at 100,000 messages, with the JSONL export of the same archive in the same run as
// the baseline (it only reads the archive and writes each raw message: what reading costs). The archive is built
// in a separate process first, so the peak RSS is the export's own. Then the largest HTML page is opened in
// headless Chromium and its first contentful paint is reported.
// Targets (issue 5): HTML ≥ 10,000 messages/s, peak RSS ≤ 500 MB; pages no larger than a few MB.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { Archive, valueOf } from '../../app/archive';
import { exportCsv } from '../../app/export/csv';
import { exportHtml } from '../../app/export/html-export';
import { exportJsonl } from '../../app/export/jsonl';
import { exportTxt } from '../../app/export/txt';

export interface ExportBenchOptions {
  messages?: number;
  groups?: number;
  /** Folder for the temporary archive and exports (default: the OS temp folder). */
  dir?: string;
  log?: (line: string) => void;
}

export interface FormatRate {
  format: 'jsonl' | 'html' | 'csv' | 'txt';
  messages: number;
  seconds: number;
  perSec: number;
  /** The same rate over this process's CPU time: what the export costs when other processes share the cores. */
  perCpuSec: number;
}

export interface ExportBenchResult {
  messages: number;
  groups: number;
  archiveBytes: number;
  /** jsonl first: the baseline. */
  rates: FormatRate[];
  pages: number;
  largestPageBytes: number;
  /** process.memoryUsage().rss sampled during the HTML export, and just before it. */
  rssBeforeHtml: number;
  peakRssDuringHtml: number;
  /** The OS's high-water mark for the whole benchmark process (archive open and every export). */
  peakRssOs: number;
  /** Opening the largest page from file:// in headless Chromium. */
  firstContentfulPaintMs: number;
  loadEventMs: number;
  targets: { perSec: number; peakRss: number };
  met: { rate: boolean; rss: boolean };
}

const TARGETS = { perSec: 10_000, peakRss: 500 * 1024 ** 2 };
const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export async function benchExport(opts: ExportBenchOptions = {}): Promise<ExportBenchResult> {
  const total = opts.messages ?? 100_000;
  const groups = opts.groups ?? 2;
  const log = opts.log ?? (() => undefined);
  const dir = await mkdtemp(join(opts.dir ?? tmpdir(), 'tim-export-bench-'));
  const path = join(dir, 'bench.sqlite');
  try {
    const t0 = performance.now();
    await buildArchive(path, total, groups);
    log(`archive of ${total} messages built in ${Math.round(performance.now() - t0)} ms`);
    const archive = await Archive.open(path, { readOnly: true });
    const archiveBytes = Number(valueOf(archive.db, 'SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()'));
    const rates: FormatRate[] = [];
    const timed = async (format: FormatRate['format'], run: () => Promise<{ messages: number }>) => {
      const t = performance.now();
      const cpu = process.cpuUsage();
      const r = await run();
      const seconds = (performance.now() - t) / 1000;
      const used = process.cpuUsage(cpu);
      rates.push({ format, messages: r.messages, seconds, perSec: Math.round(r.messages / seconds), perCpuSec: Math.round(r.messages / ((used.user + used.system) / 1e6)) });
      log(`${format}: ${r.messages} messages in ${seconds.toFixed(2)} s`);
    };
    await timed('jsonl', () => exportJsonl(archive, join(dir, 'all.jsonl')));

    const rssBeforeHtml = process.memoryUsage().rss;
    let peak = rssBeforeHtml;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    let html!: Awaited<ReturnType<typeof exportHtml>>;
    try {
      await timed('html', async () => (html = await exportHtml(archive, join(dir, 'html'), { lang: 'zh-CN', timeZone: 'Asia/Shanghai' })));
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    await timed('csv', () => exportCsv(archive, join(dir, 'all.csv'), { timeZone: 'Asia/Shanghai' }));
    await timed('txt', () => exportTxt(archive, join(dir, 'all.txt'), { lang: 'zh-CN', timeZone: 'Asia/Shanghai' }));
    await archive.close();
    const peakRssOs = process.resourceUsage().maxRSS * 1024;

    const paint = await firstPaint(join(dir, 'html', html.largestPage!));
    log(`largest page ${html.largestPage} (${html.largestPageBytes} bytes): first contentful paint ${paint.fcp} ms`);
    const htmlRate = rates.find((r) => r.format === 'html')!;
    return {
      messages: html.messages,
      groups,
      archiveBytes,
      rates,
      pages: html.pages,
      largestPageBytes: html.largestPageBytes,
      rssBeforeHtml,
      peakRssDuringHtml: peak,
      peakRssOs,
      firstContentfulPaintMs: paint.fcp,
      loadEventMs: paint.load,
      targets: TARGETS,
      met: { rate: htmlRate.perSec >= TARGETS.perSec, rss: Math.max(peak, peakRssOs) <= TARGETS.peakRss },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function buildArchive(path: string, messages: number, groups: number): Promise<void> {
  const script = fileURLToPath(new URL('../export/build-archive.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, path, String(messages), String(groups)], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`building the benchmark archive failed (exit ${code})`))));
  });
}

/** Median of three cold loads (a new page each time) of the page from file://. */
async function firstPaint(page: string): Promise<{ fcp: number; load: number }> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const runs: { fcp: number; load: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' });
      // A string, because this runs in the page: Node's types know no navigation timing.
      runs.push(
        (await tab.evaluate(`({
          fcp: Math.round(performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN),
          load: Math.round(performance.getEntriesByType('navigation')[0].loadEventEnd),
        })`)) as { fcp: number; load: number },
      );
      await context.close();
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
    return { fcp: median(runs.map((r) => r.fcp)), load: median(runs.map((r) => r.load)) };
  } finally {
    await browser.close();
  }
}
