// The media tables (migration 7): which renditions the archived messages carry, what became of each, and the
// queries the downloader, `status` and `tim-backup media` ask. Writes run inside the Archive's transactions
// (recording inside storeWindow's, so a message and its media rows are committed together).

import type { GroupMsg } from '../im/wire';
import { type MediaRef, type MediaState, mediaRefsOf } from '../media/model';
import { initialState, type MediaPolicy } from '../media/policy';
import { KINDS } from './extract';
import { allRows, arrayStatement, type Db, firstRow, type Statement } from './sqlite';

/** A rendition the downloader is to fetch. */
export interface MediaWork {
  key: string;
  uuid: string;
  rendition: MediaRef['rendition'];
  kind: MediaRef['kind'];
  url: string;
  declaredSize: number;
  firstTime: number;
  attempts: number;
}

/** What a download came to; `attempts` counts every try, failed ones included. */
export type MediaOutcome =
  | { state: 'stored'; size: number; sha256: string; mime: string }
  | { state: 'expired' | 'failed' | 'too-large'; error: string };

/** Per state: renditions and bytes (stored: on disk; otherwise as declared). */
export type MediaCounts = Record<MediaState, { items: number; bytes: number }>;

/**
 * Per group (the one a rendition was first seen in, as the downloader counts it): renditions still to download,
 * those of them that failed, and the time (Unix seconds) of the oldest message carrying one — Tencent deletes a
 * message's files with the message, so that is the first to go.
 */
export interface MediaWaiting {
  waiting: number;
  failed: number;
  oldestTime: number;
}

/** A rendition not in the store, and why, for `tim-backup media`. */
export interface MissingMedia {
  key: string;
  state: Exclude<MediaState, 'stored'>;
  kind: MediaRef['kind'];
  rendition: MediaRef['rendition'];
  declaredSize: number;
  fileName: string | null;
  gid: number;
  seq: number;
  time: number;
  attempts: number;
  lastError: string | null;
}

const EARLIER_NOTE = 'media-recorded-before';
const MISSING = 'SELECT key, state, kind, rendition, declared_size, file_name, first_gid, first_seq, first_time, attempts, last_error FROM media';

const STATES: readonly MediaState[] = ['pending', 'stored', 'expired', 'failed', 'too-large', 'skipped', 'no-url'];

export class MediaTables {
  private readonly s: Record<'upsert' | 'link' | 'work' | 'workOf' | 'requeue' | 'stored' | 'settle' | 'attempt' | 'countsOf' | 'countsAll' | 'storedBytes' | 'waiting' | 'missing' | 'missingFailed' | 'earlier' | 'cursor' | 'setCursor', Statement>;

