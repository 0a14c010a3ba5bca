// The archive: one sql.js SQLite database held in memory and saved to one file by atomic checkpoints. The
// schema and its invariants are described in ./README.md; this class is the only writer of those tables.

import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Database, SqlJsStatic, SqlValue, Statement } from 'sql.js';
import type { GroupInfo, GroupMember, GroupMsg } from '../im/wire';
import { indexForm } from '../search/normalize';
import { ArchiveError, archiveErrors, errorCode } from './errors';
import { describe, KINDS, type KindName, placeState } from './extract';
import { type FileOps, nodeFileOps, removeLeftovers, sidePaths } from './durable';
import { rebuildFts } from './fts';
import { HEADROOM, LiveImage, type ReadImage, readImage, withHeadroom } from './image';
import { idSecond, nextSlot, preferredId, SLOTS_PER_SECOND } from './ids';
import { acquireLock, type HeldLock, releaseLock } from './lock';
import { type Range, rangeSize, subtractRanges } from './ranges';
import { pageContent, type PageContent } from './pages';
import { migrate, SCHEMA_VERSION } from './schema';
import { sealMatches } from './seal';
import { Shadow } from './shadow';
import { loadSqlJs } from './sqljs';
import { pageSizeOf, verifyDatabase, verifyHeader } from './verify';

export type RunOutcome = 'running' | 'ok' | 'partial' | 'failed' | 'cancelled';
/**
 * How the file was vouched for at open: 'sealed' — byte for byte what a checkpoint of this program wrote, per
 * `<archive>.seal`, so quick_check was skipped; 'checked' — by quick_check; 'created' — a new archive.
 */
export type Verification = 'sealed' | 'checked' | 'created';
export type RangeStatus = 'covered' | 'expired' | 'failed';

export interface OpenOptions {
  /** Create a new archive when the file does not exist (writer mode only). */
  create?: boolean;
  /** Read without taking the writer lock; every write method then throws. */
  readOnly?: boolean;
  /** How checkpoints touch the disk; tests substitute failing operations. */
  fileOps?: FileOps;
}

export interface CheckpointResult {
  /** The archive file's size. */
  bytes: number;
  /** Bytes written to the disk: the changed pages, or the whole file when there was nothing to patch. */
  written: number;
  ms: number;
}

export interface StoreResult {
  /** Seqs that got their first row. */
  inserted: number;
  /** Seqs read back exactly as last seen. */
  unchanged: number;
  /** Seqs read back different from last seen (recalled, deleted, edited): recorded in message_changes. */
  changed: number;
}

export interface Coverage {
  covered: Range[];
  expired: Range[];
  failed: Range[];
}

export interface ArchiveStats {
  /** Rows in state 0: normal messages. */
  archived: number;
  /** Rows in state 1 (deleted, failed to store) or any state this version does not know. */
  placeholders: number;
  /** Rows in state 2; their content is kept when it was archived before the recall. */
  recalled: number;
  /** Covered Seqs without a row (never stored at Tencent, or recalled and not returned). */
  absent: number;
  /** Seqs in failed ranges. */
  failed: number;
  /** Seqs below the retention edge. */
  expired: number;
  newest?: number;
  oldest?: number;
  /** Rows carrying each element kind (a row with an image and text counts for both). */
  byKind: Record<KindName, number>;
}

export interface GroupRow {
  gid: number;
  sdkAppId: number;
  groupId: string;
  /** '' for a group without topics. */
  topicId: string;
  type?: string;
  name?: string;
  info?: GroupInfo;
  /** The newest Seq Tencent reported when the group was last looked at. */
  newestSeq?: number;
  /** When `info` was fetched, ms since the epoch. */
  infoAt?: number;
}

export interface GroupUpsert {
  sdkAppId: number;
  groupId: string;
  topicId?: string;
  info?: GroupInfo;
  newestSeq?: number;
}

interface ExistingRow {
  id: number;
  state: number;
  raw: string;
  lastRun: number | null;
}

