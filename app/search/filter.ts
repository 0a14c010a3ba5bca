// The one definition of "which messages" shared by search and export: a MessageFilter, its SQL form, and the
// parsers the CLI (and the desktop app) use to build one from what a person typed. The SQL form only ever
// contains placeholders, so no filter value can change the meaning of a statement.

import { KINDS } from '../archive/extract';
import { SaidError, type Sentences, type Tables, sayAll } from '../errors/said';

export const FILTER_KINDS = ['text', 'image', 'file', 'voice', 'video', 'location', 'custom', 'system', 'recalled', 'deleted'] as const;
export type FilterKind = (typeof FILTER_KINDS)[number];

export interface MessageFilter {
  /** GroupIds as Tencent names them (every topic of a group); none or empty = every group. */
  groupIds?: string[];
  /** From_Account values; none or empty = every sender. */
  senders?: string[];
  /** Unix seconds, inclusive. */
  since?: number;
  /** Unix seconds, exclusive. */
  until?: number;
  /** A message matches when it is of ANY of these kinds; none or empty = every kind. */
  kinds?: FilterKind[];
}

/** True when the filter leaves out messages of the groups it names (choosing groups alone does not). */
export function filtersMessages(filter: MessageFilter): boolean {
  return Boolean(filter.senders?.length || filter.kinds?.length || filter.since !== undefined || filter.until !== undefined);
}

/** True when the filter narrows the archive at all (groups included): enough to search by, without words. */
export function narrows(filter: MessageFilter): boolean {
  return Boolean(filter.groupIds?.length) || filtersMessages(filter);
}

type FilterErrorId = 'kind' | 'date' | 'date-offset' | 'date-day' | 'date-time' | 'order';

interface FilterFacts {
  got: string;
  /** since or until. */
  edge?: string;
  kinds?: readonly string[];
  since?: string | undefined;
  until?: string | undefined;
}

const dateHelpEn = 'Use YYYY-MM-DD (a local day) or ISO 8601 like 2024-05-01T18:30 or 2024-05-01T10:30:00Z.';
const dateHelpZh = '请使用 YYYY-MM-DD（本地的某一天），或 ISO 8601 格式，例如 2024-05-01T18:30 或 2024-05-01T10:30:00Z。';

export const FILTER_EN = {
  kind: (f) => `"${f.got}" is not a message kind. Use one or more of: ${(f.kinds ?? []).join(', ')}.`,
  date: (f) => `--${f.edge} "${f.got}" is not a date. ${dateHelpEn}`,
  'date-offset': (f) => `--${f.edge} "${f.got}" is not a date (the time zone offset is out of range). ${dateHelpEn}`,
  'date-day': (f) => `--${f.edge} "${f.got}" is not a date (no such day). ${dateHelpEn}`,
  'date-time': (f) => `--${f.edge} "${f.got}" is not a date (no such time of day). ${dateHelpEn}`,
  order: (f) => `--since ${f.since} is not before --until ${f.until}: no message could match. Check the dates.`,
} satisfies Sentences<FilterErrorId, FilterFacts>;

export const FILTER_ZH = {
  kind: (f) => `“${f.got}”不是消息类型。请使用以下一种或几种：${(f.kinds ?? []).join('、')}。`,
  date: (f) => `--${f.edge} “${f.got}”不是日期。${dateHelpZh}`,
  'date-offset': (f) => `--${f.edge} “${f.got}”不是日期（时区偏移超出范围）。${dateHelpZh}`,
  'date-day': (f) => `--${f.edge} “${f.got}”不是日期（没有这一天）。${dateHelpZh}`,
  'date-time': (f) => `--${f.edge} “${f.got}”不是日期（没有这个时刻）。${dateHelpZh}`,
  order: (f) => `--since ${f.since} 不早于 --until ${f.until}：没有消息能符合。请检查日期。`,
} satisfies Sentences<FilterErrorId, FilterFacts>;

const FILTER: Tables<FilterErrorId, FilterFacts> = { en: FILTER_EN, 'zh-CN': FILTER_ZH };

/** A filter value a person typed that cannot be understood; the message says what to type instead. */
export class FilterError extends SaidError {
  constructor(id: FilterErrorId, facts: FilterFacts) {
    super(sayAll(FILTER, id, facts));
  }
}

/** Element kinds map to bits of messages.kinds; the rest are states of the row. */
const KIND_BIT: Partial<Record<FilterKind, number>> = {
  text: KINDS.text,
  image: KINDS.image,
  file: KINDS.file,
  voice: KINDS.sound,
  video: KINDS.video,
  location: KINDS.location,
  custom: KINDS.custom,
};

/** Conditions on a row that are not element kinds (messages.state: 0 normal, 1 placeholder, 2 recalled). */
const KIND_CONDITION: Partial<Record<FilterKind, (alias: string) => string>> = {
  system: (a) => `${a}.is_system != 0`,
  recalled: (a) => `${a}.state = 2`,
  // Placeholders and any state this version does not know, as Archive.stats() counts them.
  deleted: (a) => `${a}.state NOT IN (0, 2)`,
};

/**
 * A value bound to a filter's placeholder. Filters bind only text and numbers; declared here rather than taken
 * from app/archive, because the renderer type-checks this module and must not reach node:sqlite.
 */
export type FilterParam = string | number;

export interface SqlFragment {
  /** A boolean SQL expression over `alias` (a `messages` row); 'TRUE' when the filter keeps everything. */
  sql: string;
  params: FilterParam[];
}