  constructor(db: Db) {
    const p = (sql: string) => arrayStatement(db, sql);
    this.s = {
      // A rendition seen again (a forward, another group, a newer answer) keeps its row; only a URL still to be
      // fetched is replaced by the newer one, whose signature is fresher.
      upsert: p(`
        INSERT INTO media (key, uuid, rendition, kind, state, url, declared_size, file_name, first_gid, first_seq, first_time, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET url = excluded.url, updated_at = excluded.updated_at
          WHERE media.state IN ('pending', 'failed') AND excluded.url IS NOT NULL AND media.url IS NOT excluded.url`),
      link: p('INSERT OR IGNORE INTO message_media (gid, seq, ord, key) VALUES (?, ?, ?, ?)'),
      work: p(`SELECT key, uuid, rendition, kind, url, declared_size, first_time, attempts FROM media
        WHERE state = 'pending' ORDER BY first_time, key LIMIT ?`),
      // Avatars (first_gid 0) belong to no group: any backup takes them, as it asked for the profiles.
      workOf: p(`SELECT key, uuid, rendition, kind, url, declared_size, first_time, attempts FROM media
        WHERE state = 'pending' AND (first_gid IN (SELECT value FROM json_each(?)) OR first_gid = 0) ORDER BY first_time, key LIMIT ?`),
      requeue: p(`UPDATE media SET state = 'pending', updated_at = ? WHERE state = 'failed'`),
      stored: p(`UPDATE media SET state = 'stored', size = ?, sha256 = ?, mime = ?, attempts = attempts + 1, last_error = NULL, updated_at = ? WHERE key = ?`),
      settle: p(`UPDATE media SET state = ?, attempts = attempts + 1, last_error = ?, updated_at = ? WHERE key = ?`),
      attempt: p(`UPDATE media SET attempts = attempts + 1, last_error = ?, updated_at = ? WHERE key = ?`),
      countsOf: p(`SELECT m.state, count(*), coalesce(sum(CASE WHEN m.state = 'stored' THEN m.size ELSE m.declared_size END), 0)
        FROM media m WHERE m.key IN (SELECT key FROM message_media WHERE gid = ?) GROUP BY m.state`),
      // The messages' media: `status` and `tim-backup media` speak of what messages carried, not of avatars.
      countsAll: p(`SELECT state, count(*), coalesce(sum(CASE WHEN state = 'stored' THEN size ELSE declared_size END), 0) FROM media WHERE rendition != 'avatar' GROUP BY state`),
      // Each stored file once: the store keeps one copy of the same bytes, however many renditions they are.
      storedBytes: p(`SELECT coalesce(sum(size), 0) FROM (SELECT DISTINCT sha256, size FROM media WHERE state = 'stored')`),
      waiting: p(`SELECT first_gid, count(*), sum(state = 'failed'), min(first_time) FROM media WHERE state IN ('pending', 'failed') GROUP BY first_gid`),
      // Messages archived before media were recorded (archives of earlier versions), after a cursor kept in notes.
      earlier: p(`SELECT id, gid, raw FROM messages m WHERE id > ? AND state = 0 AND kinds & ${KINDS.image | KINDS.file | KINDS.sound | KINDS.video | KINDS.relay} != 0
        AND NOT EXISTS (SELECT 1 FROM message_media mm WHERE mm.gid = m.gid AND mm.seq = m.seq) ORDER BY id LIMIT ?`),
      cursor: p(`SELECT value FROM notes WHERE key = '${EARLIER_NOTE}'`),
      setCursor: p(`INSERT INTO notes (key, value) VALUES ('${EARLIER_NOTE}', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
      missing: p(`${MISSING} WHERE state != 'stored' AND rendition != 'avatar' ORDER BY first_time, key`),
      missingFailed: p(`${MISSING} WHERE state = 'failed' AND rendition != 'avatar' ORDER BY first_time, key`),
    };
  }

  /** Records the renditions of a message just stored (or seen again): rows for new ones, fresher URLs for waiting ones. */
  record(gid: number, msg: GroupMsg, policy: MediaPolicy, now: number): number {
    const refs = mediaRefsOf(msg);
    refs.forEach((ref, ord) => {
      this.s.upsert.run(ref.key, ref.uuid, ref.rendition, ref.kind, initialState(ref, policy), ref.url ?? null, ref.declaredSize, ref.fileName ?? null, gid, msg.MsgSeq, msg.MsgTimeStamp, now);
      this.s.link.run(gid, msg.MsgSeq, ord, ref.key);
    });
    return refs.length;
  }

  /** Records a person's avatar (./../media/avatar.ts) seen at `now` (ms): a row for a URL not seen before. */
  recordAvatar(ref: MediaRef, policy: MediaPolicy, now: number): void {
    this.s.upsert.run(ref.key, ref.uuid, ref.rendition, ref.kind, initialState(ref, policy), ref.url ?? null, 0, null, 0, 0, Math.floor(now / 1000), now);
  }

  /**
   * Records the media of up to `batch` messages archived before this version recorded media; false once there are
   * none left (then never looks again). Messages stored since are recorded as they are stored.
   */
  recordEarlier(policy: MediaPolicy, batch: number, now: number): boolean {
    const cursor = String(firstRow(this.s.cursor)?.[0] ?? '0');
    if (cursor === 'done') return false;
    const rows = allRows(this.s.earlier, Number(cursor), batch);
    for (const [, gid, raw] of rows) this.record(Number(gid), JSON.parse(raw as string) as GroupMsg, policy, now);
    this.s.setCursor.run(rows.length < batch ? 'done' : String(rows[rows.length - 1]![0]));
    return rows.length === batch;
  }

  /** The oldest pending renditions (they expire first at Tencent). */
  work(limit: number, gids?: readonly number[]): MediaWork[] {
    const rows = gids ? allRows(this.s.workOf, JSON.stringify(gids), limit) : allRows(this.s.work, limit);
    return rows.map(([key, uuid, rendition, kind, url, declared, first, attempts]) => ({
      key: key as string,
      uuid: uuid as string,
      rendition: rendition as MediaRef['rendition'],
      kind: kind as MediaRef['kind'],
      url: url as string,
      declaredSize: Number(declared),
      firstTime: Number(first),
      attempts: Number(attempts),
    }));
  }

  /** Failed renditions become pending again (a new run, or `tim-backup media retry`); returns how many. */
  requeueFailed(now: number): number {
    return Number(this.s.requeue.run(now).changes);
  }

  settle(key: string, outcome: MediaOutcome, now: number): void {
    if (outcome.state === 'stored') this.s.stored.run(outcome.size, outcome.sha256, outcome.mime, now, key);
    else this.s.settle.run(outcome.state, outcome.error, now, key);
  }

  /** A try that failed and will be tried again in this run. */
  attempted(key: string, error: string, now: number): void {
    this.s.attempt.run(error, now, key);
  }

  /** Per state, of the renditions the messages of a group carry (every group: gid undefined). */
  counts(gid?: number): MediaCounts {
    const out = Object.fromEntries(STATES.map((s) => [s, { items: 0, bytes: 0 }])) as MediaCounts;
    const rows = gid === undefined ? allRows(this.s.countsAll) : allRows(this.s.countsOf, gid);
    for (const [state, items, bytes] of rows) out[state as MediaState] = { items: Number(items), bytes: Number(bytes) };
    return out;
  }

  /** What the stored files take in the store: each distinct file once. */
  storedBytes(): number {
    return Number(firstRow(this.s.storedBytes)?.[0] ?? 0);
  }

  /** Renditions not downloaded yet (pending or failed), by the group they were first seen in. */
  waiting(): Map<number, MediaWaiting> {
    return new Map(allRows(this.s.waiting).map(([gid, waiting, failed, oldest]) => [Number(gid), { waiting: Number(waiting), failed: Number(failed), oldestTime: Number(oldest) }]));
  }

  /** Every rendition not in the store (or only the failed ones), oldest first. */
  missing(failedOnly: boolean): MissingMedia[] {
    return allRows(failedOnly ? this.s.missingFailed : this.s.missing).map(([key, state, kind, rendition, declared, fileName, gid, seq, time, attempts, lastError]) => ({
      key: key as string,
      state: state as MissingMedia['state'],
      kind: kind as MediaRef['kind'],
      rendition: rendition as MediaRef['rendition'],
      declaredSize: Number(declared),
      fileName: fileName as string | null,
      gid: Number(gid),
      seq: Number(seq),
      time: Number(time),
      attempts: Number(attempts),
      lastError: lastError as string | null,
    }));
  }
}