interface RangeRow extends Range {
  rowid: number;
  runId: number | null;
  at: number;
  reason: string | null;
}

/**
 * Full-text rows written per FTS transaction (see index()). A flush of 2,000 holds the engine's thread for
 * 70–150 ms, which costs the 150 ms download about 5% of the pacer's rate (late grants are lost); batches of 200
 * win that back but leave a 12% larger file at a million messages (many small FTS segments), and opening it
 * then takes longer than 3 s. The file is what users keep, so the batch stays large.
 */
const INDEX_BATCH = 2000;
/** Writes (windows, mostly) per commit of the shared transaction (see write()). */
const WRITES_PER_COMMIT = 200;

const INTERRUPTED = JSON.stringify({ error: 'The run was interrupted: the program stopped before the run finished.' });

export class Archive {
  private readonly stmts: ReturnType<typeof prepareAll>;
  /** Bumped by every committed write; `dirty` compares it with the revision the last checkpoint saved. */
  private revision = 0;
  private savedRevision = 0;
  private saving: Promise<unknown> = Promise.resolve();
  private pendingIndex: [number, string][] = [];
  private closed = false;
  /** See write(). */
  private inTransaction = false;
  private writesInTransaction = 0;

  private constructor(
    readonly path: string,
    private readonly database: Database,
    private readonly lock: HeldLock | undefined,
    private readonly image: LiveImage,
    /** Writers only: the copy checkpoints patch (./shadow.ts). */
    private readonly shadow: Shadow | undefined,
    readonly verification: Verification,
  ) {
    this.stmts = prepareAll(database);
  }

  /**
   * Opens (or with `create`, creates and saves) the archive at `path`. An existing file must be a whole SQLite
   * database, ours, not newer than this version and pass quick_check (skipped when its seal shows it is exactly
   * what our last checkpoint wrote); it is upgraded in memory if older. Writers take `<path>.lock`. Failures are
   * ArchiveErrors, and never modify the file.
   */
  static async open(path: string, opts: OpenOptions = {}): Promise<Archive> {
    // Saving renames over the archive: a symbolic link would be replaced by a file, so work where it points.
    const file = await realpath(resolve(path)).catch(() => resolve(path));
    const readOnly = opts.readOnly ?? false;
    const SQL = await loadSqlJs();
    // A writer locks before reading: otherwise it could load a file another writer is about to replace.
    const lock = readOnly ? undefined : acquireLock(file);
    let db: Database | undefined;
    try {
      const existing = await readArchive(file, !readOnly && (opts.create ?? false), readOnly ? 0 : HEADROOM);
      let content: PageContent | undefined;
      let sealed = false;
      if (existing) {
        verifyHeader(file, existing.image);
        content = existing.content ?? pageContent(existing.image, pageSizeOf(existing.image));
        sealed = await sealMatches(sidePaths(file).seal, existing.image.length, content.pageSize, content.crcs);
      }
      const buffer = existing?.buffer ?? withHeadroom(blankImage(SQL), HEADROOM);
      db = new SQL.Database(buffer);
      if (existing && !sealed) verifyDatabase(file, db);
      // The database lives in WASM memory; durability comes from checkpoints, so SQLite's own journal only
      // needs to support ROLLBACK.
      db.exec('PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF');
      const from = migrate(db);
      const shadow = lock ? new Shadow(file, opts.fileOps ?? nodeFileOps, content) : undefined;
      const archive = new Archive(file, db, lock, new LiveImage(lock ? buffer : undefined), shadow, !existing ? 'created' : sealed ? 'sealed' : 'checked');
      if (!existing) {
        archive.revision++;
        await archive.checkpoint();
      } else if (shadow) {
        // An upgraded database differs from the file until the next checkpoint.
        if (from < SCHEMA_VERSION) archive.revision++;
        archive.settleInterruptedRuns();
        await removeLeftovers(file);
        shadow.seed();
      }
      return archive;
    } catch (err) {
      db?.close();
      if (lock) releaseLock(lock);
      throw err;
    }
  }

