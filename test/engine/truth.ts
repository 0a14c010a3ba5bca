// Compares an archive with the emulator's ground truth, Seq by Seq. Shared by the engine's exactness and
// crash-safety tests, so "exact" means one thing everywhere.

import { expect } from 'vitest';
import { type Archive, arrayStatement, eachRow } from '../../app/archive';
import type { GroupMsg } from '../../app/im/wire';
import { withoutSignatures } from '../../app/media/model';
import type { EmulatedGroup } from '../emulator';

export interface ArchivedRow {
  seq: number;
  state: number;
  raw: GroupMsg;
}

export function archivedRows(archive: Archive, gid: number): Map<number, ArchivedRow> {
  const rows = new Map<number, ArchivedRow>();
  const stmt = arrayStatement(archive.db, 'SELECT seq, state, raw FROM messages WHERE gid = ? ORDER BY seq');
  for (const row of eachRow(stmt, gid)) {
    const [seq, state, raw] = row as [number, number, string];
    rows.set(seq, { seq, state, raw: JSON.parse(raw) as GroupMsg });
  }
  return rows;
}

export function gidOf(archive: Archive, groupId: string, topicId = ''): number {
  const g = archive.groups().find((r) => r.groupId === groupId && r.topicId === topicId);
  if (!g) throw new Error(`archive has no group ${groupId}${topicId ? ` topic ${topicId}` : ''}`);
  return g.gid;
}

/**
 * Every Seq from the retention edge to `top` is settled exactly as Tencent says: a row deep-equal to the API's
 * answer (or, for a Seq archived before it was recalled/deleted, the original), no row for a hole, and the
 * range covered with no failures. Below the edge: recorded as expired, not stored row by row.
 * `keptOriginals`: Seqs changed at Tencent after they were archived, whose original the archive must keep.
 */
export function expectExact(
  archive: Archive,
  groupId: string,
  group: EmulatedGroup,
  opts: { top?: number; keptOriginals?: ReadonlySet<number>; topicId?: string } = {},
): void {
  const top = opts.top ?? group.newestSeq;
  const gid = gidOf(archive, groupId, opts.topicId);
  const rows = archivedRows(archive, gid);
  const cov = archive.coverage(gid);
  expect(cov.failed).toEqual([]);
  const edge = cov.expired.length > 0 ? cov.expired[cov.expired.length - 1]!.hi + 1 : 1;
  for (let seq = 1; seq < edge; seq++) expect(group.state(seq), `Seq ${seq} marked expired`).toBe('expired');
  expect(archive.gaps(gid, edge, top)).toEqual([]);
  const mismatches: string[] = [];
  for (let seq = edge; seq <= top; seq++) {
    const view = group.view(seq);
    const row = rows.get(seq);
    if (view === undefined) {
      if (row) mismatches.push(`Seq ${seq}: archived but absent at Tencent`);
      continue;
    }
    if (!row) {
      mismatches.push(`Seq ${seq}: missing (${group.state(seq)})`);
      continue;
    }
    // A Seq recalled or deleted after it was archived keeps its original content; its state follows Tencent.
    const wanted = opts.keptOriginals?.has(seq) ? group.original(seq) : view;
    try {
      // Media URLs are signed afresh in every answer: the same message, signed twice, is the same message.
      expect(withoutSignatures(row.raw)).toEqual(wanted && withoutSignatures(wanted));
      expect(row.state).toBe(view.IsPlaceMsg);
    } catch {
      mismatches.push(`Seq ${seq}: differs (${group.state(seq)})`);
    }
  }
  expect(mismatches.slice(0, 20)).toEqual([]);
  expect([...rows.keys()].filter((s) => s > top)).toEqual([]);
}
