// Archive search: the terms of a query (./query), decided exactly on each message's searchable text and its
// sender's names (./match, ./names), found through the full-text index (./fts), filtered (./filter), newest or
// oldest first, one keyset page at a time. ./README.md explains the plan and its measurements.

import type { Archive } from '../archive';
import { searchableText } from '../archive/fts';
import { idRange as timeIdRange } from '../archive/ids';
import type { GroupMsg } from '../im/wire';
import { filterWhere, type MessageFilter, narrows, type SqlFragment } from './filter';
import { matchExpression } from './fts';
import { findTerm } from './match';
import { type NameIndex, nameIndex, senderKey } from './names';
import { searchForm, type Token, tokens } from './normalize';
import { parseQuery, type Term } from './query';
import type { Said } from '../errors/said';
import { AFTER_ROW_COLUMNS, type MessageRow, MergedStream, ROW_COLUMNS, RowsById, RowStream, type Stream, toRow } from './rows';
import { SenderDays } from './senders';
import { type Segment, snippet } from './snippet';
import { arrayStatement, type Db, firstRow, rowsOf, type SqlParam } from '../archive/sqlite';

export type SearchOrder = 'newest' | 'oldest';

/** Where the next page starts: opaque, valid for the same query, filter and order. */
export type Cursor = string;

export interface PageRequest {
  /** The `next` of the previous page. */
  after?: Cursor;
  /** Hits per page, 1–500 (default 50). */
  limit?: number;
  /** Default newest first. */
  order?: SearchOrder;
}

export interface SearchHit {
  /** The archive's group row: pass it to around() for the messages around this one. */
  gid: number;
  groupId: string;
  /** '' for a group without topics. */
  topicId: string;
  groupName?: string;
  seq: number;
  sender: string;
  /** Group name card, else profile nick, when the archive knows one. */
  senderName?: string;
  /** Unix seconds. */
  time: number;
  /** messages.kinds bitmask (app/archive KINDS). */
  kinds: number;
  /** 0 normal, 1 deleted placeholder, 2 recalled. */
  state: number;
  isSystem: boolean;
  /** Around the first match of the message's display text, matches marked. */
  snippet: Segment[];
  /** A term matched the sender's name (the text itself may not contain it). */
  senderMatched: boolean;
  /**
   * The archived row no longer matches its checksum: found by the full-text index (written from the content as
   * it was stored) or by what the damaged row still holds, and shown as damage: its snippet is empty.
   */
  damaged?: boolean;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Present when there may be more hits: pass it as `after` for the next page. */
  next?: Cursor;
  /** Set when the query has nothing to look for; a sentence to show instead of results. */
  nothingToSearch?: Said;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
/**
 * Rows looked at one by one before asking the full-text index when FTS would have to load whole doclists
 * (see plan()): a common term fills a page from these alone, and a rare one costs this on top of a cheap lookup.
 */
const RECENT_ROWS = 600;

export function search(archive: Archive, query: string, filter: MessageFilter = {}, page: PageRequest = {}): SearchResult {
  const parsed = parseQuery(query);
  // Filters alone are a search too ("every recalled message of this group"): no words, every row they keep.
  const byFiltersOnly = query.trim() === '' && narrows(filter);
  if (parsed.nothingToSearch !== undefined && !byFiltersOnly) return { hits: [], nothingToSearch: parsed.nothingToSearch };
  const order = page.order ?? 'newest';
  const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(page.limit ?? DEFAULT_LIMIT) || DEFAULT_LIMIT));
  const db = archive.db;
  const names = nameIndex(db);
  const matcher = new Matcher(parsed.terms, names);
  const where = filterWhere(filter, 'm');
  const range = idRange(filter, order, page.after);
  const scan: Scan = { db, where, range, descending: order === 'newest', matcher, want: limit + 1, found: [] };
  const how = plan(db, matcher, archive.indexHasPairs);
  // An incremental FTS read beats any scan; otherwise the recent rows may settle the page on their own.
  const settled = !(how.incremental && scan.descending) && recentScan(scan);
  if (!settled) candidateScan(scan, how, filter);

  const hits = scan.found.slice(0, limit);
  const groups = groupInfo(db);
  return {
    hits: hits.map((r) => toHit(r, groups, names, matcher)),
    ...(scan.found.length > limit ? { next: encodeCursor(order, hits[hits.length - 1]!.id) } : {}),
  };
}

