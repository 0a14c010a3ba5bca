// Everything the CLI prints goes through here: human tables and progress on a terminal, plain lines
// elsewhere, JSON on stdout with --json. Errors are printed by message only: our error types are written
// for people and never carry secrets, and a stack trace helps no community manager.

import type { Archive } from '../archive';
import type { Said } from '../errors/said';
import type { RunProgress } from '../engine/progress';
import type { Lang } from '../export';
import { EXIT } from './exit';
import type { Failure } from './failure';
import { count } from '../schedule/history';
import { cliWords, formatDuration } from './words';

export { formatDuration };

/** "1 group", "1,234 messages": the run history's wording, for every count the CLI prints. */
export { count };

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A failure as --json promises it (an object on stdout), or as a line on stderr; returns its exit code. */
const SEE_HELP: Said = { en: 'Run "tim-backup --help" for usage.', 'zh-CN': '运行“tim-backup --help”查看用法。' };

export function printFailure(f: Failure, json: boolean, lang: Lang): number {
  if (json) printJson({ error: { code: f.code, message: f.message, exitCode: f.exitCode } });
  else {
    process.stderr.write(`tim-backup: ${f.message}\n`);
    if (f.exitCode === EXIT.usage && f.code === 'usage') process.stderr.write(`${SEE_HELP[lang]}\n`);
  }
  return f.exitCode;
}


/** Left-aligned columns, widths by display width so Chinese names line up. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(widths[i]! - width(c))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

/** Groups a run has finished with, one way or another. */
const SETTLED = new Set(['done', 'partial', 'skipped', 'stopped']);

/**
 * One-line summary of where a run stands, used by both the live bar and the plain log lines: in messages, groups
 * and time (the engine's 20-message requests only set the percentage).
 */
export function progressLine(p: RunProgress, words = cliWords()): string {
  const settled = p.windowsDone + p.windowsFailed;
  return words.progress({
    percent: p.windowsTotal > 0 ? Math.floor((100 * settled) / p.windowsTotal) : 0,
    newMessages: p.messagesStored,
    groupsDone: p.groups.filter((g) => SETTLED.has(g.state)).length,
    groups: p.groups.length,
    messagesPerSecond: p.messagesPerSecond,
    ...(p.etaSeconds !== undefined ? { etaSeconds: p.etaSeconds } : {}),
    retries: p.retries,
    failed: p.windowsFailed,
    rateLimited: p.rateLimited,
  });
}

const localTime = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short' });

/** A moment as local date and time (TZ decides the zone), "2026-06-01 09:30": sortable, and clear in any language. */
export function formatTime(ms: number): string {
  return localTime.format(ms);
}


/** Progress on stderr: a redrawn bar on a terminal, a plain line every few seconds otherwise. */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): { update(p: RunProgress): void; end(): void } {
  const tty = stream.isTTY === true;
  let lastPlain = 0;
  let drawn = false;
  return {
    update(p) {
      if (tty) {
        const settled = p.windowsDone + p.windowsFailed;
        const frac = p.windowsTotal > 0 ? settled / p.windowsTotal : 0;
        const bar = '█'.repeat(Math.round(frac * 24)).padEnd(24, '░');
        stream.write(`\r\x1b[2K${bar} ${progressLine(p)}`);
        drawn = true;
      } else if (p.done || p.elapsedMs - lastPlain >= 5000) {
        lastPlain = p.elapsedMs;
        stream.write(`${progressLine(p)}\n`);
      }
    },
    end() {
      if (drawn) stream.write('\n');
    },
  };
}

/** Once per archive: its drive cannot use a write-ahead log, so readers wait while a backup commits. */
export function tellJournal(archive: Archive): void {
  if (!archive.journal.tellOwner) return;
  process.stderr.write(
    `tim-backup: note: the archive ${archive.path} uses SQLite's rollback journal because ${archive.journal.reason}. It is just as safe, but searches and exports wait while a backup saves, and another program reading the archive holds the backup up. A local drive avoids this. (Shown once for this archive.)\n`,
  );
  archive.journalToldOwner();
}

/** Message text may hold terminal escapes and bidi overrides; only our own highlighting may reach the terminal. */
export function printable(s: string): string {
  return s.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, ' ');
}
