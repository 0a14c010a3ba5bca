import type { Archive, GroupRow } from '../archive';

export class SelectionError extends Error {}

/** The archive's groups named by ID (all when none are named); an ID the archive does not hold is an error. */
export function selectGroups(archive: Archive, groupIds: string[]): GroupRow[] {
  const all = archive.groups();
  if (groupIds.length === 0) return all;
  const unknown = groupIds.filter((id) => !all.some((g) => g.groupId === id));
  if (unknown.length > 0) {
    throw new SelectionError(`The archive has no group ${unknown.map((u) => `"${u}"`).join(', ')}. Run "tim-backup status" to see the groups it holds.`);
  }
  return all.filter((g) => groupIds.includes(g.groupId));
}