/** Messages with ids in [lo, hi). */
interface IdRange {
  lo: number;
  hi: number;
}

interface Scan {
  db: Db;
  where: SqlFragment;
  range: IdRange;
  descending: boolean;
  matcher: Matcher;
  want: number;
  found: MessageRow[];
}

/** Decides each candidate exactly: every positive term and no negative term occurs in its text or sender's names. */
class Matcher {
  readonly positive: Term[];
  readonly negative: Term[];
  /** Per term, the senders whose names it occurs in. */
  readonly senders: Map<Term, Set<string>>;

  constructor(terms: readonly Term[], names: NameIndex) {
    this.positive = terms.filter((t) => !t.negated);
    this.negative = terms.filter((t) => t.negated);
    this.senders = new Map(terms.map((t) => [t, names.matching(t)]));
  }

  matches(row: MessageRow): boolean {
    const key = senderKey(row.gid, row.sender);
    let text: Token[] | undefined;
    const occurs = (t: Term) => this.senders.get(t)!.has(key) || findTerm(t, (text ??= searchableTokens(row))) >= 0;
    return this.positive.every(occurs) && !this.negative.some(occurs);
  }

  senderMatched(row: MessageRow): boolean {
    const key = senderKey(row.gid, row.sender);
    return this.positive.some((t) => this.senders.get(t)!.has(key));
  }
}

/** The tokens of what the index holds for a message (app/archive/fts.ts); for a damaged raw, what its text still says. */
function searchableTokens(row: MessageRow): Token[] {
  let msg: GroupMsg | undefined;
  try {
    msg = JSON.parse(row.raw) as GroupMsg;
  } catch {
    // Only damage makes a stored raw unreadable (the archive writes JSON.stringify's output).
  }
  return tokens(searchForm(msg ? searchableText(msg) : row.text));
}

/**
 * Looks at the newest (or oldest) RECENT_ROWS messages of the range one by one. Returns true when that settled
 * the page (enough hits, or the range has no more rows); otherwise narrows the range to what is left.
 */
function recentScan(s: Scan): boolean {
  const dir = s.descending ? 'DESC' : 'ASC';
  const stream = new RowStream(
    s.db,
    `SELECT ${ROW_COLUMNS}, (${s.where.sql}) FROM messages m WHERE m.id >= ? AND m.id < ? ORDER BY m.id ${dir} LIMIT ?`,
    [...s.where.params, s.range.lo, s.range.hi, RECENT_ROWS],
  );
  try {
    let seen = 0;
    let last = 0;
    for (let v = stream.take(); v; v = stream.take()) {
      seen++;
      const row = toRow(v);
      last = row.id;
      if (Number(v[AFTER_ROW_COLUMNS]) && s.matcher.matches(row) && s.found.push(row) >= s.want) return true;
    }
    if (seen < RECENT_ROWS) return true;
    if (s.descending) s.range.hi = last;
    else s.range.lo = last + 1;
    return false;
  } finally {
    stream.close();
  }
}

/**
 * The rest of the range through the full-text index (or, when no term can use it, every row). When the filter
 * names senders, their own messages are a second complete way to the same hits: cheaper when the senders are
 * rare next to the terms ("the" from one person), dearer when they are not. Which one is cannot be known
 * beforehand (FTS4 keeps no term counts), so both run, a slice of time each in turn, and the first to settle
 * the page decides it — never more than twice the cost of the better way.
 */
