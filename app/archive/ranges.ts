// Inclusive Seq ranges, the unit of coverage. Pure functions; the archive keeps each status's ranges merged.

export interface Range {
  lo: number;
  hi: number;
}

/** Sorted ascending, overlapping and adjacent ranges joined. */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.lo - b.lo);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.lo <= last.hi + 1) last.hi = Math.max(last.hi, r.hi);
    else out.push({ lo: r.lo, hi: r.hi });
  }
  return out;
}

/** The parts of `from` that none of `minus` touches, ascending. */
export function subtractRanges(from: Range, minus: readonly Range[]): Range[] {
  const out: Range[] = [];
  let lo = from.lo;
  for (const m of mergeRanges(minus)) {
    if (m.hi < lo) continue;
    if (m.lo > from.hi) break;
    if (m.lo > lo) out.push({ lo, hi: m.lo - 1 });
    lo = m.hi + 1;
    if (lo > from.hi) return out;
  }
  if (lo <= from.hi) out.push({ lo, hi: from.hi });
  return out;
}

export function rangeSize(ranges: readonly Range[]): number {
  return ranges.reduce((n, r) => n + r.hi - r.lo + 1, 0);
}
