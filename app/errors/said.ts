// An error a person reads in their own language. Each error type keeps one table of sentences per language (a
// zh-CN table `satisfies` the English one's type, so a missing sentence fails the type check) and carries the
// sentence rendered in every language as `said`; its `message` is the English one, for logs. Whoever shows the
// error picks the language: the CLI from --lang or the system locale, the desktop window from its own setting.

import type { Lang } from '../export/i18n';

/** One sentence in every language the app speaks. */
export type Said = Readonly<Record<Lang, string>>;

/** The sentences of one kind of error in one language, by id, each a function of facts that are never secret. */
export type Sentences<Id extends string, P> = Readonly<Record<Id, (p: P) => string>>;

/** Every language's sentences of one kind of error. */
export type Tables<Id extends string, P> = Readonly<Record<Lang, Sentences<Id, P>>>;

/** The sentence `id` in every language. */
export function sayAll<Id extends string, P>(tables: Tables<Id, P>, id: Id, p: P): Said {
  return { en: tables.en[id](p), 'zh-CN': tables['zh-CN'][id](p) };
}

/** The same text in every language: a name, a path, or a sentence nobody wrote a translation for. */
export function untranslated(text: string): Said {
  return { en: text, 'zh-CN': text };
}

/** Each language's sentence followed by that language's `more`. */
export function joinSaid(first: Said, more: Said, separator: Said = { en: ' ', 'zh-CN': '' }): Said {
  return { en: `${first.en}${separator.en}${more.en}`, 'zh-CN': `${first['zh-CN']}${separator['zh-CN']}${more['zh-CN']}` };
}

/** An error that is worded in every language; `message` is the English sentence. */
export class SaidError extends Error {
  constructor(
    readonly said: Said,
    options?: ErrorOptions,
  ) {
    super(said.en, options);
  }
}

/** What an error says in every language, if it was worded in them. */
export function saidOf(err: unknown): Said | undefined {
  if (typeof err !== 'object' || err === null || !('said' in err)) return undefined;
  const said = (err as { said: unknown }).said;
  return typeof said === 'object' && said !== null && typeof (said as Said).en === 'string' && typeof (said as Said)['zh-CN'] === 'string' ? (said as Said) : undefined;
}

/** What an error says in `lang`: its own words there, else its message as it is. */
export function errorIn(err: unknown, lang: Lang): string {
  return saidOf(err)?.[lang] ?? (err instanceof Error ? err.message : String(err));
}