function candidateScan(s: Scan, how: Plan, filter: MessageFilter): void {
  const bySender = how.parts.length > 0 ? senderMessages(s, filter) : undefined;
  const ways = bySender ? [bySender, candidates(s, how)] : [candidates(s, how)];
  // Candidates from the index matched the content as it was stored, whatever damage did since: a damaged one is a
  // hit (shown as damage), since its damaged text cannot be trusted to decide. The senders' way asks the index
  // the same of each damaged row it meets, so both ways find the same hits.
  const indexed = how.parts.length > 0 && how.parts.every((p) => p.expr !== undefined) && s.matcher.negative.length === 0;
  const inIndex = indexed && bySender ? indexedRow(s, how) : undefined;
  const runs = ways.map((stream, i) => ({ stream, found: [] as MessageRow[], damagedHit: !indexed ? undefined : i === ways.length - 1 ? () => true : inIndex }));
  // An index way that cannot read incrementally (a short prefix: every term it expands to is loaded whole) takes
  // its first step all at once, and a step cannot be cut short: "the" from one person at 10M messages waited half
  // a second for it. The senders' way goes alone first for a while instead.
  let slice = bySender && !how.incremental ? SENDERS_HEAD_START_MS : RACE_SLICE_MS;
  try {
    for (;;) {
      for (const run of runs) {
        const until = performance.now() + slice;
        slice = RACE_SLICE_MS;
        do {
          const v = run.stream.take();
          const row = v && toRow(v);
          const hit = row && (row.damaged && run.damagedHit ? run.damagedHit(row) : s.matcher.matches(row));
          if (row && !(hit && s.found.length + run.found.push(row) >= s.want)) continue;
          s.found.push(...run.found);
          return;
        } while (runs.length === 1 || performance.now() < until);
      }
    }
  } finally {
    for (const run of runs) run.stream.close();
  }
}

/** Whether the full-text way would have given this row: one of the plan's parts matches its docid. */
function indexedRow(s: Scan, how: Plan): (row: MessageRow) => boolean {
  const probe = arrayStatement(s.db, 'SELECT 1 FROM message_fts WHERE message_fts MATCH ? AND docid = ?');
  return (row) =>
    how.parts.some((p) => (!p.bySender || how.senders!.has(senderKey(row.gid, row.sender))) && firstRow(probe, p.expr!, row.id) !== undefined);
}

/** How long one way of a race runs before the other's turn. */
const RACE_SLICE_MS = 2;
/** How long the senders' way runs alone before an index way that loads whole doclists starts. */
const SENDERS_HEAD_START_MS = 40;
/** More groups than this are not raced: merging that many day-by-day walks costs more than it saves. */
const MAX_SENDER_WALKS = 64;

/**
 * The filter's senders' messages in the range, in id order without sorting: a day-by-day walk per group
 * (./senders.ts), merged. Undefined when the filter names no sender or too many groups.
 */
function senderMessages(s: Scan, filter: MessageFilter): Stream | undefined {
  if (!filter.senders?.length) return undefined;
  const inGroups = filterWhere(filter.groupIds ? { groupIds: filter.groupIds } : {}, 'g');
  const gids = rowsOf(s.db, `SELECT g.gid FROM groups g WHERE ${inGroups.sql}`, ...inGroups.params).map(([gid]) => Number(gid));
  if (gids.length > MAX_SENDER_WALKS) return undefined;
  return sendersMessages(s, new Map(gids.map((gid) => [gid, filter.senders!])));
}

/** Messages of the given senders per group, in the scan's range and order. */
function sendersMessages(s: Scan, byGroup: Map<number, readonly string[]>): RowsById {
  const walks = [...byGroup].map(([gid, senders]) => new SenderDays(s.db, gid, senders, s.range, s.where, s.descending));
  return new RowsById(s.db, new MergedStream(walks, s.descending));
}

/**
 * Where candidates come from: streams whose union contains every message of the range the terms could match.
 * A term no sender name matches must occur in the text, so FTS over those terms finds a superset. A term that
 * also matches sender names (t) occurs in the text or is from one of them: the union of FTS over the text terms
 * and t, and FTS over the text terms alone restricted to t's senders. Without text terms, t's senders' messages
 * stand in for the second part; with no indexable term at all, every row is a candidate.
 */
interface Part {
  /** FTS MATCH expression; none: every message of `senders`. */
  expr?: string;
  /** Only messages from these senders (senderKey), via temp.search_senders. */
  bySender: boolean;
}

