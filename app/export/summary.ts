// What every transcript states before any message: how complete the group's archive is (the archive's own
// numbers), and what a filter left out. Shared by the HTML and TXT exports, so both always say the same.

import type { MessageFilter } from '../search/filter';
import type { Clock } from './clock';
import type { Dictionary, Lang } from './i18n';
import type { GroupCoverage } from './source';
import { formatCount } from './units';
import { visibleText } from './visible';

export type CoverageKey = 'newestKnown' | 'archived' | 'recalled' | 'placeholders' | 'absent' | 'failed' | 'expired' | 'notYetFetched';

export interface CoverageLine {
  key: CoverageKey;
  label: string;
  value: number;
}

/** The numbers of Archive.stats() (and what is not fetched yet), labelled; zero lines are kept, so none is hidden. */
export function coverageLines(cov: GroupCoverage, d: Dictionary): CoverageLine[] {
  const lines: CoverageLine[] = [];
  if (cov.newestKnown !== undefined) lines.push({ key: 'newestKnown', label: d.newestKnown, value: cov.newestKnown });
  const keys = ['archived', 'recalled', 'placeholders', 'absent', 'failed', 'expired', 'notYetFetched'] as const;
  for (const key of keys) lines.push({ key, label: d[key], value: cov[key] });
  return lines;
}

export interface Verdict {
  tone: 'ok' | 'bad' | 'unknown';
  text: string;
}

export function verdict(cov: GroupCoverage, d: Dictionary, lang: Lang): Verdict {
  if (cov.complete === undefined) return { tone: 'unknown', text: d.unknownNewest };
  return cov.complete ? { tone: 'ok', text: d.complete } : { tone: 'bad', text: d.incomplete(formatCount(cov.missing, lang)) };
}

/** True when the filter leaves out messages of the exported groups (choosing groups alone does not). */
export function filtersMessages(filter: MessageFilter): boolean {
  return Boolean(filter.senders?.length || filter.kinds?.length || filter.since !== undefined || filter.until !== undefined);
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

/** Every row the archive holds for the group: content, recalled and placeholders alike. */
export function rowsHeld(cov: GroupCoverage): number {
  return cov.archived + cov.recalled + cov.placeholders;
}

/** The group's name as transcripts show it; its ID when it has none. */
export function displayGroupName(name: string | undefined, id: string): string {
  return visibleText(name?.trim() ? name : id);
}