  /**
   * The sql.js handle, for search and export in this process. Reading it brings the full-text index up to date,
   * so take it when you query rather than keeping it across writes.
   */
  get db(): Database {
    this.settle();
    return this.database;
  }

  /** Changed since the last checkpoint. */
  get dirty(): boolean {
    return this.revision !== this.savedRevision;
  }

  get readOnly(): boolean {
    return this.lock === undefined;
  }

  // ---- groups, runs, members ----------------------------------------------------------------------------

  upsertGroup(g: GroupUpsert): number {
    const info = g.info;
    return this.write(() =>
      Number(
        this.one(this.stmts.upsertGroup, [
          g.sdkAppId,
          g.groupId,
          g.topicId ?? '',
          info ? 1 : 0,
          info && typeof info.Type === 'string' ? info.Type : null,
          info && typeof info.Name === 'string' ? info.Name : null,
          info ? JSON.stringify(info) : null,
          g.newestSeq ?? null,
          info ? Date.now() : null,
        ])![0],
      ),
    );
  }

  groups(): GroupRow[] {
    return this.all(this.stmts.listGroups, []).map(([gid, sdkAppId, groupId, topicId, type, name, info, newestSeq, infoAt]) => ({
      gid: Number(gid),
      sdkAppId: Number(sdkAppId),
      groupId: String(groupId),
      topicId: String(topicId),
      ...(type !== null ? { type: String(type) } : {}),
      ...(name !== null ? { name: String(name) } : {}),
      ...(info !== null ? { info: JSON.parse(String(info)) as GroupInfo } : {}),
      ...(newestSeq !== null ? { newestSeq: Number(newestSeq) } : {}),
      ...(infoAt !== null ? { infoAt: Number(infoAt) } : {}),
    }));
  }

  beginRun(): number {
    return this.write(() => Number(this.one(this.stmts.beginRun, [Date.now()])![0]));
  }

  finishRun(runId: number, outcome: RunOutcome, summary: unknown): void {
    this.write(() => {
      this.stmts.finishRun.run([Date.now(), outcome, JSON.stringify(summary) ?? null, runId]);
      if (this.database.getRowsModified() !== 1) throw new Error(`finishRun: the archive has no run ${runId}`);
    });
  }

  upsertMembers(gid: number, members: GroupMember[]): void {
    const now = Date.now();
    this.write(() => {
      for (const m of members) {
        this.stmts.upsertMember.run([
          gid,
          m.Member_Account,
          typeof m.NameCard === 'string' ? m.NameCard : null,
          typeof m.Role === 'string' ? m.Role : null,
          typeof m.JoinTime === 'number' ? m.JoinTime : null,
          JSON.stringify(m),
          now,
        ]);
      }
    });
  }

  upsertProfiles(sdkAppId: number, items: { account: string; nick: string }[]): void {
    const now = Date.now();
    this.write(() => {
      for (const p of items) this.stmts.upsertProfile.run([sdkAppId, p.account, p.nick, now]);
    });
  }

  // ---- messages and coverage ----------------------------------------------------------------------------