interface Plan {
  parts: Part[];
  /** The senders of the name-matched term in the plan, if any. */
  senders?: Set<string>;
  /**
   * message_fts is ordered newest first (order=DESC), so FTS4 reads doclists incrementally for a newest-first
   * page and stops after it. Not so for a short prefix (t* expands over thousands of terms, all loaded) or a
   * sort by sender: then the recent rows go first.
   */
  incremental: boolean;
}

/** Prefixes this long expand over few terms: loading them all costs a few ms (meet* → meet, meeting, meetup). */
const CHEAP_PREFIX = 4;

function plan(db: Db, matcher: Matcher, pairs: boolean): Plan {
  const textOnly = matcher.positive.filter((t) => matcher.senders.get(t)!.size === 0);
  const textExpr = textOnly.length ? matchExpression(db, textOnly, pairs) : undefined;
  const byName = matcher.positive
    .filter((t) => matcher.senders.get(t)!.size > 0)
    .map((t) => ({ t, expr: matchExpression(db, [...textOnly, t], pairs), senders: matcher.senders.get(t)! }))
    .filter((c): c is { t: Term; expr: string; senders: Set<string> } => c.expr !== undefined)
    .sort((a, b) => a.senders.size - b.senders.size)[0];
  const parts: Part[] =
    textExpr && !byName ? [{ expr: textExpr, bySender: false }]
    : byName ? [{ expr: byName.expr, bySender: false }, { ...(textExpr ? { expr: textExpr } : {}), bySender: true }]
    : [];
  return {
    parts,
    ...(byName ? { senders: byName.senders } : {}),
    incremental: parts.length > 0 && parts.every((p) => p.expr !== undefined && [...p.expr.matchAll(/([^\s"]*)\*"/gu)].every((m) => [...m[1]!].length >= CHEAP_PREFIX)),
  };
}

function candidates(s: Scan, how: Plan): Stream {
  const { db, where, range } = s;
  const dir = s.descending ? 'DESC' : 'ASC';
  if (how.parts.length === 0) {
    return new RowStream(db, `SELECT ${ROW_COLUMNS} FROM messages m WHERE m.id >= ? AND m.id < ? AND (${where.sql}) ORDER BY m.id ${dir}`, [range.lo, range.hi, ...where.params]);
  }
  if (how.senders) fillSenders(db, how.senders);
  const fromSenders = '(m.gid, m.sender) IN (SELECT gid, account FROM temp.search_senders)';
  const streams = how.parts.map((p) =>
    p.expr !== undefined
      ? new RowStream(
          db,
          `SELECT ${ROW_COLUMNS} FROM message_fts JOIN messages m ON m.id = message_fts.docid
           WHERE message_fts MATCH ? AND message_fts.docid >= ? AND message_fts.docid < ? AND ${p.bySender ? fromSenders : 'TRUE'} AND (${where.sql})
           ORDER BY message_fts.docid ${dir}`,
          [p.expr, range.lo, range.hi, ...where.params],
        )
      : sendersMessages(s, byGroup(how.senders!)),
  );
  return streams.length === 1 ? streams[0]! : new MergedStream(streams, s.descending);
}

/** senderKey()s by group. */
function byGroup(keys: Set<string>): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const key of keys) {
    const at = key.indexOf('\n');
    const gid = Number(key.slice(0, at));
    out.set(gid, [...(out.get(gid) ?? []), key.slice(at + 1)]);
  }
  return out;
}

/** The senders a name-matched term stands for, in a temp table (outside the archive file) for one query. */
function fillSenders(db: Db, keys: Set<string>): void {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS search_senders (gid INTEGER NOT NULL, account TEXT NOT NULL, PRIMARY KEY (gid, account)) WITHOUT ROWID');
  db.exec('DELETE FROM temp.search_senders');
  const insert = db.prepare('INSERT OR IGNORE INTO temp.search_senders (gid, account) VALUES (?, ?)');
  for (const key of keys) {
    const at = key.indexOf('\n');
    insert.run(Number(key.slice(0, at)), key.slice(at + 1));
  }
}

// ---- pages -------------------------------------------------------------------------------------------------

