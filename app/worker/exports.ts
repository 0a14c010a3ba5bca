// Exports running in the worker, each from its own read-only snapshot of the archive (a backup may be writing the
// archive meanwhile). The call answers at once with an ID; progress and the result arrive as events, and a window
// opened (or reloaded) meanwhile finds the exports still running with `running`.

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type Archive, valueOf } from '../archive';
import { exportArchive, type ExportFormat as EngineFormat, type MediaMode } from '../export';
import type { ExportArgs, ExportDone, ExportStarted, Profile, RunningExport } from '../ipc/contract';
import { filterWhere, type MessageFilter } from '../search/filter';
import type { ArchivePool } from './archives';
import type { SecretScrubber } from './errors';
import type { Emit } from './protocol';

interface Running {
  profile: string;
  /** The last progress reported. */
  state: RunningExport;
  finished: Promise<void>;
}

export interface ExportsOptions {
  /** The least time between two progress events of one export; default app/export's (100 ms). */
  progressIntervalMs?: number;
}

export class Exports {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly pool: ArchivePool,
    private readonly scrubber: SecretScrubber,
    private readonly emit: Emit,
    private readonly opts: ExportsOptions = {},
  ) {}

  async start(profile: Profile, args: Omit<ExportArgs, 'profile'>): Promise<ExportStarted> {
    // Opened before answering, so "no archive yet" or a damaged file is the call's own error.
    const snapshot = await this.pool.snapshot(profile.archivePath);
    const exportId = randomUUID();
    const state: RunningExport = { exportId, messages: 0 };
    const finished = this.run(profile.name, state, snapshot, args).finally(() => {
      this.running.delete(exportId);
      return snapshot.close();
    });
    this.running.set(exportId, { profile: profile.name, state, finished });
    return { exportId };
  }

  /** The profile's exports still running, with their last progress. */
  of(profile: string): RunningExport[] {
    return [...this.running.values()].filter((r) => r.profile === profile).map((r) => ({ ...r.state }));
  }

  /** Waits for exports in progress (they cannot be interrupted half-way without leaving a partial file). */
  async settle(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.finished));
  }

  private async run(profile: string, state: RunningExport, archive: Archive, args: Omit<ExportArgs, 'profile'>): Promise<void> {
    const { exportId } = state;
    const progress = (messages: number) => {
      state.messages = messages;
      this.emit('exportProgress', { profile, ...state });
    };
    try {
      state.total = countMessages(archive, args.filter);
      progress(0);
      const result = await exportArchive(archive, {
        // The contract names the formats itself (the renderer cannot import app/export); they must be the engine's.
        format: args.format satisfies EngineFormat,
        out: args.out,
        ...(args.replace !== undefined ? { force: args.replace } : {}),
        filter: args.filter,
        lang: args.lang,
        ...(args.timeZone !== undefined ? { timeZone: args.timeZone } : {}),
        ...(args.media !== undefined ? { media: args.media satisfies MediaMode } : {}),
        onProgress: progress,
        progressIntervalMs: this.opts.progressIntervalMs,
      });
      progress(result.messages);
      const done: ExportDone = {
        path: args.format === 'html' ? join(args.out, 'index.html') : args.out,
        messages: result.messages,
        groups: result.groups,
        ...(result.pages !== undefined ? { pages: result.pages } : {}),
        ...(result.damaged ? { damaged: result.damaged.length } : {}),
        mediaFiles: result.media.files,
        mediaBytes: result.media.bytes,
      };
      this.emit('exportDone', { profile, exportId, result: { ok: true, value: done } });
    } catch (err) {
      this.emit('exportDone', { profile, exportId, result: { ok: false, error: this.scrubber.toAppError(err) } });
    }
  }
}

function countMessages(archive: Archive, filter: MessageFilter): number {
  const where = filterWhere(filter, 'm');
  return Number(valueOf(archive.db, `SELECT count(*) FROM messages m WHERE ${where.sql}`, ...where.params) ?? 0);
}
