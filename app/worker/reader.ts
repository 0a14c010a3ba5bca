// What the archive holds, as the renderer shows it: groups with their archived state, a group's coverage, and
// reader pages (keyset by Seq, so a 100k-message group is read a page at a time). Messages go out as the HTML
// export's view models, so the reader shows every element exactly as an exported transcript does.

import { type Archive, CHECKED_COLUMNS, type GroupRow, rowIntact, rowsOf, subtractRanges, valueOf } from '../archive';
import { completeness } from '../coverage/completeness';
import { rowStats } from '../export/source';
import { MediaReader } from '../media/read';
import { NameBook } from '../people/names';
import { type StoredMessage, viewMessage } from '../export/view';
import type { CoverageReport, GroupArchiveState, GroupEntry, ReadAnchor, ReaderPage, ReadPageArgs } from '../ipc/contract';
import { WorkerFailure } from './errors';

export function findGroup(archive: Archive | undefined, sdkAppId: number, groupId: string, topicId = ''): GroupRow {
  const row = archive?.groups().find((g) => g.sdkAppId === sdkAppId && g.groupId === groupId && g.topicId === topicId);
  if (!row) throw WorkerFailure.of('not-found', 'group-not-archived', { groupId, topicId });
  return row;
}

/** The groups of one app the archive holds. */
export function archivedGroups(archive: Archive | undefined, sdkAppId: number): GroupRow[] {
  return archive?.groups().filter((g) => g.sdkAppId === sdkAppId) ?? [];
}

export function archiveState(archive: Archive, group: GroupRow): GroupArchiveState {
  const c = completeness(archive, group);
  return {
    ...(c.counts.oldest !== undefined ? { oldestSeq: c.counts.oldest } : {}),
    ...(c.counts.newest !== undefined ? { newestSeq: c.counts.newest } : {}),
    messages: c.counts.messages,
    failedSeqs: c.counts.failed,
    missingSeqs: c.counts.notYetFetched,
    ...(group.infoAt !== undefined ? { lastBackupAt: group.infoAt } : {}),
    completeness: c,
  };
}

/** An archived group as a listing entry, for the offline listing and for groups Tencent no longer lists. */
export function archivedEntry(archive: Archive, g: GroupRow, atTencent?: boolean): GroupEntry {
  const info = g.info;
  return {
    groupId: g.groupId,
    ...(g.topicId ? { topicId: g.topicId } : {}),
    ...(g.type !== undefined ? { type: g.type } : {}),
    ...(g.name !== undefined ? { name: g.name } : {}),
    ...(typeof info?.MemberNum === 'number' ? { memberNum: info.MemberNum } : {}),
    ...(g.newestSeq !== undefined ? { newestSeq: g.newestSeq } : {}),
    ...(typeof info?.LastMsgTime === 'number' ? { lastMsgTime: info.LastMsgTime } : {}),
    canBackUp: atTencent !== false,
    ...(atTencent === false
      ? { reasonKind: 'gone' as const, reason: g.topicId ? 'Tencent no longer lists this topic (it may have been deleted). What was archived is kept.' : 'Tencent no longer lists this group (it may have been dismissed). What was archived is kept.' }
      : {}),
    ...(atTencent !== undefined ? { atTencent } : {}),
    archive: archiveState(archive, g),
  };
}

export function coverageReport(archive: Archive, group: GroupRow): CoverageReport {
  const c = completeness(archive, group);
  const ranges = archive.coverage(group.gid);
  const failed = ranges.failed;
  const newest = c.counts.newestKnown;
  const gaps = newest !== undefined ? archive.gaps(group.gid, 1, newest).flatMap((g) => subtractRanges(g, failed)) : [];
  const times = rowStats(archive, group.gid, {});
  return {
    groupId: group.groupId,
    ...(group.topicId ? { topicId: group.topicId } : {}),
    ...(group.name !== undefined ? { name: group.name } : {}),
    completeness: c,
    ...(times.minTime !== undefined ? { oldestTime: times.minTime, newestTime: times.maxTime! } : {}),
    covered: ranges.covered,
    expiredRanges: ranges.expired,
    failedRanges: failed,
    gaps,
  };
}