/** The ids a page may return: the filter's time range (ids are time-major) after the cursor. */
function idRange(filter: MessageFilter, order: SearchOrder, after: Cursor | undefined): IdRange {
  const range = timeIdRange(filter.since, filter.until);
  if (after !== undefined) {
    const id = decodeCursor(order, after);
    if (order === 'newest') range.hi = Math.min(range.hi, id);
    else range.lo = Math.max(range.lo, id + 1);
  }
  return range;
}

function encodeCursor(order: SearchOrder, id: number): Cursor {
  return `${order === 'newest' ? 'n' : 'o'}${id.toString(36)}`;
}

function decodeCursor(order: SearchOrder, cursor: Cursor): number {
  const id = /^[no]-?[0-9a-z]{1,12}$/u.test(cursor) && cursor[0] === order[0] ? parseInt(cursor.slice(1), 36) : NaN;
  if (!Number.isSafeInteger(id)) throw new RangeError(`"${cursor}" is not a ${order}-first page cursor of search(); start again from the first page.`);
  return id;
}

// ---- hits ----------------------------------------------------------------------------------------------------

interface GroupInfoRow {
  groupId: string;
  topicId: string;
  name?: string;
}

function groupInfo(db: Db): Map<number, GroupInfoRow> {
  const rows = rowsOf(db, 'SELECT gid, group_id, topic_id, name FROM groups');
  return new Map(rows.map(([gid, groupId, topicId, name]) => [Number(gid), { groupId: String(groupId), topicId: String(topicId), ...(name !== null ? { name: String(name) } : {}) }]));
}

function toHit(r: MessageRow, groups: Map<number, GroupInfoRow>, names: NameIndex, matcher: Matcher): SearchHit {
  const g = groups.get(r.gid);
  const senderName = names.displayName(r.gid, r.sender);
  return {
    gid: r.gid,
    groupId: g?.groupId ?? '',
    topicId: g?.topicId ?? '',
    ...(g?.name !== undefined ? { groupName: g.name } : {}),
    seq: r.seq,
    sender: r.sender,
    ...(senderName !== undefined ? { senderName } : {}),
    time: r.time,
    kinds: r.kinds,
    state: r.state,
    isSystem: r.isSystem,
    snippet: r.damaged ? [] : snippet(r.text, matcher.positive),
    senderMatched: matcher.senderMatched(r),
    ...(r.damaged ? { damaged: true } : {}),
  };
}

// ---- context -------------------------------------------------------------------------------------------------

export interface ContextMessage {
  gid: number;
  seq: number;
  sender: string;
  senderName?: string;
  time: number;
  kinds: number;
  state: number;
  isSystem: boolean;
  /** '' for a damaged row. */
  text: string;
  /** The archived row no longer matches its checksum: shown as damage, without its text. */
  damaged?: boolean;
}

/** The message gid/seq with up to `before` messages before it and `after` after it, in Seq order. */
export function around(archive: Archive, gid: number, seq: number, before = 10, after = 10): ContextMessage[] {
  const db = archive.db;
  const names = nameIndex(db);
  const count = (n: number) => Math.max(0, Math.min(1000, Math.floor(n) || 0));
  const read = (sql: string, ...params: SqlParam[]) => rowsOf(db, sql, ...params).map(toRow);
  const earlier = read(`SELECT ${ROW_COLUMNS} FROM messages m WHERE m.gid = ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`, gid, seq, count(before)).reverse();
  const later = read(`SELECT ${ROW_COLUMNS} FROM messages m WHERE m.gid = ? AND m.seq >= ? ORDER BY m.seq ASC LIMIT ?`, gid, seq, count(after) + 1);
  return [...earlier, ...later].map((r) => {
    const senderName = names.displayName(r.gid, r.sender);
    const shown = r.damaged ? { text: '', damaged: true } : { text: r.text };
    return { gid: r.gid, seq: r.seq, sender: r.sender, ...(senderName !== undefined ? { senderName } : {}), time: r.time, kinds: r.kinds, state: r.state, isSystem: r.isSystem, ...shown };
  });
}
