// The pages around the messages: the document shell (CSP, style, language), the export's index of groups with
// their coverage, each group's page index by date, and the header and pager of a transcript page.

import type { MessageFilter } from '../search/filter';
import type { Clock } from './clock';
import { GENERATOR } from './destination';
import { html, type Html, type Interpolation } from './html';
import { CONTENT_SECURITY_POLICY, STYLE } from './html-style';
import type { Dictionary, Lang } from './i18n';
import type { PagePlan } from './plan';
import { type Completeness, coverageLines } from '../coverage/verdict';
import { filterLines, filtersMessages, verdict } from './summary';
import { formatCount } from './units';

export interface PageContext {
  dict: Dictionary;
  lang: Lang;
  clock: Clock;
  filter: MessageFilter;
  /** When the export ran, Unix seconds. */
  exportedAt: number;
}

/** What the indexes say about one exported group. */
export interface GroupSummary {
  /** Folder of the group's pages, relative to the export's root, with '/' separators. */
  folder: string;
  groupId: string;
  name: string;
  coverage: Completeness;
  pages: PagePlan[];
  /** Messages actually written, and their Seq and time ranges. */
  exported: number;
  firstSeq?: number;
  lastSeq?: number;
  minTime?: number;
  maxTime?: number;
}

function documentStart(ctx: PageContext, title: string): Html {
  return html`<!DOCTYPE html>
<html lang="${ctx.dict.htmlLang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="${GENERATOR}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${STYLE}
</head>
<body>
`;
}

const DOCUMENT_END = html`</body>
</html>
`;

function htmlDocument(ctx: PageContext, title: string, body: Interpolation): Html {
  return html`${documentStart(ctx, title)}${body}
${DOCUMENT_END}`;
}

/** The export's index.html: every exported group, its message counts and ranges, and its coverage. */
export function exportIndex(ctx: PageContext, groups: GroupSummary[], archiveGroups: number): Html {
  const d = ctx.dict;
  const selection = groups.length < archiveGroups ? html`<p class="meta">${d.groups}: ${formatCount(groups.length, ctx.lang)} / ${formatCount(archiveGroups, ctx.lang)}</p>` : '';
  const sections = groups.map(
    (g) => html`<section class="grp">
<h2><a href="${g.folder}/index.html"><bdi>${g.name}</bdi></a>${idUnlessName(g)}</h2>
${groupFacts(ctx, g)}
</section>
`,
  );
  return htmlDocument(
    ctx,
    d.transcript,
    html`<header>
<h1>${d.transcript}</h1>
${exportMeta(ctx)}
${selection}
${filterNotice(ctx)}
</header>
<main>
${groups.length ? sections : html`<p>${d.noMessages}</p>`}
</main>`,
  );
}

/** A group's index.html: its facts and coverage, then its pages by date. */
export function groupIndex(ctx: PageContext, g: GroupSummary): Html {
  const d = ctx.dict;
  const rows = g.pages.map(
    (p) => html`<tr><td><a href="${p.file}">${pageLabel(ctx, p)}</a></td><td>${dateRange(ctx, p.minTime, p.maxTime)}</td><td class="num">${p.firstSeq}–${p.lastSeq}</td><td class="num">${formatCount(p.count, ctx.lang)}</td></tr>
`,
  );
  const table = g.pages.length
    ? html`<table><thead><tr><th>${d.page}</th><th>${d.dates}</th><th>${d.seqs}</th><th>${d.messages}</th></tr></thead><tbody>
${rows}</tbody></table>`
    : html`<p>${d.noMessages}</p>`;
  return htmlDocument(
    ctx,
    `${shortName(g.name)} · ${d.transcript}`,
    html`<header>
<nav class="crumbs" aria-label="${d.allGroups}"><a href="../../index.html">${d.allGroups}</a></nav>
<h1><bdi>${g.name}</bdi>${idUnlessName(g)}</h1>
${exportMeta(ctx)}
${filterNotice(ctx)}
</header>
<main>
${groupFacts(ctx, g)}
<h2>${d.pageIndex}</h2>
${table}
</main>`,
  );
}

/** Everything before a page's first message. */
export function pageTop(ctx: PageContext, g: GroupSummary, page: PagePlan, prev: PagePlan | undefined, next: PagePlan | undefined): Html {
  const d = ctx.dict;
  return html`${documentStart(ctx, `${shortName(g.name)} · ${pageLabel(ctx, page)}`)}<header>
<nav class="crumbs" aria-label="${d.pageIndex}"><a href="../../index.html">${d.allGroups}</a> › <a href="index.html">${d.pageIndex}</a></nav>
<h1><bdi>${g.name}</bdi> · ${pageLabel(ctx, page)}</h1>
<p class="meta">${d.seqs} ${page.firstSeq}–${page.lastSeq} · ${dateRange(ctx, page.minTime, page.maxTime)} · ${d.messageCount(formatCount(page.count, ctx.lang))}</p>
<p class="meta">${d.timeZone(ctx.clock.zoneLabel(page.minTime))}</p>
${filterNotice(ctx)}
${pager(ctx, ctx.dict.pages, prev, next)}
</header>
<main>
`;
}