export function readPage(archive: Archive, group: GroupRow, args: Pick<ReadPageArgs, 'anchor' | 'direction' | 'limit' | 'exclusive'>): ReaderPage {
  const anchor = resolveAnchor(archive, group.gid, args.anchor);
  if (anchor === undefined) return { messages: [], hasBefore: false, hasAfter: false };
  const skip = args.exclusive === true ? 1 : 0;
  const focus = args.anchor.at === 'seq' || args.anchor.at === 'time';
  switch (args.direction) {
    case 'after':
      return pageAt(archive, group, anchor + skip, 0, args.limit, focus);
    case 'before':
      return pageAt(archive, group, anchor + 1 - skip, args.limit, 0, focus);
    case 'around':
      return pageAt(archive, group, anchor, args.limit, args.limit + 1, focus);
  }
}

/** Message `seq` (or the next one that exists) with `before` messages before it and `after` after it. */
export function readContext(archive: Archive, group: GroupRow, seq: number, before: number, after: number): ReaderPage {
  return pageAt(archive, group, seq, before, after + 1, true);
}

/** Up to `before` messages with Seq < split, then up to `after` with Seq ≥ split, ascending. */
function pageAt(archive: Archive, group: GroupRow, split: number, before: number, after: number, focus: boolean): ReaderPage {
  const db = archive.db;
  const rows = (where: string, order: 'ASC' | 'DESC', limit: number): StoredMessage[] =>
    limit === 0
      ? []
      : rowsOf(db, `SELECT ${CHECKED_COLUMNS} FROM messages WHERE gid = ? AND ${where} ORDER BY seq ${order} LIMIT ?`, group.gid, split, limit).map((v) => {
          const [, seq, state, sender, time, , isSystem, , raw] = v;
          // A row that no longer matches its checksum is shown as damage (viewMessage), never as the message.
          const damaged = !rowIntact(v);
          return { seq: Number(seq), state: Number(state), sender: String(sender), time: Number(time), isSystem: Number(isSystem) !== 0, raw: String(raw), ...(damaged ? { damaged } : {}) };
        });
  const exists = (where: string, seq: number) => rowsOf(db, `SELECT 1 FROM messages WHERE gid = ? AND ${where} LIMIT 1`, group.gid, seq).length > 0;
  const earlier = rows('seq < ?', 'DESC', before).reverse();
  const later = rows('seq >= ?', 'ASC', after);
  const page = [...earlier, ...later];
  const names = new NameBook(db, group);
  const media = new MediaReader(db, archive.path);
  const view = { name: (account: string, time?: number) => names.name(account, time), media: (key: string) => media.copy(key), avatar: (account: string, time?: number) => names.avatar(account, time) };
  return {
    messages: page.map((m) => viewMessage(m, view)),
    hasBefore: exists('seq < ?', page[0]?.seq ?? split),
    hasAfter: exists('seq > ?', page[page.length - 1]?.seq ?? split - 1),
    ...(focus && later[0] ? { focusSeq: later[0].seq } : {}),
  };
}

/** The Seq a page starts from; undefined when the group has no messages at all. */
function resolveAnchor(archive: Archive, gid: number, anchor: ReadAnchor): number | undefined {
  const one = (sql: string, params: number[]) => {
    const v = valueOf(archive.db, sql, ...params);
    return v === null || v === undefined ? undefined : Number(v);
  };
  switch (anchor.at) {
    case 'oldest':
      return one('SELECT min(seq) FROM messages WHERE gid = ?', [gid]);
    case 'newest':
      return one('SELECT max(seq) FROM messages WHERE gid = ?', [gid]);
    case 'seq':
      return one('SELECT max(seq) FROM messages WHERE gid = ?', [gid]) === undefined ? undefined : anchor.seq;
    case 'time':
      // The first message at or after that moment; after the last message, the newest one.
      return one('SELECT seq FROM messages WHERE gid = ? AND time >= ? ORDER BY time, seq LIMIT 1', [gid, anchor.time]) ?? one('SELECT max(seq) FROM messages WHERE gid = ?', [gid]);
  }
}
