// How a group's transcript is cut into pages: by calendar month (local time), and within a month by size, so no
// page is too big for a browser to open quickly (single-page exports of 100k+ messages freeze browsers). The plan
// is made from Seq, time and size alone, before any page is rendered, so every page knows its neighbours.

import type { Clock } from './clock';
import type { RowSize } from './source';

export interface PageLimits {
  messages: number;
  /** Estimated rendered bytes (see estimate()). */
  bytes: number;
}

/** About 2,000 messages or 2.5 MB of HTML per page, whichever comes first. */
export const PAGE_LIMITS: PageLimits = { messages: 2000, bytes: 2_500_000 };

/** Markup around a message (stamp, anchors, card chrome) on top of its content. */
const MARKUP_PER_MESSAGE = 500;

export interface PagePlan {
  /** File name inside the group's folder: YYYY-MM.html, or YYYY-MM-2.html… when a month needs several pages. */
  file: string;
  month: string;
  /** 1-based position among this month's pages, and how many the month has. */
  part: number;
  parts: number;
  firstSeq: number;
  lastSeq: number;
  count: number;
  minTime: number;
  maxTime: number;
}

export function planPages(rows: Iterable<RowSize>, clock: Clock, limits: PageLimits = PAGE_LIMITS): PagePlan[] {
  const pages: PagePlan[] = [];
  let cur: PagePlan | undefined;
  let bytes = 0;
  for (const r of rows) {
    const month = clock.local(r.time).month;
    const size = r.bytes + MARKUP_PER_MESSAGE;
    // Months only move forward: a message stamped a little earlier than the one before it stays on its page.
    if (!cur || month > cur.month || cur.count >= limits.messages || bytes + size > limits.bytes) {
      cur = { file: '', month: cur && month < cur.month ? cur.month : month, part: 1, parts: 1, firstSeq: r.seq, lastSeq: r.seq, count: 0, minTime: r.time, maxTime: r.time };
      pages.push(cur);
      bytes = 0;
    }
    cur.lastSeq = r.seq;
    cur.count++;
    cur.minTime = Math.min(cur.minTime, r.time);
    cur.maxTime = Math.max(cur.maxTime, r.time);
    bytes += size;
  }
  name(pages);
  return pages;
}

function name(pages: PagePlan[]): void {
  for (let i = 0; i < pages.length; ) {
    let j = i;
    while (j < pages.length && pages[j]!.month === pages[i]!.month) j++;
    for (let k = i; k < j; k++) {
      const p = pages[k]!;
      p.part = k - i + 1;
      p.parts = j - i;
      p.file = p.part === 1 ? `${p.month}.html` : `${p.month}-${p.part}.html`;
    }
    i = j;
  }
}
