// What every transcript states before any message: how complete the group's archive is (the archive's own
// numbers), and what a filter left out. Shared by the HTML and TXT exports, so both always say the same.

import type { Archive, GroupRow } from '../archive';
import { type Completeness, describe, type Verdict } from '../coverage/verdict';
import { filtersMessages, type MessageFilter } from '../search/filter';

export { filtersMessages };
import type { Clock } from './clock';
import type { Dictionary, Lang } from './i18n';
import { formatCount } from './units';
import { visibleText } from './visible';

/** The verdict a transcript states: the archive's completeness, or "filtered" when the export left messages out. */
export function verdict(c: Completeness, d: Dictionary, lang: Lang, clock: Clock, filter: MessageFilter): Verdict {
  return describe(c, d.completeness, { count: (n) => formatCount(n, lang), date: (t) => clock.local(t).date }, filtersMessages(filter));
}


/** Label and value of each message filter in effect, for the "filtered export" notice. */
export function filterLines(filter: MessageFilter, d: Dictionary, clock: Clock): [string, string][] {
  const lines: [string, string][] = [];
  if (filter.senders?.length) lines.push([d.filterSenders, filter.senders.map(visibleText).join(', ')]);
  if (filter.since !== undefined) lines.push([d.filterSince, clock.local(filter.since).iso]);
  if (filter.until !== undefined) lines.push([d.filterUntil, clock.local(filter.until).iso]);
  if (filter.kinds?.length) lines.push([d.filterKinds, filter.kinds.map((k) => d.kinds[k] ?? k).join(', ')]);
  return lines;
}

/** The group's name as transcripts show it; its ID when it has none. */
export function displayGroupName(name: string | undefined, id: string): string {
  return visibleText(name?.trim() ? name : id);
}

/** A topic is shown under its group ("Group › Topic"), so that two groups' "general" topics cannot be confused. */
export function streamName(archive: Archive, g: GroupRow): string {
  if (!g.topicId) return displayGroupName(g.name, g.groupId);
  const parent = archive.groups().find((p) => p.sdkAppId === g.sdkAppId && p.groupId === g.groupId && p.topicId === '');
  return `${displayGroupName(parent?.name, g.groupId)} › ${displayGroupName(g.name, g.topicId)}`;
}