  /**
   * Atomically (one transaction): store the API's answer for [lo, hi] (msgs ⊆ that range; Seqs of the range
   * missing from msgs are holes) and mark [lo, hi] covered (removing any 'failed' or 'expired' overlap).
   * Idempotent: the same answer again changes nothing.
   */
  storeWindow(gid: number, lo: number, hi: number, msgs: GroupMsg[], runId: number): StoreResult {
    checkRange(lo, hi);
    for (const m of msgs) {
      const seq: unknown = m?.MsgSeq;
      if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < lo || seq > hi) {
        throw new RangeError(`storeWindow: message Seq ${String(seq)} is outside the window ${lo}-${hi}`);
      }
    }
    const result = this.write(() => {
      const counts: StoreResult = { inserted: 0, unchanged: 0, changed: 0 };
      const now = Date.now();
      for (const m of msgs) counts[this.storeMessage(gid, m, runId, now)]++;
      this.removeRange(gid, 'failed', lo, hi);
      this.removeRange(gid, 'expired', lo, hi);
      this.addRange(gid, 'covered', lo, hi, runId, now, null);
      return counts;
    });
    if (this.pendingIndex.length >= INDEX_BATCH) this.flushIndex();
    return result;
  }

  /** [lo, hi] lies below the retention edge: placeholders only, recorded as one range (covered Seqs stay covered). */
  markExpired(gid: number, lo: number, hi: number, runId: number): void {
    checkRange(lo, hi);
    this.write(() => {
      const now = Date.now();
      for (const piece of subtractRanges({ lo, hi }, this.overlapping(gid, 'covered', lo, hi))) {
        this.removeRange(gid, 'failed', piece.lo, piece.hi);
        this.addRange(gid, 'expired', piece.lo, piece.hi, runId, now, null);
      }
    });
  }

  /** [lo, hi] could not be fetched; a later storeWindow over it removes the mark. */
  markFailed(gid: number, lo: number, hi: number, runId: number, reason: string): void {
    checkRange(lo, hi);
    this.write(() => {
      const now = Date.now();
      const settled = [...this.overlapping(gid, 'covered', lo, hi), ...this.overlapping(gid, 'expired', lo, hi)];
      for (const piece of subtractRanges({ lo, hi }, settled)) this.addRange(gid, 'failed', piece.lo, piece.hi, runId, now, reason);
    });
  }

  coverage(gid: number): Coverage {
    return { covered: this.ranges(gid, 'covered'), expired: this.ranges(gid, 'expired'), failed: this.ranges(gid, 'failed') };
  }

  /** Seq sub-ranges of [lo, hi] neither covered nor expired: what a resumed run must still fetch. */
  gaps(gid: number, lo: number, hi: number): Range[] {
    if (hi < lo) return [];
    return subtractRanges({ lo, hi }, [...this.overlapping(gid, 'covered', lo, hi), ...this.overlapping(gid, 'expired', lo, hi)]);
  }

  stats(gid: number): ArchiveStats {
    const kindNames = Object.keys(KINDS) as KindName[];
    const row = this.one(this.stmts.stats, [gid])!;
    const [total, archived, recalled, oldest, newest] = row.map((v) => (v === null ? undefined : Number(v)));
    const cov = this.coverage(gid);
    const rows = total ?? 0;
    return {
      archived: archived ?? 0,
      placeholders: rows - (archived ?? 0) - (recalled ?? 0),
      recalled: recalled ?? 0,
      absent: rangeSize(cov.covered) - rows,
      failed: rangeSize(cov.failed),
      expired: rangeSize(cov.expired),
      ...(newest !== undefined ? { newest } : {}),
      ...(oldest !== undefined ? { oldest } : {}),
      byKind: Object.fromEntries(kindNames.map((k, i) => [k, Number(row[5 + i] ?? 0)])) as Record<KindName, number>,
    };
  }

  /** Recreates the full-text index from the stored messages (for migrations; search exposes it as rebuildIndex). */
  rebuildIndex(): { messages: number } {
    const messages = this.write(() => {
      const rows = rebuildFts(this.database);
      // One segment instead of hundreds: the fastest layout for queries, worth its cost once after a rebuild.
      this.database.exec("INSERT INTO message_fts (message_fts) VALUES ('optimize')");
      return rows;
    });
    // Queued rows are of messages the rebuild has just indexed.
    this.pendingIndex = [];
    return { messages };
  }

  // ---- saving --------------------------------------------------------------------------------------------

  /**
   * Durable checkpoint: the pages that changed are written into a copy of an earlier checkpoint beside the
   * archive, which is flushed and renamed over it (./shadow.ts). On failure the previous file is intact and an
   * ArchiveError ('disk-full' | 'unwritable') is thrown. Checkpoints run one at a time, in call order.
   */
  checkpoint(): Promise<CheckpointResult> {
    if (this.readOnly) return Promise.reject(this.readOnlyError());
    const next = this.saving.then(() => this.save());
    this.saving = next.catch(() => undefined);
    return next;
  }

  /** Waits for checkpoints in progress, optionally saves, then releases the lock. */
  async close(opts: { checkpoint?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    try {
      await this.saving;
      if (opts.checkpoint && !this.readOnly && this.dirty) await this.checkpoint();
    } finally {
      this.closed = true;
      this.database.close();
      this.image.release();
      await this.shadow?.discard();
      if (this.lock) releaseLock(this.lock);
    }
  }

  private async save(): Promise<CheckpointResult> {
    const started = performance.now();
    const shadow = this.shadow!;
    await shadow.ready();
    this.settle();
    const revision = this.revision;
    const live = this.image.capture(this.database);
    const patch = shadow.prepare(live ?? this.database.export(), live === undefined);
    await shadow.save(patch);
    this.savedRevision = revision;
    return { bytes: patch.length, written: patch.written, ms: performance.now() - started };
  }

  // ---- internals -----------------------------------------------------------------------------------------

  private storeMessage(gid: number, msg: GroupMsg, runId: number, now: number): keyof StoreResult {
    const s = this.stmts;
    const raw = JSON.stringify(msg);
    const state = placeState(msg);
    const d = describe(msg);
    const row = [gid, msg.MsgSeq, state, d.sender, d.time, d.kinds, d.isSystem ? 1 : 0, utf8(d.text), utf8(raw), runId, runId];
    // Almost every message gets its preferred id; when the insert does nothing, either the Seq is already stored
    // or another message holds that id, and only then is a free id looked for.
    let inserted = this.one(s.insertMessage, [preferredId(d.time, gid, msg.MsgSeq), ...row]);
    const existing = inserted ? undefined : this.existing(gid, msg.MsgSeq);
    if (!inserted && !existing) inserted = this.one(s.insertMessage, [this.freeId(d.time, gid, msg.MsgSeq), ...row]);
    if (inserted) {
      if (state === 0) this.index(Number(inserted[0]), d.searchable);
      return 'inserted';
    }
    if (!existing) throw new Error(`storeWindow: Seq ${msg.MsgSeq} could not be stored`);
    const lastSeen = this.one(s.lastChange, [gid, msg.MsgSeq])?.[0] ?? existing.raw;
    if (lastSeen === raw) {
      if (existing.lastRun !== runId) s.touchMessage.run([runId, existing.id]);
      return 'unchanged';
    }
    s.insertChange.run([gid, msg.MsgSeq, runId, now, existing.state, state, raw]);
    const hadContent = placeState(JSON.parse(existing.raw) as GroupMsg) === 0;
    if (!hadContent && state === 0) {
      // First content for a Seq seen before only as a placeholder: it becomes the archived original.
      // The placeholder's time may differ from the content's; the id follows the time (see ./ids.ts).
      const id = Math.floor(existing.id / SLOTS_PER_SECOND) === idSecond(d.time) ? existing.id : this.freeId(d.time, gid, msg.MsgSeq);
      s.replaceContent.run([id, state, d.sender, d.time, d.kinds, d.isSystem ? 1 : 0, d.text, raw, runId, existing.id]);
      this.index(id, d.searchable);
    } else {
      s.setState.run([state, runId, existing.id]);
    }
    return 'changed';
  }

  /**
   * One FTS row per message, queued when its content is first stored (contentless FTS4 cannot update it).
   * FTS4 writes a new index segment per transaction, which would cost more than the rest of the ingest at one
   * transaction per window; queued rows are written in batches, and always before a checkpoint or a read
   * through `db`, so neither the file nor a reader ever sees a message that search cannot find.
   */
  private index(id: number, searchable: string): void {
    if (searchable) this.pendingIndex.push([id, indexForm(searchable)]);
  }

  private flushIndex(): void {
    if (this.pendingIndex.length === 0) return;
    this.write(() => {
      for (const [id, body] of this.pendingIndex) this.stmts.insertFts.run([id, utf8(body)]);
    });
    this.pendingIndex = [];
  }

  /** The index complete and every write committed: what `db` readers and checkpoints need. */
  private settle(): void {
    if (this.closed) return;
    this.flushIndex();
    this.commit();
  }

  /** A time-major id (./ids.ts) no row holds yet. */
  private freeId(time: number, gid: number, seq: number): number {
    const first = preferredId(time, gid, seq);
    for (let id = first; ; ) {
      if (!this.one(this.stmts.idTaken, [id])) return id;
      id = nextSlot(id);
      if (id === first) throw new Error(`The archive already holds ${SLOTS_PER_SECOND} messages with the time stamp ${time}; Seq ${seq} cannot be stored.`);
    }
  }

  private existing(gid: number, seq: number): ExistingRow | undefined {
    const found = this.one(this.stmts.selectMessage, [gid, seq]);
    if (!found) return undefined;
    const [id, state, raw, lastRun] = found;
    return { id: Number(id), state: Number(state), raw: String(raw), lastRun: lastRun === null ? null : Number(lastRun) };
  }

  private ranges(gid: number, status: RangeStatus): Range[] {
    return this.all(this.stmts.listRanges, [gid, status]).map(([lo, hi]) => ({ lo: Number(lo), hi: Number(hi) }));
  }

  /** Ranges of `status` intersecting [lo, hi]. */
  private overlapping(gid: number, status: RangeStatus, lo: number, hi: number): RangeRow[] {
    return this.all(this.stmts.touchingRanges, [gid, status, hi, lo]).map(([rowid, rlo, rhi, runId, at, reason]) => ({
      rowid: Number(rowid),
      lo: Number(rlo),
      hi: Number(rhi),
      runId: runId === null ? null : Number(runId),
      at: Number(at),
      reason: reason === null ? null : String(reason),
    }));
  }

  /** Adds [lo, hi] to `status`, merged with every range of that status it overlaps or touches. */
  private addRange(gid: number, status: RangeStatus, lo: number, hi: number, runId: number, now: number, reason: string | null): void {
    const touching = this.overlapping(gid, status, lo - 1, hi + 1);
    if (touching.some((r) => r.lo <= lo && r.hi >= hi)) return;
    let merged: Range = { lo, hi };
    for (const r of touching) {
      merged = { lo: Math.min(merged.lo, r.lo), hi: Math.max(merged.hi, r.hi) };
      this.stmts.deleteRange.run([r.rowid]);
    }
    this.stmts.insertRange.run([gid, merged.lo, merged.hi, status, runId, now, reason]);
  }

  /** Removes [lo, hi] from `status`, keeping the parts of cut ranges outside it. */
  private removeRange(gid: number, status: RangeStatus, lo: number, hi: number): void {
    for (const r of this.overlapping(gid, status, lo, hi)) {
      this.stmts.deleteRange.run([r.rowid]);
      for (const rest of subtractRanges(r, [{ lo, hi }])) this.stmts.insertRange.run([gid, rest.lo, rest.hi, status, r.runId, r.at, r.reason]);
    }
  }

  private settleInterruptedRuns(): void {
    this.write(() => this.stmts.settleInterrupted.run([INTERRUPTED]));
  }

  /**
   * Runs `fn` atomically: on any error nothing of it stays. Writes share one open transaction, each inside its
   * own savepoint, committed every WRITES_PER_COMMIT writes and whenever the database is read through `db`
   * or saved (see settle()). A commit into sql.js's in-memory file makes nothing durable (checkpoints do), but each one
   * copies every page it touched into that file: one per window was the largest single cost of ingest.
   */
  private write<T>(fn: () => T): T {
    if (this.readOnly) throw this.readOnlyError();
    const before = this.totalChanges();
    const queued = this.pendingIndex.length;
    if (!this.inTransaction) {
      this.database.exec('BEGIN');
      this.inTransaction = true;
    }
    this.database.exec('SAVEPOINT write');
    let result: T;
    try {
      result = fn();
      this.database.exec('RELEASE write');
    } catch (err) {
      this.undoWrite();
      // Index rows queued for messages that are no longer there (their ids will be reused) must go too.
      this.pendingIndex.length = queued;
      throw err;
    }
    // Re-reading what the archive already holds must not make it dirty (nor cost a checkpoint).
    if (this.totalChanges() !== before) this.revision++;
    if (++this.writesInTransaction >= WRITES_PER_COMMIT) this.commit();
    return result;
  }

  private undoWrite(): void {
    try {
      this.database.exec('ROLLBACK TO write; RELEASE write');
    } catch (err) {
      // SQLite rolled the whole transaction back itself (it does on out-of-memory and I/O errors): the writes
      // since the last commit are gone, coverage with them, so continuing would report windows as stored that
      // are not. The archive on disk is intact; a rerun fetches them again.
      this.inTransaction = false;
      this.writesInTransaction = 0;
      throw archiveErrors.lostChanges(this.path, err instanceof Error ? err.message : String(err), err);
    }
  }

  /** Ends the open transaction, if any. */
  private commit(): void {
    if (!this.inTransaction) return;
    this.database.exec('COMMIT');
    this.inTransaction = false;
    this.writesInTransaction = 0;
  }

  private totalChanges(): number {
    return Number(this.one(this.stmts.totalChanges, [])![0]);
  }

  private readOnlyError(): ArchiveError {
    return archiveErrors.unwritable(this.path, 'it was opened read-only');
  }

  private one(stmt: Statement, params: SqlValue[]): SqlValue[] | undefined {
    try {
      stmt.bind(params);
      return stmt.step() ? stmt.get() : undefined;
    } finally {
      stmt.reset();
    }
  }

  private all(stmt: Statement, params: SqlValue[]): SqlValue[][] {
    const rows: SqlValue[][] = [];
    try {
      stmt.bind(params);
      while (stmt.step()) rows.push(stmt.get());
    } finally {
      stmt.reset();
    }
    return rows;
  }
}