export function pageBottom(ctx: PageContext, prev: PagePlan | undefined, next: PagePlan | undefined): Html {
  return html`</main>
<footer>
${pager(ctx, ctx.dict.pagesEnd, prev, next)}
</footer>
${DOCUMENT_END}`;
}

function pager(ctx: PageContext, label: string, prev: PagePlan | undefined, next: PagePlan | undefined): Html {
  const d = ctx.dict;
  const to = (p: PagePlan | undefined, label: string, rel: string) =>
    p ? html`<a href="${p.file}" rel="${rel}">${label}</a>` : html`<span class="off">${label}</span>`;
  return html`<nav class="pager" aria-label="${label}">${to(prev, `← ${d.previous}`, 'prev')}<a href="index.html">${d.pageIndex}</a>${to(next, `${d.next} →`, 'next')}</nav>`;
}

function exportMeta(ctx: PageContext): Html {
  const d = ctx.dict;
  return html`<p class="meta">${d.exportedAt(ctx.clock.short(ctx.exportedAt))} ${d.timeZone(ctx.clock.zoneLabel(ctx.exportedAt))}</p>`;
}

function filterNotice(ctx: PageContext): Html | '' {
  if (!filtersMessages(ctx.filter)) return '';
  const lines = filterLines(ctx.filter, ctx.dict, ctx.clock);
  return html`<div class="banner filtered" role="note">${ctx.dict.completeness.filtered}<dl class="kv">${lines.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></div>`;
}

function groupFacts(ctx: PageContext, g: GroupSummary): Html {
  const d = ctx.dict;
  const counts = g.coverage.counts;
  // A filtered export says so instead of the archive's verdict: it must never read as "complete".
  const v = verdict(g.coverage, d, ctx.lang, ctx.clock, ctx.filter);
  const count = (key: string, n: number) => html`<td class="num" data-stat="${key}" data-value="${n}">${formatCount(n, ctx.lang)}</td>`;
  const exportedLine = filtersMessages(ctx.filter)
    ? html`<p class="meta">${d.exportedOfArchived(formatCount(g.exported, ctx.lang), formatCount(counts.messages, ctx.lang))}</p>`
    : '';
  return html`<div class="banner verdict-${v.tone}" data-verdict="${v.tone === 'filtered' ? 'filtered' : g.coverage.state}">${v.text}</div>
${exportedLine}
<table class="facts"><tbody>
<tr><th>${d.messages}</th>${count('exported', g.exported)}</tr>
<tr><th>${d.dates}</th><td>${g.minTime !== undefined ? dateRange(ctx, g.minTime, g.maxTime ?? g.minTime) : '—'}</td></tr>
<tr><th>${d.seqs}</th><td class="num">${g.firstSeq !== undefined ? `${g.firstSeq}–${g.lastSeq}` : '—'}</td></tr>
</tbody></table>
<h3>${d.coverage}</h3>
<p class="meta">${d.coverageIntro}</p>
<table class="coverage"><tbody>
${coverageLines(counts, d).map((l) => html`<tr${l.part ? html` class="part"` : ''}><th>${l.label}</th>${count(l.key, l.value)}</tr>
`)}</tbody></table>`;
}

function idUnlessName(g: GroupSummary): Html | '' {
  return g.name === g.groupId ? '' : html` <bdi class="a">${g.groupId}</bdi>`;
}

function pageLabel(ctx: PageContext, p: PagePlan): string {
  const month = ctx.clock.monthLabel(p.month);
  return p.parts > 1 ? `${month} (${p.part}/${p.parts})` : month;
}

function dateRange(ctx: PageContext, from: number, to: number): string {
  const [a, b] = [ctx.clock.local(from).date, ctx.clock.local(to).date];
  return a === b ? a : `${a} – ${b}`;
}

/**
 * Browser tabs and history show titles: a group name of any length must not crowd out which page it is. The
 * budget is in characters of the page's source, as validators measure titles, where a quote takes six.
 */
function shortName(name: string): string {
  let budget = 40;
  let out = '';
  for (const ch of name) {
    budget -= /["&'<>\n]/u.test(ch) ? 6 : ch.length;
    if (budget < 1) return `${out}…`;
    out += ch;
  }
  return out;
}
