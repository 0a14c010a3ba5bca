// The archive: one SQLite database file, written through SQLite itself (node:sqlite). The schema and its
// invariants are described in ./README.md; this class is the only writer of those tables. Readers (search,
// export, the reader, status) open their own read-only connection and see every commit as it lands.

import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { readdir, readlink, realpath, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { GroupInfo, GroupMember, GroupMsg } from '../im/wire';
import type { RunOutcome, RunTrigger } from '../schedule/types';
import { indexForm } from '../search/normalize';
import { CHECKED_COLUMNS, type DamageScan, damagedRows, type DamagedRow, fillChecksums, rowChecksum, rowIntact } from './checksum';
import { ArchiveError, archiveErrors, errorCode } from './errors';
import { describe, KINDS, type KindName, placeState } from './extract';
import { fillPairs, indexHasPairs, markPairsComplete, rebuildFts } from './fts';
import { idSecond, nextSlot, preferredId, SLOTS_PER_SECOND } from './ids';
import { Checkpointer } from './checkpointer';
import { chooseJournal, type FsTypeOf, type JournalChoice, type JournalMode } from './journal';
import { acquireLock, type HeldLock, releaseLock } from './lock';
import { type Range, rangeSize, subtractRanges } from './ranges';
import { APPLICATION_ID, migrate, SCHEMA_VERSION } from './schema';
import { allRows, archiveErrorOf, arrayStatement, type Db, firstRow, openConnection, requireFullText, rowsOf, sqliteCode, type Statement, type UpgradeFill } from './sqlite';
import { MediaTables, type MediaCounts, type MediaOutcome, type MediaWaiting, type MediaWork, type MissingMedia } from './media';
import { mediaRefsOf, withoutSignatures } from '../media/model';
import { avatarRef } from '../media/avatar';
import { DEFAULT_MEDIA_POLICY, type MediaPolicy } from '../media/policy';
import { checkIntegrity, type IntegrityReport, verifyHeader, verifyIdentity } from './verify';

export type { RunOutcome, RunTrigger };

export interface RunStart {
  trigger?: RunTrigger;
  /** The run whose failures this one was started to fetch again. */
  retryOf?: number;
}

/** One group's part in a run (schema v5's run_groups). */
export interface RunGroupResult {
  gid: number;
  /** The engine's GroupState at the end: done, partial, skipped, or where it stood when the run stopped. */
  state: string;
  newMessages: number;
  /** Seqs of the group in failed ranges when the run ended. */
  failedSeqs: number;
  reason?: string;
}

export interface RunRecord {
  runId: number;
  startedAt: number;
  finishedAt?: number;
  outcome: RunOutcome;
  /** Absent for runs recorded before schema v5. */
  trigger?: RunTrigger;
  retryOf?: number;
  /** The summary the engine recorded (app/engine/backup.ts BackupSummary), as JSON parsed back. */
  summary?: unknown;
}

/** A group's last run: its part in it, and the run's times and outcome. */
export interface GroupLastRun extends RunGroupResult {
  runId: number;
  startedAt: number;
  finishedAt?: number;
  outcome: RunOutcome;
}
/**
 * How the file was vouched for at open: 'created' — a new archive; 'opened' — our header, our schema; 'checked'
 * — also SQLite's integrity check, because the last writer did not close cleanly.
 */
export type Verification = 'created' | 'opened' | 'checked';
export type RangeStatus = 'covered' | 'expired' | 'failed';

export interface OpenOptions {
  /** Create a new archive when the file does not exist or is empty (writer mode only). */
  create?: boolean;
  /** Read through a read-only connection, without the writer lock; every write method then throws. */
  readOnly?: boolean;
  /** Called after each commit with its duration (benchmarks, tests). */
  onCommit?: (ms: number) => void;
  /** How the drive's kind is read (./journal.ts); tests substitute one. */
  fsTypeOf?: FsTypeOf;
  /** How an upgrade to v9 sums the rows it found (./checksum.ts fillChecksums); tests watch it. */
  checksumFill?: UpgradeFill;
  /** How an upgrade to v11 adds pair words to the index rows it found (./fts.ts fillPairs); tests watch it. */
  pairsFill?: UpgradeFill;
}

export interface JournalInfo extends JournalChoice {
  /** The rollback journal was chosen and the archive's owner has not been told before (./journal.ts). */
  tellOwner: boolean;
}
/** Two answers about one message that differ only in the signatures of their media URLs (see withoutSignatures). */
function resignedOnly(lastSeen: string, msg: GroupMsg): boolean {
  if (mediaRefsOf(msg).length === 0) return false;
  return JSON.stringify(withoutSignatures(JSON.parse(lastSeen) as GroupMsg)) === JSON.stringify(withoutSignatures(msg));
}

export interface StoreResult {
  /** Seqs that got their first row. */
  inserted: number;
  /** Seqs read back exactly as last seen. */
  unchanged: number;
  /** Seqs read back different from last seen (recalled, deleted, edited): recorded in message_changes. */
  changed: number;
  /** Seqs whose stored row was damaged (./checksum.ts) and is now Tencent's fresh copy: recorded in message_changes as 'repaired'. */
  repaired: number;
  /**
   * Seqs whose stored row is damaged and stays so: Tencent's answer no longer has the content the row may have
   * held (recalled, deleted, or expired since), and a placeholder must not replace it.
   */
  damaged: number;
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

/** One account's portrait_get answer: undefined fields were not asked for; a non-zero resultCode is an unknown account. */
export interface ProfileUpsert {
  account: string;
  nick?: string;
  image?: string;
  resultCode?: number;
}

/** The fields whose every value people_history keeps: card and role per group, nick and avatar per app (gid 0). */
export type PeopleField = 'card' | 'role' | 'nick' | 'avatar';

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
  /** The row still matches its checksum. */
  intact: boolean;
  /** The row's CHECKED_COLUMNS. */
  values: unknown[];
}

interface RangeRow extends Range {
  rowid: number;
  runId: number | null;
  at: number;
  reason: string | null;
}

/**
 * The writer commits at least this often (and at the end): a crash or power cut loses at most the writes since
 * the last commit, which the next run fetches again (coverage is committed with the messages it vouches for).
 */
const COMMIT_EVERY_MS = 250;
/**
 * Full-text rows are written at commit, in one batch (see index()); more queued than this commits early, which
 * bounds both a commit's time and the memory the queue holds when storing runs faster than the clock.
 */
const INDEX_ROWS_PER_COMMIT = 10000;
/** SQLite's page cache for the writer and for each reader (KiB): big enough for the hot index pages at 10M messages. */
const WRITER_CACHE_KIB = 32 * 1024;
const READER_CACHE_KIB = 16 * 1024;

/**
 * The write-ahead log starts over from its beginning only when a checkpoint has copied all of it before the
 * writer's next transaction begins — a moment a backup, which writes all the time, never leaves by itself: the
 * log would grow without end. Once the log holds WAL_RESTART_AT, a commit asks for that moment: storing waits
 * (writable()) until the checkpointer's thread has copied the log, at most RESTART_WAIT_MS, and the next
 * transaction starts the log over: no checkpoint on the engine's thread (only the flush of the log's new header,
 * which SQLite makes so that a power cut cannot mix two logs), and the log's file is written over rather than
 * grown (an append that grew it waited behind the checkpointer's flush: 100–930 ms on this VM's disk). The engine
 * has reads in flight for longer than the wait, so the pacer loses no grant to it. If the moment keeps being
 * missed (a reader holding the log, a disk slower than the wait) and the log reaches WAL_CEILING, the writer
 * copies it itself after a commit, flushing on the engine's thread: the fallback.
 */
export const WAL_RESTART_AT = 16 * 1024 ** 2;
export const WAL_CEILING = 64 * 1024 ** 2;
const RESTART_WAIT_MS = 200;
/**
 * FTS4 merges its index segments 16 at a time by default, inside whichever commit makes the 16th: at millions of
 * messages one such commit took over a second. Incremental merging (8 segments at a time, a bounded amount per
 * commit) spreads that work over the commits.
 */
const FTS_AUTOMERGE = 8;

const INTERRUPTED = JSON.stringify({ error: 'The run was interrupted: the program stopped before the run finished.' });
const JOURNAL_NOTE = 'journal-told';

export class Archive {
  private readonly stmts: ReturnType<typeof prepareAll>;
  private pendingIndex: [number, string][] = [];
  /**
   * Messages inserted since the last commit, by (gid, sender) with their times: summed into `senders` at commit,
   * one statement per sender instead of one per message (a trigger per insert cost a fifth of ingest).
   */
  private pendingSenders: [gid: number, sender: string, delta: 1 | -1, time: number | undefined][] = [];
  private closed = false;
  /** See write(). */
  private inTransaction = false;
  private transactionStarted = 0;
  private commitTimer: NodeJS.Timeout | undefined;
  /** A commit the timer could not make; the next write or commit reports it. */
  private failure: Error | undefined;
  private readonly media: MediaTables;
  /** While a log restart is due: storing waits for it (see WAL_RESTART_AT). */
  private restart: Promise<void> | undefined;
  /**
   * The log's length at which the next restart is asked for: a restart that did not happen (a reader held on to
   * the log) is asked for again only after another WAL_RESTART_AT, so storing never waits at every commit.
   */
  private askRestartAt = WAL_RESTART_AT;
  /** The states new media start in (./media.ts); the engine sets the run's policy. */
  private mediaPolicy: MediaPolicy = DEFAULT_MEDIA_POLICY;

  private constructor(
    readonly path: string,
    private readonly database: Db,
    private readonly lock: HeldLock | undefined,
    readonly verification: Verification,
    readonly journal: JournalInfo,
    private readonly onCommit: ((ms: number) => void) | undefined,
    /** Writers in WAL mode: the thread that moves the log into the file (./checkpointer.ts). */
    private readonly checkpointer: Checkpointer | undefined,
  ) {
    this.stmts = prepareAll(database);
    this.media = new MediaTables(database);
  }

  /**
   * Opens (or with `create`, creates) the archive at `path`. An existing file must be a whole SQLite database,
   * ours and not newer than this version (./verify.ts); it is upgraded in place if older — a read-only open of
   * an older archive upgrades it first when no writer holds it. Writers take `<path>.lock`; after a writer that
   * did not close cleanly, SQLite's integrity check runs before anything else. Failures are ArchiveErrors, and
   * a refused file is never modified.
   */
  static async open(path: string, opts: OpenOptions = {}): Promise<Archive> {
    const file = await archiveFile(path);
    const readOnly = opts.readOnly ?? false;
    if (readOnly) return Archive.openReader(file, opts);
    const lock = acquireLock(file);
    let db: Db | undefined;
    let checkpointer: Checkpointer | undefined;
    try {
      const facts = fileFacts(file);
      const create = facts === 'absent' || facts === 'empty';
      if (create && !opts.create) throw facts === 'empty' ? archiveErrors.empty(file) : archiveErrors.notFound(file);
      if (create) createArchiveFile(file, opts.fsTypeOf);
      else verifyHeader(file, facts);
      db = openOrExplain(file, false);
      requireFullText(db, file);
      let verification: Verification = create ? 'created' : 'opened';
      if (!create) {
        verifyIdentity(file, db);
        if (lock.tookOver) {
          const report = checkIntegrity(db, true);
          if (!report.ok) throw archiveErrors.corrupt(file, 'integrity', report.problems.slice(0, 3).join('; '));
          verification = 'checked';
        }
      }
      const journal = setJournal(db, file, opts.fsTypeOf);
      // WAL: NORMAL. A commit is in the log when it returns (a kill -9 loses nothing of it) but is flushed to the
      // disk by the checkpointer's thread, which syncs the log before each checkpoint it is nudged to run after
      // every commit — not by the engine's thread, which under FULL waited for the disk inside each commit (1M
      // messages, a busy disk: COMMIT 60–550 ms, 5–16 ms of it its own work). A power cut can lose the last
      // commits not yet flushed; the file stays consistent and coverage goes with its messages, so the next run
      // fetches them again. What a run reports as done is flushed before the run
      // ends (finishRun commits with FULL). A rollback journal stays FULL: NORMAL there can corrupt on a power cut.
      db.exec(`PRAGMA synchronous = ${journal.mode === 'wal' ? 'NORMAL' : 'FULL'}; PRAGMA cache_size = -${WRITER_CACHE_KIB}; PRAGMA temp_store = MEMORY`);
      const from = migrate(db);
      fillChecksums(db, opts.checksumFill);
      fillPairs(db, opts.pairsFill);
      // The header (schema version) of the main file is what the next open checks first: move an upgraded schema
      // out of the write-ahead log into the file now.
      if (from < SCHEMA_VERSION) db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      db.exec(`INSERT INTO message_fts (message_fts) VALUES ('automerge=${FTS_AUTOMERGE}')`);
      if (journal.mode === 'wal') {
        db.exec(`PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = ${WAL_CEILING}`);
        checkpointer = new Checkpointer(file);
      }
      const archive = new Archive(file, db, lock, verification, journal, opts.onCommit, checkpointer);
      archive.settleInterruptedRuns();
      archive.commit();
      await removeLegacyFiles(file);
      return archive;
    } catch (err) {
      await checkpointer?.close();
      db?.close();
      releaseLock(lock);
      throw asArchiveError(file, err);
    }
  }

  private static async openReader(file: string, opts: OpenOptions): Promise<Archive> {
    const facts = fileFacts(file);
    if (facts === 'absent') throw archiveErrors.notFound(file);
    if (facts === 'empty') throw archiveErrors.empty(file);
    verifyHeader(file, facts);
    let db = openOrExplain(file, true);
    try {
      requireFullText(db, file);
      verifyIdentity(file, db);
      if (Number(rowsOf(db, 'PRAGMA user_version')[0]?.[0]) < SCHEMA_VERSION) {
        // An archive of an earlier version: upgraded by a short-lived writer (refused while another one runs).
        db.close();
        await (await Archive.open(file, { fsTypeOf: opts.fsTypeOf })).close();
        db = openOrExplain(file, true);
      }
      db.exec(`PRAGMA cache_size = -${READER_CACHE_KIB}`);
      const mode: JournalMode = String(rowsOf(db, 'PRAGMA journal_mode')[0]?.[0]) === 'wal' ? 'wal' : 'rollback';
      return new Archive(file, db, undefined, 'opened', { mode, tellOwner: false }, undefined, undefined);
    } catch (err) {
      db.close();
      throw asArchiveError(file, err);
    }
  }

  /**
   * The SQLite connection, for search and export. For the writer, reading it first commits what is pending
   * (full-text rows included), so take it when you query rather than keeping it across writes.
   */
  get db(): Db {
    this.settle();
    return this.database;
  }

  /** Writes not committed yet. */
  get dirty(): boolean {
    return this.inTransaction;
  }

  get readOnly(): boolean {
    return this.lock === undefined;
  }

  /** Every message's full-text row holds its pair words (app/search/normalize.ts), so search may ask for them. */
  get indexHasPairs(): boolean {
    this.settle();
    return indexHasPairs(this.database);
  }

  /** SQLite's integrity check of the whole file, on demand (`tim-backup verify`); `quick` skips index contents. */
  verify(opts: { quick?: boolean } = {}): IntegrityReport {
    this.settle();
    return checkIntegrity(this.database, opts.quick ?? false);
  }

  /** The owner has been told that this archive's drive cannot use a write-ahead log (see journal). */
  journalToldOwner(): void {
    this.write(() => this.stmts.setNote.run(JOURNAL_NOTE, this.journal.reason ?? ''));
  }

  // ---- groups, runs, members ----------------------------------------------------------------------------

  upsertGroup(g: GroupUpsert): number {
    const info = g.info;
    return this.write(() =>
      Number(
        firstRow(
          this.stmts.upsertGroup,
            g.sdkAppId,
            g.groupId,
            g.topicId ?? '',
            info ? 1 : 0,
            info && typeof info.Type === 'string' ? info.Type : null,
            info && typeof info.Name === 'string' ? info.Name : null,
            info ? JSON.stringify(info) : null,
            g.newestSeq ?? null,
            info ? Date.now() : null,
        )![0],
      ),
    );
  }

  groups(): GroupRow[] {
    return allRows(this.stmts.listGroups).map(([gid, sdkAppId, groupId, topicId, type, name, info, newestSeq, infoAt]) => ({
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

  beginRun(start: RunStart = {}): number {
    return this.write(() => Number(firstRow(this.stmts.beginRun, Date.now(), start.trigger ?? null, start.retryOf ?? null)![0]));
  }

  /** Records how the run ended, with each group's part in it (`groups`: the ones the run registered). */
  finishRun(runId: number, outcome: RunOutcome, summary: unknown, groups: readonly RunGroupResult[] = []): void {
    this.durably(() =>
      this.write(() => {
        if (this.stmts.finishRun.run(Date.now(), outcome, JSON.stringify(summary) ?? null, runId).changes !== 1) throw new Error(`finishRun: the archive has no run ${runId}`);
        for (const g of groups) this.stmts.insertRunGroup.run(g.gid, runId, g.state, g.newMessages, g.failedSeqs, g.reason ?? null);
      }),
    );
  }

  /** Runs newest first; `before` (a run ID) pages back through older ones. */
  runs(opts: { limit?: number; before?: number } = {}): RunRecord[] {
    return allRows(this.stmts.listRuns, opts.before ?? Number.MAX_SAFE_INTEGER, opts.limit ?? -1).map(runRecord);
  }

  run(runId: number): RunRecord | undefined {
    const row = firstRow(this.stmts.oneRun, runId);
    return row ? runRecord(row) : undefined;
  }

  /** Each group's part in the run, in group order. */
  runGroups(runId: number): RunGroupResult[] {
    return allRows(this.stmts.runGroups, runId).map(runGroupResult);
  }

  /** Every group's last run (by gid); groups no run has registered since schema v5 are absent. */
  lastRunOfGroups(): Map<number, GroupLastRun> {
    const out = new Map<number, GroupLastRun>();
    for (const row of allRows(this.stmts.lastRunOfGroups)) {
      const [runId, startedAt, finishedAt, outcome] = row.slice(5);
      out.set(Number(row[0]), {
        ...runGroupResult(row),
        runId: Number(runId),
        startedAt: Number(startedAt),
        ...(finishedAt !== null ? { finishedAt: Number(finishedAt) } : {}),
        outcome: String(outcome) as RunOutcome,
      });
    }
    return out;
  }

  /**
   * Records a member listing of group `gid` seen at `at`: the rows, and each change of card or role in
   * people_history. With `complete` (the whole list, every page of it), members the listing lacks are marked as
   * having left at `at`; their rows and names stay, since old messages still need them.
   */
  upsertMembers(gid: number, members: GroupMember[], opts: { at?: number; complete?: boolean } = {}): void {
    const at = opts.at ?? Date.now();
    this.write(() => {
      const sdkAppId = Number(firstRow(this.stmts.groupApp, gid)?.[0]);
      if (!Number.isFinite(sdkAppId)) throw new Error(`upsertMembers: the archive has no group ${gid}`);
      for (const m of members) {
        const card = typeof m.NameCard === 'string' ? m.NameCard : null;
        const role = typeof m.Role === 'string' ? m.Role : null;
        this.stmts.upsertMember.run(gid, m.Member_Account, card, role, typeof m.JoinTime === 'number' ? m.JoinTime : null, JSON.stringify(m), at);
        if (card !== null) this.observe(sdkAppId, gid, m.Member_Account, 'card', card, at);
        if (role !== null) this.observe(sdkAppId, gid, m.Member_Account, 'role', role, at);
      }
      if (opts.complete) this.stmts.markLeft.run(at, gid, at);
    });
  }

  /**
   * Records portrait_get answers seen at `at`: nick and avatar (each change also in people_history), or that IM
   * does not know the account (`resultCode`, last known names kept). `at` is also what profilesDue() ages.
   */
  upsertProfiles(sdkAppId: number, items: ProfileUpsert[], opts: { at?: number } = {}): void {
    const at = opts.at ?? Date.now();
    this.write(() => {
      for (const p of items) {
        this.stmts.upsertProfile.run(sdkAppId, p.account, p.nick ?? null, p.image ?? null, p.resultCode ?? 0, at);
        if (p.nick !== undefined) this.observe(sdkAppId, 0, p.account, 'nick', p.nick, at);
        if (p.image !== undefined) {
          const avatar = avatarRef(p.image);
          if (avatar) this.media.recordAvatar(avatar, this.mediaPolicy, at);
          this.observe(sdkAppId, 0, p.account, 'avatar', p.image, at, avatar?.key);
        }
      }
    });
  }

  /**
   * The accounts among these groups' members (departed ones too) and everyone who sent a message in them, whose
   * profile was never fetched or was fetched before `staleBefore`.
   */
  profilesDue(sdkAppId: number, gids: number[], staleBefore: number): string[] {
    // The senders of what this writer stored are summed into `senders` at commit.
    this.settle();
    const list = JSON.stringify(gids);
    return allRows(this.stmts.profilesDue, list, list, sdkAppId, staleBefore).map((r) => String(r[0]));
  }

  /**
   * Whether group `gid`'s member list should be read again: it never was, the last listing is older than
   * `staleBefore`, Tencent's MemberNum (`memberNum`, from get_group_info) is not the number of members the
   * archive holds as present (someone joined or left since), or run `runId` stored messages from someone never
   * seen before (neither listed nor profiled: a newcomer who spoke; people who left before any listing are known
   * by their profile).
   */
  memberListDue(gid: number, staleBefore: number, runId: number, memberNum?: number): boolean {
    const [listedAt, newcomer, present] = firstRow(this.stmts.memberListState, gid, runId) ?? [];
    if (listedAt === null || listedAt === undefined || Number(listedAt) < staleBefore || Number(newcomer) === 1) return true;
    return memberNum !== undefined && memberNum !== Number(present);
  }

  /**
   * Extends the current value's last_seen when it is unchanged, else starts a new period. `mediaKey`: the stored
   * file of an avatar (a period recorded before avatars were kept gets it when next seen).
   */
  private observe(sdkAppId: number, gid: number, account: string, field: PeopleField, value: string, at: number, mediaKey?: string): void {
    const [id, current] = firstRow(this.stmts.currentValue, sdkAppId, gid, account, field) ?? [];
    if (id !== undefined && current === value) this.stmts.extendValue.run(at, mediaKey ?? null, id as number);
    else this.stmts.insertValue.run(sdkAppId, gid, account, field, value, at, at, mediaKey ?? null);
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
    return this.write(() => {
      const counts: StoreResult = { inserted: 0, unchanged: 0, changed: 0, repaired: 0, damaged: 0 };
      const now = Date.now();
      for (const m of msgs) counts[this.storeMessage(gid, m, runId, now)]++;
      this.removeRange(gid, 'failed', lo, hi);
      this.removeRange(gid, 'expired', lo, hi);
      this.addRange(gid, 'covered', lo, hi, runId, now, null);
      return counts;
    });
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
    const row = firstRow(this.stmts.stats, gid)!;
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
    // Queued rows are of messages the rebuild is about to index.
    this.pendingIndex = [];
    const messages = this.write(() => {
      const rows = rebuildFts(this.database);
      markPairsComplete(this.database);
      // One segment instead of hundreds: the fastest layout for queries, worth its cost once after a rebuild.
      this.database.exec("INSERT INTO message_fts (message_fts) VALUES ('optimize')");
      return rows;
    });
    this.commit();
    return { messages };
  }

  // ---- media ---------------------------------------------------------------------------------------------
  // Reads go through the writer's own connection, which sees its uncommitted writes: no commit is forced.

  /** The policy media recorded from now on start under (pending, skipped, too-large). */
  setMediaPolicy(policy: MediaPolicy): void {
    this.mediaPolicy = { ...policy };
  }

  /** Records the media of one batch of messages archived before media were recorded; false when none are left. */
  recordEarlierMedia(batch = 500): boolean {
    return this.write(() => this.media.recordEarlier(this.mediaPolicy, batch, Date.now()));
  }

  /** The oldest pending media, at most `limit`; with `gids`, only those first seen in these groups. */
  mediaWork(limit: number, gids?: readonly number[]): MediaWork[] {
    return this.media.work(limit, gids);
  }

  /** Failed media become pending again; returns how many. */
  requeueFailedMedia(): number {
    return this.write(() => this.media.requeueFailed(Date.now()));
  }

  settleMedia(key: string, outcome: MediaOutcome): void {
    this.write(() => this.media.settle(key, outcome, Date.now()));
  }

  /** A download try that failed and will be tried again. */
  mediaAttempted(key: string, error: string): void {
    this.write(() => this.media.attempted(key, error, Date.now()));
  }

  /** Media per state (items and bytes), of one group's messages or of the whole archive. */
  mediaCounts(gid?: number): MediaCounts {
    return this.media.counts(gid);
  }

  /** The bytes the media store holds for this archive (each file once, however many messages carry it). */
  mediaStoredBytes(): number {
    return this.media.storedBytes();
  }

  /** Per group (gid): media still to download, the failed among them, and the oldest message's time. */
  mediaWaiting(): Map<number, MediaWaiting> {
    return this.media.waiting();
  }

  /** Media not in the store and why, oldest first (or only the failed ones). */
  missingMedia(failedOnly = false): MissingMedia[] {
    return this.media.missing(failedOnly);
  }

  // ---- committing and closing ---------------------------------------------------------------------------

  /**
   * Commits every write so far, with the full-text rows they queued, and flushes it to the disk (one
   * transaction: a reader, or the file after a crash, has all of it or none). Writers also commit by themselves
   * at least every COMMIT_EVERY_MS; call this at the end of a run.
   */
  commit(): void {
    this.throwFailure();
    if (!this.inTransaction) return;
    this.clearCommitTimer();
    const started = performance.now();
    try {
      // FTS4 writes out its pending terms as a new index segment whenever a docid is lower than the one before
      // it, and a backup stores its windows newest first: unsorted, one commit wrote a segment per window, and
      // the merges of those segments were the commits of a second and more (1M messages: longest commit of a
      // 60,000-message session 1,152 ms unsorted, 38 ms sorted).
      this.pendingIndex.sort((a, b) => a[0] - b[0]);
      for (const [id, body] of this.pendingIndex) this.stmts.insertFts.run(id, body);
      this.flushSenders();
      this.database.exec('COMMIT');
    } catch (err) {
      this.pendingIndex = [];
      this.pendingSenders = [];
      this.abandonTransaction();
      throw this.lostChanges(err);
    }
    this.pendingIndex = [];
    this.pendingSenders = [];
    this.inTransaction = false;
    if (this.checkpointer) this.afterCommit(this.checkpointer);
    this.onCommit?.(performance.now() - started);
  }

  /**
   * Resolves when storing may go on: at once, except just after a commit that asked for the log to start over
   * (see WAL_RESTART_AT). A backup awaits it before storing each answer; other writes need not.
   */
  writable(): Promise<void> {
    return this.restart ?? Promise.resolve();
  }

  private afterCommit(checkpointer: Checkpointer): void {
    // The thread's answer can be a few commits old when commits come fast; a log file longer than the ceiling
    // (it is cut back to it when the log starts over) holds at least that much log now.
    const file = walSize(this.path);
    const logBytes = checkpointer.alive ? Math.max(checkpointer.logBytes ?? 0, file > WAL_CEILING ? file : 0) : file;
    if (logBytes >= WAL_CEILING) {
      const [, inLog, copied] = rowsOf(this.database, 'PRAGMA wal_checkpoint(PASSIVE)')[0] ?? [];
      if (inLog === copied) checkpointer.restarted();
      return;
    }
    const answered = checkpointer.nudge();
    if (logBytes < WAL_RESTART_AT) this.askRestartAt = WAL_RESTART_AT;
    if (logBytes < this.askRestartAt || this.restart) return;
    this.askRestartAt = logBytes + WAL_RESTART_AT;
    let timer: NodeJS.Timeout | undefined;
    const restart = Promise.race([answered, new Promise<void>((resolve) => (timer = setTimeout(resolve, RESTART_WAIT_MS)))]).then(() => {
      clearTimeout(timer);
      if (this.restart === restart) this.restart = undefined;
    });
    this.restart = restart;
  }

  /**
   * Runs `fn` and commits it with the log flushed to the disk before returning (and with it every commit before:
   * one fsync of the log): the end of a run, which the owner is told about, survives a power cut. SQLite changes
   * `synchronous` only between transactions: what is pending commits first, as usual.
   */
  private durably(fn: () => void): void {
    const wal = this.journal.mode === 'wal';
    if (wal) {
      this.commit();
      this.database.exec('PRAGMA synchronous = FULL');
    }
    try {
      fn();
    } finally {
      try {
        this.commit();
      } finally {
        if (wal) this.database.exec('PRAGMA synchronous = NORMAL');
      }
    }
  }

  /** Commits what is pending (writers), then closes the connection and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (!this.readOnly) this.commit();
    } finally {
      this.closed = true;
      this.clearCommitTimer();
      if (this.inTransaction) this.abandonTransaction();
      try {
        await this.checkpointer?.close();
        // The last connection to close moves the write-ahead log into the file and removes -wal and -shm.
        this.database.close();
      } finally {
        if (this.lock) releaseLock(this.lock);
      }
    }
  }

  // ---- internals -----------------------------------------------------------------------------------------

  private storeMessage(gid: number, msg: GroupMsg, runId: number, now: number): keyof StoreResult {
    const s = this.stmts;
    const raw = JSON.stringify(msg);
    const state = placeState(msg);
    const d = describe(msg);
    const isSystem = d.isSystem ? 1 : 0;
    const checksum = rowChecksum(gid, msg.MsgSeq, state, d.sender, d.time, d.kinds, isSystem, d.text, raw);
    const row = [gid, msg.MsgSeq, state, d.sender, d.time, d.kinds, isSystem, d.text, raw, checksum, runId, runId] as const;
    // Almost every message gets its preferred id; when the insert does nothing, either the Seq is already stored
    // or another message holds that id, and only then is a free id looked for.
    let id = preferredId(d.time, gid, msg.MsgSeq);
    let inserted = s.insertMessage.run(id, ...row).changes === 1;
    const existing = inserted ? undefined : this.existing(gid, msg.MsgSeq);
    if (!inserted && !existing) {
      id = this.freeId(d.time, gid, msg.MsgSeq);
      inserted = s.insertMessage.run(id, ...row).changes === 1;
    }
    if (inserted) {
      this.pendingSenders.push([gid, d.sender, 1, d.time]);
      if (state === 0) {
        this.index(id, d.searchable);
        this.media.record(gid, msg, this.mediaPolicy, now);
      }
      return 'inserted';
    }
    if (!existing) throw new Error(`storeWindow: Seq ${msg.MsgSeq} could not be stored`);
    if (!existing.intact) return this.repair(gid, msg, existing, runId, now);
    const lastSeen = (firstRow(s.lastChange, gid, msg.MsgSeq))?.[0] ?? existing.raw;
    if (lastSeen !== raw && state === 0 && resignedOnly(lastSeen as string, msg)) {
      // The same message with freshly signed media URLs: not a change, but the newer URLs are the ones to fetch.
      this.media.record(gid, msg, this.mediaPolicy, now);
      if (existing.lastRun !== runId) s.touchMessage.run(runId, existing.id);
      return 'unchanged';
    }
    if (lastSeen === raw) {
      if (existing.lastRun !== runId) s.touchMessage.run(runId, existing.id);
      return 'unchanged';
    }
    s.insertChange.run(gid, msg.MsgSeq, runId, now, existing.state, state, raw, null);
    const hadContent = placeState(JSON.parse(existing.raw) as GroupMsg) === 0;
    if (!hadContent && state === 0) {
      // First content for a Seq seen before only as a placeholder: it becomes the archived original.
      // The placeholder's time may differ from the content's; the id follows the time (see ./ids.ts).
      const newId = Math.floor(existing.id / SLOTS_PER_SECOND) === idSecond(d.time) ? existing.id : this.freeId(d.time, gid, msg.MsgSeq);
      s.replaceContent.run(newId, state, d.sender, d.time, d.kinds, isSystem, d.text, raw, checksum, runId, existing.id);
      this.movedSender(gid, existing, d.sender, d.time);
      this.index(newId, d.searchable);
      this.media.record(gid, msg, this.mediaPolicy, now);
    } else {
      const [, , , sender, time, kinds, sys, text, storedRaw] = existing.values;
      s.setState.run(state, rowChecksum(gid, msg.MsgSeq, state, sender, time, kinds, sys, text, storedRaw), runId, existing.id);
    }
    return 'changed';
  }

  /**
   * A damaged row read again from Tencent: replaced by the fresh copy (recorded as a 'repaired' change), unless
   * the row may hold content the answer no longer has — Tencent recalled, deleted or expired it since — which a
   * placeholder must not overwrite: that row stays, and stays reported as damaged.
   */
  private repair(gid: number, msg: GroupMsg, existing: ExistingRow, runId: number, now: number): keyof StoreResult {
    const state = placeState(msg);
    if (state !== 0 && mayHoldContent(existing.raw)) return 'damaged';
    const raw = JSON.stringify(msg);
    const d = describe(msg);
    const isSystem = d.isSystem ? 1 : 0;
    const checksum = rowChecksum(gid, msg.MsgSeq, state, d.sender, d.time, d.kinds, isSystem, d.text, raw);
    const newId = Math.floor(existing.id / SLOTS_PER_SECOND) === idSecond(d.time) ? existing.id : this.freeId(d.time, gid, msg.MsgSeq);
    this.stmts.replaceContent.run(newId, state, d.sender, d.time, d.kinds, isSystem, d.text, raw, checksum, runId, existing.id);
    this.movedSender(gid, existing, d.sender, d.time);
    this.stmts.insertChange.run(gid, msg.MsgSeq, runId, now, existing.state, state, raw, 'repaired');
    // Indexed again: the index cannot tell whether the damaged row had a full-text row (a contentless index has
    // no lookup by docid), and a docid indexed twice is still one hit.
    if (state === 0) this.index(newId, d.searchable);
    return 'repaired';
  }

  /**
   * Damaged rows (./checksum.ts) of one group, or all. On the writer's own connection, uncommitted rows included:
   * a backup scans slice by slice and must not commit (and flush to the disk) for each slice.
   */
  damagedRows(opts: DamageScan = {}): { damaged: DamagedRow[]; next?: number; examined: number } {
    return damagedRows(this.database, opts);
  }

  /** Those of these Seqs of group `gid` whose row is damaged. */
  damagedAmong(gid: number, seqs: readonly number[]): number[] {
    return seqs.filter((seq) => this.existing(gid, seq)?.intact === false);
  }

  /**
   * One FTS row per message, queued when its content is first stored (contentless FTS4 cannot update it) and
   * written at commit, inside the same transaction. FTS4 writes a new index segment whenever its pending rows
   * are flushed — at each commit, and at each SAVEPOINT once it holds rows — so rows written window by window
   * (a savepoint each) would make a segment per window: a larger file and slower ingest and queries.
   */
  private index(id: number, searchable: string): void {
    if (searchable) this.pendingIndex.push([id, indexForm(searchable)]);
  }

  /**
   * Adds the messages inserted since the last commit to `senders` (schema v8), one statement per sender; a
   * placeholder that got its content moves from its old sender to its new one (the old one's first and last
   * times stay: a bound, the placeholder's time having been a message time of theirs).
   */
  private flushSenders(): void {
    const sums = new Map<string, { gid: number; sender: string; n: number; first: number; last: number }>();
    for (const [gid, sender, delta, time] of this.pendingSenders) {
      const key = `${gid}\n${sender}`;
      const sum = sums.get(key) ?? { gid, sender, n: 0, first: Infinity, last: -Infinity };
      sums.set(key, sum);
      sum.n += delta;
      if (time !== undefined) {
        sum.first = Math.min(sum.first, time);
        sum.last = Math.max(sum.last, time);
      }
    }
    let emptied = false;
    for (const { gid, sender, n, first, last } of sums.values()) {
      if (first <= last) this.stmts.addSender.run(gid, sender, n, first, last);
      else this.stmts.moveSender.run(n, gid, sender);
      emptied ||= n < 0;
    }
    if (emptied) this.stmts.dropSenders.run();
  }

  /** A stored row now says another sender or time: counted under the new one from the next commit. */
  private movedSender(gid: number, existing: ExistingRow, sender: string, time: number): void {
    // A damaged sender column names no one the archive counted: nothing to take away from.
    const old = existing.values[3];
    if (typeof old === 'string') this.pendingSenders.push([gid, old, -1, undefined]);
    this.pendingSenders.push([gid, sender, 1, time]);
  }

  /** Every write committed, full-text rows included: what `db` readers need. */
  private settle(): void {
    if (this.closed || this.readOnly) return;
    this.commit();
  }

  /** A time-major id (./ids.ts) no row holds yet. */
  private freeId(time: number, gid: number, seq: number): number {
    const first = preferredId(time, gid, seq);
    for (let id = first; ; ) {
      if (!firstRow(this.stmts.idTaken, id)) return id;
      id = nextSlot(id);
      if (id === first) throw new Error(`The archive already holds ${SLOTS_PER_SECOND} messages with the time stamp ${time}; Seq ${seq} cannot be stored.`);
    }
  }

  private existing(gid: number, seq: number): ExistingRow | undefined {
    const found = firstRow(this.stmts.selectMessage, gid, seq);
    if (!found) return undefined;
    const [id, lastRun, ...values] = found;
    return { id: Number(id), state: Number(values[2]), raw: String(values[8]), lastRun: lastRun === null ? null : Number(lastRun), intact: rowIntact(values), values };
  }

  private ranges(gid: number, status: RangeStatus): Range[] {
    return allRows(this.stmts.listRanges, gid, status).map(([lo, hi]) => ({ lo: Number(lo), hi: Number(hi) }));
  }

  /** Ranges of `status` intersecting [lo, hi]. */
  private overlapping(gid: number, status: RangeStatus, lo: number, hi: number): RangeRow[] {
    return allRows(this.stmts.touchingRanges, gid, status, hi, lo).map(([rowid, rlo, rhi, runId, at, reason]) => ({
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
      this.stmts.deleteRange.run(r.rowid);
    }
    this.stmts.insertRange.run(gid, merged.lo, merged.hi, status, runId, now, reason);
  }

  /** Removes [lo, hi] from `status`, keeping the parts of cut ranges outside it. */
  private removeRange(gid: number, status: RangeStatus, lo: number, hi: number): void {
    for (const r of this.overlapping(gid, status, lo, hi)) {
      this.stmts.deleteRange.run(r.rowid);
      for (const rest of subtractRanges(r, [{ lo, hi }])) this.stmts.insertRange.run(gid, rest.lo, rest.hi, status, r.runId, r.at, r.reason);
    }
  }

  private settleInterruptedRuns(): void {
    this.write(() => this.stmts.settleInterrupted.run(INTERRUPTED));
  }

  /**
   * Runs `fn` atomically: on any error nothing of it stays. Writes share one open transaction, each inside its
   * own savepoint; the transaction commits once it is COMMIT_EVERY_MS old (at the next write, or by a timer when
   * no write comes), when INDEX_ROWS_PER_COMMIT full-text rows are queued, and whenever `db` is read. A commit
   * per window would flush the WAL to the disk hundreds of times a second and write an FTS segment each time.
   */
  private write<T>(fn: () => T): T {
    if (this.readOnly) throw this.readOnlyError();
    this.throwFailure();
    const queued = this.pendingIndex.length;
    const senders = this.pendingSenders.length;
    try {
      if (!this.inTransaction) {
        this.database.exec('BEGIN IMMEDIATE');
        this.inTransaction = true;
        this.transactionStarted = performance.now();
        this.commitTimer = setTimeout(() => this.commitFromTimer(), COMMIT_EVERY_MS);
        this.commitTimer.unref();
      }
      this.database.exec('SAVEPOINT write');
    } catch (err) {
      throw asArchiveError(this.path, err);
    }
    let result: T;
    try {
      result = fn();
      this.database.exec('RELEASE write');
    } catch (err) {
      this.undoWrite();
      // Index rows queued for messages that are no longer there (their ids will be reused) must go too.
      this.pendingIndex.length = queued;
      this.pendingSenders.length = senders;
      throw archiveErrorOf(this.path, err) ?? err;
    }
    if (performance.now() - this.transactionStarted >= COMMIT_EVERY_MS || this.pendingIndex.length >= INDEX_ROWS_PER_COMMIT) this.commit();
    return result;
  }

  private commitFromTimer(): void {
    this.commitTimer = undefined;
    if (this.closed) return;
    try {
      this.commit();
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err));
    }
  }

  private clearCommitTimer(): void {
    if (this.commitTimer) clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
  }

  private throwFailure(): void {
    const failure = this.failure;
    if (!failure) return;
    this.failure = undefined;
    throw failure;
  }

  private undoWrite(): void {
    try {
      this.database.exec('ROLLBACK TO write; RELEASE write');
    } catch (err) {
      // SQLite rolled the whole transaction back itself (it does on I/O errors and a full disk): the writes since
      // the last commit are gone, coverage with them, so continuing would report windows as stored that are not.
      this.abandonTransaction();
      throw this.lostChanges(err);
    }
  }

  /** Ends the open transaction without keeping it (whatever state SQLite left it in). */
  private abandonTransaction(): void {
    this.clearCommitTimer();
    this.inTransaction = false;
    if (this.database.isTransaction) {
      try {
        this.database.exec('ROLLBACK');
      } catch {
        // already rolled back by SQLite
      }
    }
  }

  private lostChanges(err: unknown): ArchiveError {
    const mapped = archiveErrorOf(this.path, err);
    if (mapped && mapped.kind === 'disk-full') return mapped;
    return archiveErrors.lostChanges(this.path, err instanceof Error ? err.message : String(err), err);
  }

  private readOnlyError(): ArchiveError {
    return archiveErrors.unwritable(this.path, 'opened-read-only');
  }
}

/**
 * The real file an archive path names. SQLite keeps `-wal` and `-shm` beside the file it opens, so every
 * connection must name the same real file; a symbolic link to a file not created yet names its target.
 */
export async function archiveFile(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch {
    const target = await readlink(absolute).catch(() => undefined);
    return target === undefined ? absolute : resolve(dirname(absolute), target);
  }
}

function walSize(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

type Facts = 'absent' | 'empty' | { size: number; walPending: boolean };

/**
 * What is at the archive path. 'empty' only when the file has no bytes and no write-ahead log with content lies
 * beside it (then the database would live in that log), so creating the archive in its place loses nothing.
 */
function fileFacts(file: string): Facts {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw archiveErrors.foreign(file, 'a-folder');
    size = st.size;
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    const code = errorCode(err);
    if (code === 'ENOENT') {
      if (!existsSync(dirname(file))) throw archiveErrors.folderNotFound(file, dirname(file));
      return 'absent';
    }
    if (code === 'ENOTDIR') throw archiveErrors.folderNotFound(file, dirname(file));
    throw archiveErrors.unwritable(file, 'cannot-read', { detail: code ?? String(err) }, err);
  }
  let walPending = false;
  try {
    walPending = statSync(`${file}-wal`).size > 0;
  } catch {
    // no log beside it
  }
  if (size === 0 && !walPending) return 'empty';
  return { size, walPending };
}

function openOrExplain(file: string, readOnly: boolean): Db {
  try {
    return openConnection(file, readOnly);
  } catch (err) {
    throw asArchiveError(file, err);
  }
}

/**
 * Builds a new, empty archive under a temporary name beside `file` (CREATING) and renames it into place once it is
 * whole: a kill -9 or power cut while creating leaves nothing at `file` — never an empty file or one without its
 * application id, which the next open would call empty or another program's — and the next creation clears the
 * remains. Errors name `file`, the path the person chose.
 */
function createArchiveFile(file: string, fsTypeOf: FsTypeOf | undefined): void {
  const temp = `${file}${CREATING}`;
  removeCreationRemains(file);
  let db: Db | undefined;
  try {
    db = openConnection(temp, false);
    requireFullText(db, file);
    // Before anything else reaches the file: in WAL mode its first page is written at once.
    db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
    const journal = setJournal(db, file, fsTypeOf);
    db.exec('PRAGMA synchronous = FULL');
    migrate(db);
    if (journal.mode === 'wal') db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    db.close();
    db = undefined;
    renameSync(temp, file);
    syncFolder(dirname(file));
  } catch (err) {
    db?.close();
    removeCreationRemains(file);
    // Renaming or flushing the folder fails with a system error, not SQLite's (Windows: the empty file left at
    // the path is open in another program).
    const code = errorCode(err);
    if (code === 'ENOSPC') throw archiveErrors.diskFull(file, err);
    if (code !== undefined && sqliteCode(err) === undefined) throw archiveErrors.unwritable(file, 'cannot-place', { detail: code }, err);
    throw asArchiveError(file, err);
  }
}

const CREATING = '.creating';

function removeCreationRemains(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${CREATING}${suffix}`, { force: true });
}

/** The renamed file's name reaches the disk too (Windows cannot open a folder to flush it; NTFS logs renames). */
function syncFolder(folder: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function asArchiveError(file: string, err: unknown): unknown {
  return err instanceof ArchiveError ? err : (archiveErrorOf(file, err) ?? err);
}

/** Sets the journal (./journal.ts) and says whether the owner still has to be told it is not WAL. */
function setJournal(db: Db, file: string, fsTypeOf: FsTypeOf | undefined): JournalInfo {
  let choice = chooseJournal(file, dirname(file), process.env, fsTypeOf);
  if (choice.mode === 'wal') {
    const mode = String(rowsOf(db, 'PRAGMA journal_mode = WAL')[0]?.[0]);
    // SQLite answers with the mode it kept when it cannot use WAL here (no shared memory on this file system).
    if (mode !== 'wal') choice = { mode: 'rollback', reason: 'its drive does not support the shared memory a write-ahead log needs' };
  }
  if (choice.mode === 'rollback') db.exec('PRAGMA journal_mode = DELETE');
  const told = choice.mode === 'rollback' && hasNote(db, JOURNAL_NOTE);
  return { ...choice, tellOwner: choice.mode === 'rollback' && !told };
}

function hasNote(db: Db, key: string): boolean {
  // The notes table arrives with schema v3; an archive being upgraded has none yet.
  const table = rowsOf(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'notes'").length > 0;
  return table && rowsOf(db, 'SELECT 1 FROM notes WHERE key = ?', key).length > 0;
}

/**
 * Files the sql.js releases kept beside an archive (a shadow copy, a seal, a second name and temporary files of
 * their checkpoints), none of them ever the only copy of anything. Only the lock holder removes them.
 */
async function removeLegacyFiles(file: string): Promise<void> {
  const name = basename(file);
  const numbered = (n: string, of: string) => n.startsWith(`${of}.tmp-`) && /^\d+$/.test(n.slice(`${of}.tmp-`.length));
  const legacy = (n: string) => n === `${name}.shadow` || n === `${name}.prev` || n === `${name}.seal` || numbered(n, name) || numbered(n, `${name}.seal`);
  const names = await readdir(dirname(file)).catch(() => [] as string[]);
  await Promise.all(names.filter(legacy).map((n) => rm(join(dirname(file), n), { force: true })));
}

/** Whether a stored row's raw may hold a message's content: it does, or it is too damaged to say. */
function mayHoldContent(raw: string): boolean {
  try {
    return placeState(JSON.parse(raw) as GroupMsg) === 0;
  } catch {
    return true;
  }
}

function checkRange(lo: number, hi: number): void {
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo > hi) throw new RangeError(`Invalid Seq range ${lo}-${hi}`);
}

const RUN_COLUMNS = 'run_id, started_at, finished_at, outcome, trigger, retry_of, summary';
const RUN_GROUP_COLUMNS = 'rg.gid, rg.state, rg.new_messages, rg.failed_seqs, rg.reason';

function runRecord([runId, startedAt, finishedAt, outcome, trigger, retryOf, summary]: unknown[]): RunRecord {
  return {
    runId: Number(runId),
    startedAt: Number(startedAt),
    ...(finishedAt !== null ? { finishedAt: Number(finishedAt) } : {}),
    outcome: String(outcome) as RunOutcome,
    ...(trigger !== null ? { trigger: String(trigger) as RunTrigger } : {}),
    ...(retryOf !== null ? { retryOf: Number(retryOf) } : {}),
    ...(summary !== null ? { summary: parseSummary(String(summary)) } : {}),
  };
}

/** A summary that is not JSON (written by hand, damaged) is shown as its text rather than failing the whole history. */
function parseSummary(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function runGroupResult([gid, state, newMessages, failedSeqs, reason]: unknown[]): RunGroupResult {
  return {
    gid: Number(gid),
    state: String(state),
    newMessages: Number(newMessages),
    failedSeqs: Number(failedSeqs),
    ...(reason !== null ? { reason: String(reason) } : {}),
  };
}

function prepareAll(db: Db) {
  const kindSums = Object.values(KINDS)
    .map((bit) => `sum(kinds & ${bit} != 0)`)
    .join(', ');
  const p = (sql: string): Statement => arrayStatement(db, sql);
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
    beginRun: p("INSERT INTO runs (started_at, outcome, trigger, retry_of) VALUES (?, 'running', ?, ?) RETURNING run_id"),
    insertRunGroup: p('INSERT OR REPLACE INTO run_groups (gid, run_id, state, new_messages, failed_seqs, reason) VALUES (?, ?, ?, ?, ?, ?)'),
    listRuns: p(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_id < ? ORDER BY run_id DESC LIMIT ?`),
    oneRun: p(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_id = ?`),
    runGroups: p(`SELECT ${RUN_GROUP_COLUMNS} FROM run_groups rg WHERE rg.run_id = ? ORDER BY rg.gid`),
    lastRunOfGroups: p(`
      SELECT ${RUN_GROUP_COLUMNS}, r.run_id, r.started_at, r.finished_at, r.outcome
      FROM run_groups rg JOIN runs r ON r.run_id = rg.run_id
      WHERE rg.run_id = (SELECT max(run_id) FROM run_groups WHERE gid = rg.gid)`),
    finishRun: p('UPDATE runs SET finished_at = ?, outcome = ?, summary = ? WHERE run_id = ?'),
    settleInterrupted: p("UPDATE runs SET outcome = 'failed', summary = coalesce(summary, ?) WHERE outcome = 'running'"),
    groupApp: p('SELECT sdkappid FROM groups WHERE gid = ?'),
    upsertMember: p(`
      INSERT INTO members (gid, account, name_card, role, join_time, raw, updated_at, first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?7)
      ON CONFLICT (gid, account) DO UPDATE SET name_card = excluded.name_card, role = excluded.role,
        join_time = excluded.join_time, raw = excluded.raw, updated_at = excluded.updated_at,
        first_seen = coalesce(first_seen, excluded.first_seen), last_seen = excluded.last_seen, left_at = NULL`),
    markLeft: p('UPDATE members SET left_at = ?1 WHERE gid = ?2 AND left_at IS NULL AND coalesce(last_seen, 0) < ?3'),
    upsertProfile: p(`
      INSERT INTO profiles (sdkappid, account, nick, image, result_code, updated_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (sdkappid, account) DO UPDATE SET nick = coalesce(excluded.nick, nick), image = coalesce(excluded.image, image),
        result_code = excluded.result_code, updated_at = excluded.updated_at`),
    currentValue: p('SELECT id, value FROM people_history WHERE sdkappid = ? AND gid = ? AND account = ? AND field = ? ORDER BY first_seen DESC, id DESC LIMIT 1'),
    extendValue: p('UPDATE people_history SET last_seen = max(last_seen, ?), media_key = coalesce(media_key, ?) WHERE id = ?'),
    insertValue: p('INSERT INTO people_history (sdkappid, gid, account, field, value, first_seen, last_seen, media_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    memberListState: p(`
      SELECT (SELECT max(last_seen) FROM members WHERE gid = ?1),
        EXISTS (SELECT 1 FROM messages m WHERE m.gid = ?1 AND m.first_run = ?2 AND m.sender != '' AND m.sender != '@TIM#SYSTEM'
          AND NOT EXISTS (SELECT 1 FROM members WHERE gid = ?1 AND account = m.sender)
          AND NOT EXISTS (SELECT 1 FROM profiles p JOIN groups g ON g.sdkappid = p.sdkappid WHERE g.gid = ?1 AND p.account = m.sender)),
        (SELECT count(*) FROM members WHERE gid = ?1 AND left_at IS NULL)`),
    // Tencent's system account and deleted messages' empty sender are no one to ask about.
    profilesDue: p(`
      SELECT account FROM (
        SELECT account FROM members WHERE gid IN (SELECT value FROM json_each(?1))
        UNION SELECT account FROM senders WHERE gid IN (SELECT value FROM json_each(?2)) AND account != '' AND account != '@TIM#SYSTEM'
      ) AS people
      WHERE NOT EXISTS (SELECT 1 FROM profiles p WHERE p.sdkappid = ?3 AND p.account = people.account AND p.updated_at >= ?4)
      ORDER BY account`),
    // node:sqlite binds every JavaScript number as a double: ids (beyond 32 bits) are cast back to integers,
    // which an INTEGER PRIMARY KEY and an FTS4 docid require.
    insertMessage: p(`
      INSERT INTO messages (id, gid, seq, state, sender, time, kinds, is_system, text, raw, checksum, first_run, last_run)
      VALUES (CAST(? AS INTEGER), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    idTaken: p('SELECT 1 FROM messages WHERE id = ?'),
    selectMessage: p(`SELECT id, last_run, ${CHECKED_COLUMNS} FROM messages WHERE gid = ? AND seq = ?`),
    lastChange: p('SELECT raw FROM message_changes WHERE gid = ? AND seq = ? ORDER BY id DESC LIMIT 1'),
    insertChange: p('INSERT INTO message_changes (gid, seq, run_id, at, from_state, to_state, raw, cause) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    touchMessage: p('UPDATE messages SET last_run = ? WHERE id = ?'),
    moveSender: p('UPDATE senders SET messages = messages + ? WHERE gid = ? AND account = ?'),
    dropSenders: p('DELETE FROM senders WHERE messages <= 0'),
    addSender: p(`INSERT INTO senders (gid, account, messages, first_time, last_time) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (gid, account) DO UPDATE SET messages = messages + excluded.messages,
        first_time = min(first_time, excluded.first_time), last_time = max(last_time, excluded.last_time)`),
    setState: p('UPDATE messages SET state = ?, checksum = ?, last_run = ? WHERE id = ?'),
    replaceContent: p('UPDATE messages SET id = CAST(? AS INTEGER), state = ?, sender = ?, time = ?, kinds = ?, is_system = ?, text = ?, raw = ?, checksum = ?, last_run = ? WHERE id = ?'),
    insertFts: p('INSERT INTO message_fts (docid, body) VALUES (CAST(? AS INTEGER), ?)'),
    stats: p(`SELECT count(*), sum(state = 0), sum(state = 2), min(seq), max(seq), ${kindSums} FROM messages WHERE gid = ?`),
    listRanges: p('SELECT lo, hi FROM seq_ranges WHERE gid = ? AND status = ? ORDER BY lo'),
    touchingRanges: p('SELECT rowid, lo, hi, run_id, at, reason FROM seq_ranges WHERE gid = ? AND status = ? AND lo <= ? AND hi >= ? ORDER BY lo'),
    deleteRange: p('DELETE FROM seq_ranges WHERE rowid = ?'),
    insertRange: p('INSERT INTO seq_ranges (gid, lo, hi, status, run_id, at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    setNote: p('INSERT INTO notes (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
  };
}
