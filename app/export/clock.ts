// Message times as local times of one time zone (the system's unless the caller names one), with the zone
// stated: a transcript read years later, elsewhere, must still say when things happened.

import { type Lang } from './i18n';

export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** YYYY-MM, the period pages are partitioned by. */
  month: string;
  /** HH:MM, 24-hour. */
  time: string;
  /** ISO 8601 with the zone's offset at that instant, e.g. 2024-05-01T18:30:00+08:00. */
  iso: string;
}

const DAY = 86_400;
/** UTC offsets of every zone since 1970 are whole quarter hours, and they change only on quarter-hour instants. */
const QUARTER_HOUR = 900;
/** Decades of days; the cache starts over beyond that rather than grow with a very long export. */
const MAX_CACHED_DAYS = 20_000;

export class Clock {
  private readonly offsetFormat: Intl.DateTimeFormat;
  private readonly dayFormat: Intl.DateTimeFormat;
  private readonly monthFormat: Intl.DateTimeFormat;
  /**
   * Offsets by UTC day number (asking ICU costs ~20 µs, and forwarded messages jump around in time); null for a
   * day on which the offset changes, whose quarter hours are asked one by one.
   */
  private readonly days = new Map<number, number | null>();

  /** Throws a RangeError naming the zone when it is not an IANA time zone this system knows. */
  constructor(
    readonly timeZone: string = Intl.DateTimeFormat().resolvedOptions().timeZone,
    lang: Lang = 'en',
  ) {
    try {
      this.offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset', year: 'numeric' });
    } catch {
      throw new RangeError(`"${timeZone}" is not a time zone this system knows. Use an IANA name such as Asia/Shanghai or Europe/Berlin.`);
    }
    this.dayFormat = new Intl.DateTimeFormat(lang, { timeZone: 'UTC', dateStyle: 'full' });
    this.monthFormat = new Intl.DateTimeFormat(lang, { timeZone: 'UTC', year: 'numeric', month: 'long' });
  }

  /** Minutes east of UTC at this Unix time. */
  offsetMinutes(unixSeconds: number): number {
    const day = Math.floor(unixSeconds / DAY);
    let offset = this.days.get(day);
    if (offset === undefined) {
      // A UTC day has one offset when its two ends agree: no zone changes its offset twice within a day.
      const start = this.askOffset(day * DAY);
      offset = start === this.askOffset(day * DAY + DAY - 1) ? start : null;
      if (this.days.size >= MAX_CACHED_DAYS) this.days.clear();
      this.days.set(day, offset);
    }
    return offset ?? this.askOffset(Math.floor(unixSeconds / QUARTER_HOUR) * QUARTER_HOUR);
  }

  private askOffset(unixSeconds: number): number {
    const name = this.offsetFormat.formatToParts(unixSeconds * 1000).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /^GMT([+-])(\d{2}):(\d{2})/u.exec(name);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  }

  local(unixSeconds: number): LocalTime {
    const offset = this.offsetMinutes(unixSeconds);
    const d = new Date((unixSeconds + offset * 60) * 1000);
    const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    return { date, month: date.slice(0, 7), time, iso: `${date}T${time}:${pad(d.getUTCSeconds())}${offsetText(offset)}` };
  }

  /** "2024-05-01 18:30" */
  short(unixSeconds: number): string {
    const t = this.local(unixSeconds);
    return `${t.date} ${t.time}`;
  }

  /** The zone as a reader needs it: its name and its offset now, e.g. "Asia/Shanghai (UTC+08:00)". */
  zoneLabel(now = Date.now() / 1000): string {
    return `${this.timeZone} (UTC${offsetText(this.offsetMinutes(now))})`;
  }

  /** A YYYY-MM-DD as a full date in the transcript's language: "Wednesday, May 1, 2024", "2024年5月1日星期三". */
  dayLabel(date: string): string {
    return this.dayFormat.format(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))));
  }

  /** A YYYY-MM as "May 2024", "2024年5月". */
  monthLabel(month: string): string {
    return this.monthFormat.format(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1));
  }
}

function offsetText(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}