/** The filter as a WHERE expression over the `messages` table aliased `alias` (an identifier you choose). */
export function filterWhere(filter: MessageFilter, alias: string): SqlFragment {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/u.test(alias)) throw new Error(`filterWhere: "${alias}" is not an SQL identifier`);
  const parts: string[] = [];
  const params: FilterParam[] = [];
  const list = (values: readonly FilterParam[]) => {
    params.push(...values);
    return values.map(() => '?').join(', ');
  };
  if (filter.groupIds?.length) parts.push(`${alias}.gid IN (SELECT gid FROM groups WHERE group_id IN (${list(filter.groupIds)}))`);
  if (filter.senders?.length) parts.push(`${alias}.sender IN (${list(filter.senders)})`);
  if (filter.since !== undefined) {
    parts.push(`${alias}.time >= ?`);
    params.push(filter.since);
  }
  if (filter.until !== undefined) {
    parts.push(`${alias}.time < ?`);
    params.push(filter.until);
  }
  if (filter.kinds?.length) {
    const kinds = new Set(filter.kinds);
    const bits = [...kinds].reduce((acc, k) => acc | (KIND_BIT[k] ?? 0), 0);
    const any: string[] = [];
    if (bits) {
      any.push(`(${alias}.kinds & ?) != 0`);
      params.push(bits);
    }
    for (const k of kinds) {
      const condition = KIND_CONDITION[k];
      if (condition) any.push(condition(alias));
    }
    parts.push(`(${any.join(' OR ')})`);
  }
  return { sql: parts.length ? parts.map((p) => `(${p})`).join(' AND ') : 'TRUE', params };
}

/** Kind names as typed: repeated and/or comma-separated ("image,file"), any case; "sound" means voice. */
export function parseKinds(list: readonly string[]): FilterKind[] {
  const out = new Set<FilterKind>();
  for (const item of list) {
    for (const word of item.split(',')) {
      const name = word.trim().toLowerCase();
      if (!name) continue;
      const kind = name === 'sound' ? 'voice' : name;
      if (!(FILTER_KINDS as readonly string[]).includes(kind)) {
        throw new FilterError('kind', { got: word.trim(), kinds: FILTER_KINDS });
      }
      out.add(kind as FilterKind);
    }
  }
  return [...out];
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/u;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/iu;

/**
 * A date as typed → Unix seconds for MessageFilter.since (inclusive) or .until (exclusive).
 * YYYY-MM-DD is a whole local day: as `since` it means from its start, as `until` up to and including that day
 * (so `--since 2024-05-01 --until 2024-05-01` is that one day). ISO 8601 date-times (local unless they carry Z or
 * an offset) mean that instant; messages carry whole seconds, so a fractional instant rounds up on both edges.
 */
export function parseDate(text: string, edge: 'since' | 'until'): number {
  const input = text.trim();
  const wrong = (why: 'date' | 'date-offset' | 'date-day' | 'date-time') => new FilterError(why, { got: text, edge });
  const day = DATE_ONLY.exec(input);
  if (day) {
    const [y, mo, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    checkCalendar(y, mo, d, 0, 0, 0, wrong);
    return Math.floor(new Date(y, mo - 1, d + (edge === 'until' ? 1 : 0)).getTime() / 1000);
  }
  const m = DATE_TIME.exec(input);
  if (!m) throw wrong('date');
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  checkCalendar(y, mo, d, h, mi, s, wrong);
  const ms = Number(`0.${m[7] ?? '0'}`) * 1000;
  const zone = m[8];
  let epochMs: number;
  if (zone === undefined) {
    epochMs = new Date(y, mo - 1, d, h, mi, s, ms).getTime();
  } else {
    const offsetMin = /^z$/iu.test(zone) ? 0 : zoneMinutes(zone);
    if (offsetMin === undefined) throw wrong('date-offset');
    epochMs = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60_000;
  }
  return Math.ceil(epochMs / 1000);
}

/** "+08:00" / "-0530" → minutes east of UTC; undefined when no real zone has that offset. */
function zoneMinutes(zone: string): number | undefined {
  const digits = zone.slice(1).replace(':', '');
  const [hours, minutes] = [Number(digits.slice(0, 2)), Number(digits.slice(2))];
  if (hours > 18 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

function checkCalendar(y: number, mo: number, d: number, h: number, mi: number, s: number, wrong: (why: 'date-day' | 'date-time') => Error): void {
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth) throw wrong('date-day');
  if (h > 23 || mi > 59 || s > 59) throw wrong('date-time');
}

/** A filter's values as typed on a command line or in a form (every field optional). */
export interface FilterInput {
  group?: readonly string[];
  from?: readonly string[];
  since?: string;
  until?: string;
  kind?: readonly string[];
}

/** The MessageFilter for what a person typed; FilterError says what to fix. */
export function filterFromInput(input: FilterInput): MessageFilter {
  const filter: MessageFilter = {
    ...(input.group?.length ? { groupIds: [...input.group] } : {}),
    ...(input.from?.length ? { senders: [...input.from] } : {}),
    ...(input.since !== undefined ? { since: parseDate(input.since, 'since') } : {}),
    ...(input.until !== undefined ? { until: parseDate(input.until, 'until') } : {}),
    ...(input.kind?.length ? { kinds: parseKinds(input.kind) } : {}),
  };
  if (filter.since !== undefined && filter.until !== undefined && filter.since >= filter.until) {
    throw new FilterError('order', { got: '', since: input.since, until: input.until });
  }
  return filter;
}
