// The only way to produce markup in the HTML export: the `html` tagged template. Its static parts are the markup
// we wrote; every interpolated value is escaped unless it is itself an Html value made by `html`. Hand-built HTML
// strings broke whole transcripts in other exporters (a stray quote in a message); here that cannot be written.

const TRUSTED = Symbol('html');

/** Markup produced by `html`; nothing else can construct one. */
export class Html {
  readonly #markup: string;

  constructor(token: symbol, markup: string) {
    if (token !== TRUSTED) throw new TypeError('Html values are made only by the html`` template');
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

/** What may be interpolated: text (escaped), markup, lists of either, and nothing (false/null/undefined → ''). */
export type Interpolation = Html | string | number | false | null | undefined | readonly Interpolation[];

const SPECIAL = /[&<>"'\n]/;
const SPECIAL_ALL = /[&<>"'\n]/g;
const ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\n': '&#10;' };

/**
 * Safe in text and in quoted attribute values; the template refuses unquoted attribute positions. Line breaks
 * become references too: the text is unchanged, and each message stays on one line of the page's source.
 */
function escapeText(s: string): string {
  return SPECIAL.test(s) ? s.replace(SPECIAL_ALL, (c) => ENTITY[c]!) : s;
}

function render(value: Interpolation): string {
  if (value instanceof Html) return value.toString();
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    let out = '';
    for (const v of value as readonly Interpolation[]) out += render(v);
    return out;
  }
  return '';
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) {
    // An unquoted attribute value would end at the first space of the text put there.
    if (out.endsWith('=')) throw new Error(`html\`\`: quote the attribute value before interpolation ${i + 1} (${strings[i]!.slice(-40)})`);
    out += render(values[i]) + strings[i + 1]!;
  }
  return new Html(TRUSTED, out);
}
