// The UI language — the system's unless the person picks one — and everything that formats for it: the app's
// words, the transcript's words (shared with the HTML export), numbers, dates and durations through Intl.

import { Clock } from '../../../app/export/clock';
import { dictionary, type Lang, parseLang } from '../../../app/export/i18n';
import { api } from './api';
import { en, type Messages } from './i18n/en';
import { zhCN } from './i18n/zh-CN';

export type LangChoice = Lang | 'system';

const MESSAGES: Readonly<Record<Lang, Messages>> = { en, 'zh-CN': zhCN };
const STORAGE_KEY = 'lang';

export class Locale {
  choice = $state<LangChoice>('system');
  /** What the OS asks for; the app info (Electron's app.getLocale()) refines navigator.languages at start. */
  private systemLang = $state<Lang>(systemLang(navigator.languages));

  readonly lang = $derived<Lang>(this.choice === 'system' ? this.systemLang : this.choice);
  readonly t = $derived(MESSAGES[this.lang]);
  /** The HTML export's words for what messages show (states, element kinds, coverage lines). */
  readonly transcript = $derived(dictionary(this.lang));
  readonly clock = $derived(new Clock(undefined, this.lang));

  private readonly numberFormat = $derived(new Intl.NumberFormat(this.lang));
  private readonly dateTimeFormat = $derived(new Intl.DateTimeFormat(this.lang, { dateStyle: 'medium', timeStyle: 'short' }));
  private readonly dateFormat = $derived(new Intl.DateTimeFormat(this.lang, { dateStyle: 'long' }));
  private readonly relativeFormat = $derived(new Intl.RelativeTimeFormat(this.lang, { numeric: 'auto' }));

  /** Reads the saved choice and keeps html[lang] current; returns the cleanup. */
  start(): () => void {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'system' || saved === 'en' || saved === 'zh-CN') this.choice = saved;
    this.tellMain();
    return $effect.root(() => {
      $effect(() => {
        document.documentElement.lang = this.lang;
        document.title = this.t.appName;
      });
    });
  }

  /** The OS locale as the main process reports it. */
  useSystemLocale(locale: string): void {
    this.systemLang = parseLang(locale) ?? this.systemLang;
  }

  set(choice: LangChoice): void {
    this.choice = choice;
    localStorage.setItem(STORAGE_KEY, choice);
    this.tellMain();
  }

  /** Main speaks the same language in notifications, dialogs and the tray, also while the window is closed. */
  private tellMain(): void {
    void api.setLanguage({ lang: this.choice });
  }

  number(n: number): string {
    return this.numberFormat.format(n);
  }

  /** A moment (ms since the epoch) as a local date and time. */
  dateTime(ms: number): string {
    return this.dateTimeFormat.format(ms);
  }

  /** A moment (ms since the epoch) as a local date: "November 26, 2026", "2026年11月26日". */
  date(ms: number): string {
    return this.dateFormat.format(ms);
  }

  /** "3 hours ago", "昨天": how long ago a moment (ms since the epoch) was, relative to `now`. */
  ago(ms: number, now = Date.now()): string {
    const seconds = Math.round((ms - now) / 1000);
    for (const [unit, size] of RELATIVE_UNITS) {
      if (Math.abs(seconds) >= size || unit === 'second') return this.relativeFormat.format(Math.round(seconds / size), unit);
    }
    return this.relativeFormat.format(seconds, 'second');
  }

  /** 1536000 → "1.5 MB": a size on disk (decimal units, as file managers show them). */
  bytes(n: number): string {
    const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
    const i = Math.min(units.length - 1, Math.max(0, Math.floor(Math.log10(Math.max(n, 1)) / 3)));
    return new Intl.NumberFormat(this.lang, { style: 'unit', unit: units[i], unitDisplay: 'short', maximumFractionDigits: i === 0 ? 0 : 1 }).format(n / 1000 ** i);
  }

  /** 3725 → "1 hr 2 min" / "1小时2分钟": a duration for people, to the minute once it is over one. */
  duration(totalSeconds: number): string {
    const s = Math.max(0, Math.round(totalSeconds));
    const parts: [number, 'hour' | 'minute' | 'second'][] =
      s >= 3600 ? [[Math.floor(s / 3600), 'hour'], [Math.floor((s % 3600) / 60), 'minute']] : s >= 60 ? [[Math.floor(s / 60), 'minute'], [s % 60, 'second']] : [[s, 'second']];
    return parts
      .filter(([n], i) => i === 0 || n > 0)
      .map(([n, unit]) => new Intl.NumberFormat(this.lang, { style: 'unit', unit, unitDisplay: 'short' }).format(n))
      .join(this.lang === 'zh-CN' ? '' : ' ');
  }
}

const RELATIVE_UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

function systemLang(languages: readonly string[]): Lang {
  for (const l of languages) {
    const lang = parseLang(l);
    if (lang) return lang;
  }
  return 'en';
}

export const locale = new Locale();