async function readArchive(path: string, create: boolean, headroom: number): Promise<ReadImage | undefined> {
  try {
    return await readImage(path, headroom);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT') {
      if (create) return undefined;
      throw archiveErrors.notFound(path);
    }
    if (code === 'EISDIR') throw archiveErrors.foreign(path, 'it is a folder');
    throw archiveErrors.unwritable(path, `it cannot be read (${code ?? String(err)})`, err);
  }
}

/** The file of a new, empty archive at the current schema version. */
function blankImage(SQL: SqlJsStatic): Uint8Array {
  const blank = new SQL.Database();
  try {
    migrate(blank);
    return blank.export();
  } finally {
    blank.close();
  }
}

function checkRange(lo: number, hi: number): void {
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo > hi) throw new RangeError(`Invalid Seq range ${lo}-${hi}`);
}

/**
 * A well-formed string as UTF-8 bytes, to bind as `CAST(? AS TEXT)`: SQLite stores exactly the same TEXT, but
 * sql.js encodes bound strings with JavaScript loops (measuring them twice), while Node encodes natively, and
 * short strings into a shared pool instead of a new allocation each. On ingest that is most of the binding cost.
 */
function utf8(s: string): Uint8Array {
  return Buffer.from(s, 'utf8');
}

function prepareAll(db: Database) {
  const kindSums = Object.values(KINDS)
    .map((bit) => `sum(kinds & ${bit} != 0)`)
    .join(', ');
  const p = (sql: string) => db.prepare(sql);
  return {
    upsertGroup: p(`
      INSERT INTO groups (sdkappid, group_id, topic_id, type, name, info, newest_seq, info_at)
      VALUES (?1, ?2, ?3, ?5, ?6, ?7, ?8, ?9)
      ON CONFLICT (sdkappid, group_id, topic_id) DO UPDATE SET
        type = CASE WHEN ?4 THEN excluded.type ELSE type END,
        name = CASE WHEN ?4 THEN excluded.name ELSE name END,
        info = coalesce(excluded.info, info),
        info_at = coalesce(excluded.info_at, info_at),
        newest_seq = coalesce(excluded.newest_seq, newest_seq)
      RETURNING gid`),
    listGroups: p('SELECT gid, sdkappid, group_id, topic_id, type, name, info, newest_seq, info_at FROM groups ORDER BY sdkappid, group_id, topic_id'),
    beginRun: p("INSERT INTO runs (started_at, outcome) VALUES (?, 'running') RETURNING run_id"),
    finishRun: p('UPDATE runs SET finished_at = ?, outcome = ?, summary = ? WHERE run_id = ?'),
    settleInterrupted: p("UPDATE runs SET outcome = 'failed', summary = coalesce(summary, ?) WHERE outcome = 'running'"),
    upsertMember: p(`
      INSERT INTO members (gid, account, name_card, role, join_time, raw, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (gid, account) DO UPDATE SET name_card = excluded.name_card, role = excluded.role,
        join_time = excluded.join_time, raw = excluded.raw, updated_at = excluded.updated_at`),
    upsertProfile: p(`
      INSERT INTO profiles (sdkappid, account, nick, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (sdkappid, account) DO UPDATE SET nick = excluded.nick, updated_at = excluded.updated_at`),
    // The long strings of the hot path arrive as UTF-8 bytes (see utf8()).
    insertMessage: p(`
      INSERT INTO messages (id, gid, seq, state, sender, time, kinds, is_system, text, raw, first_run, last_run)
      VALUES (CAST(? AS INTEGER), ?, ?, ?, ?, ?, ?, ?, CAST(? AS TEXT), CAST(? AS TEXT), ?, ?) ON CONFLICT DO NOTHING RETURNING id`),
    idTaken: p('SELECT 1 FROM messages WHERE id = ?'),
    selectMessage: p('SELECT id, state, raw, last_run FROM messages WHERE gid = ? AND seq = ?'),
    lastChange: p('SELECT raw FROM message_changes WHERE gid = ? AND seq = ? ORDER BY id DESC LIMIT 1'),
    insertChange: p('INSERT INTO message_changes (gid, seq, run_id, at, from_state, to_state, raw) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    touchMessage: p('UPDATE messages SET last_run = ? WHERE id = ?'),
    setState: p('UPDATE messages SET state = ?, last_run = ? WHERE id = ?'),
    replaceContent: p('UPDATE messages SET id = CAST(? AS INTEGER), state = ?, sender = ?, time = ?, kinds = ?, is_system = ?, text = ?, raw = ?, last_run = ? WHERE id = ?'),
    // Time-major ids exceed 32 bits; sql.js binds such numbers as doubles, which FTS4 refuses as a docid.
    insertFts: p('INSERT INTO message_fts (docid, body) VALUES (CAST(? AS INTEGER), CAST(? AS TEXT))'),
    stats: p(`SELECT count(*), sum(state = 0), sum(state = 2), min(seq), max(seq), ${kindSums} FROM messages WHERE gid = ?`),
    listRanges: p('SELECT lo, hi FROM seq_ranges WHERE gid = ? AND status = ? ORDER BY lo'),
    touchingRanges: p('SELECT rowid, lo, hi, run_id, at, reason FROM seq_ranges WHERE gid = ? AND status = ? AND lo <= ? AND hi >= ? ORDER BY lo'),
    deleteRange: p('DELETE FROM seq_ranges WHERE rowid = ?'),
    totalChanges: p('SELECT total_changes()'),
    insertRange: p('INSERT INTO seq_ranges (gid, lo, hi, status, run_id, at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)'),
  };
}
