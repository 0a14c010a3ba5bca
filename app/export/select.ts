import type { Archive, GroupRow } from '../archive';
import { SaidError, type Sentences, type Tables, sayAll } from '../errors/said';

export const SELECTION_EN = {
  'no-such-group': (p) => `The archive has no group ${p.list}. Run "tim-backup status" to see the groups it holds.`,
} satisfies Sentences<'no-such-group', { list: string }>;

export const SELECTION_ZH = {
  'no-such-group': (p) => `归档中没有群组 ${p.list}。运行“tim-backup status”可查看归档中的群组。`,
} satisfies Sentences<'no-such-group', { list: string }>;

const SELECTION: Tables<'no-such-group', { list: string }> = { en: SELECTION_EN, 'zh-CN': SELECTION_ZH };

/** Groups named that the archive does not hold. */
export class SelectionError extends SaidError {
  constructor(list: string) {
    super(sayAll(SELECTION, 'no-such-group', { list }));
  }
}

/** The archive's groups named by ID (all when none are named); an ID the archive does not hold is an error. */
export function selectGroups(archive: Archive, groupIds: string[]): GroupRow[] {
  const all = archive.groups();
  if (groupIds.length === 0) return all;
  const unknown = groupIds.filter((id) => !all.some((g) => g.groupId === id));
  if (unknown.length > 0) {
    throw new SelectionError(unknown.map((u) => `"${u}"`).join(', '));
  }
  return all.filter((g) => groupIds.includes(g.groupId));
}
