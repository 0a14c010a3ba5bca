// Exports running in the worker, each from its own read-only snapshot of the archive (a backup may be writing the
// archive meanwhile). The call answers at once with an ID; progress and the result arrive as events.

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Archive } from '../archive';
import { exportArchive, type ExportFormat as EngineFormat } from '../export';
import type { ExportArgs, ExportDone, ExportStarted, Profile } from '../ipc/contract';
import { filterWhere, type MessageFilter } from '../search/filter';
import type { ArchivePool } from './archives';
import type { SecretScrubber } from './errors';
import type { Emit } from './protocol';

export class Exports {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly pool: ArchivePool,
    private readonly scrubber: SecretScrubber,
    private readonly emit: Emit,
  ) {}

  async start(profile: Profile, args: Omit<ExportArgs, 'profile'>): Promise<ExportStarted> {
    // Opened before answering, so "no archive yet" or a damaged file is the call's own error.
    const snapshot = await this.pool.snapshot(profile.archivePath);
    const exportId = randomUUID();
    const run = this.run(exportId, snapshot, args).finally(() => {
      this.running.delete(run);
      return snapshot.close();
    });
    this.running.add(run);
    return { exportId };
  }

  /** Waits for exports in progress (they cannot be interrupted half-way without leaving a partial file). */
  async settle(): Promise<void> {
    await Promise.all(this.running);
  }

  private async run(exportId: string, archive: Archive, args: Omit<ExportArgs, 'profile'>): Promise<void> {
    try {
      const total = countMessages(archive, args.filter);
      this.emit('exportProgress', { exportId, messages: 0, total });
      const result = await exportArchive(archive, {
        // The contract names the formats itself (the renderer cannot import app/export); they must be the engine's.
        format: args.format satisfies EngineFormat,
        out: args.out,
        filter: args.filter,
        lang: args.lang,
        ...(args.timeZone !== undefined ? { timeZone: args.timeZone } : {}),
      });
      this.emit('exportProgress', { exportId, messages: result.messages, total });
      const done: ExportDone = {
        path: args.format === 'html' ? join(args.out, 'index.html') : args.out,
        messages: result.messages,
        groups: result.groups,
        ...(result.pages !== undefined ? { pages: result.pages } : {}),
      };
      this.emit('exportDone', { exportId, result: { ok: true, value: done } });
    } catch (err) {
      this.emit('exportDone', { exportId, result: { ok: false, error: this.scrubber.toAppError(err) } });
    }
  }
}

function countMessages(archive: Archive, filter: MessageFilter): number {
  const where = filterWhere(filter, 'm');
  return Number(archive.db.exec(`SELECT count(*) FROM messages m WHERE ${where.sql}`, where.params)[0]?.values[0]?.[0] ?? 0);
}
