import { describe, expect, it } from 'vitest';
import { changedRuns, pageContent, pageCount } from '../../app/archive/pages';

const PAGE = 1024;

function image(pages: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(pages * PAGE);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + seed * 7 + (i >> 10)) & 0xff;
  return bytes;
}

describe('page checksums', () => {
  it('a change anywhere in a page, in either half, marks that page and no other', () => {
    const before = image(8);
    const prev = pageContent(before, PAGE).crcs;
    expect(pageCount(prev)).toBe(8);
    for (const offset of [0, PAGE / 2 - 1, PAGE / 2, PAGE - 1]) {
      const after = Uint8Array.from(before);
      after[3 * PAGE + offset]! ^= 0x01;
      expect(changedRuns(pageContent(after, PAGE).crcs, prev)).toEqual([{ first: 3, count: 1 }]);
    }
    expect(changedRuns(pageContent(before, PAGE).crcs, prev)).toEqual([]);
  });

  it('consecutive changed pages make one run; pages beyond the previous image are changed; without one, everything is', () => {
    const before = image(6);
    const after = new Uint8Array(9 * PAGE);
    after.set(before);
    after[1 * PAGE]! ^= 1;
    after[2 * PAGE + 5]! ^= 1;
    after[5 * PAGE + 9]! ^= 1;
    after.fill(7, 6 * PAGE);
    const prev = pageContent(before, PAGE).crcs;
    expect(changedRuns(pageContent(after, PAGE).crcs, prev)).toEqual([
      { first: 1, count: 2 },
      { first: 5, count: 4 },
    ]);
    expect(changedRuns(pageContent(after, PAGE).crcs, undefined)).toEqual([{ first: 0, count: 9 }]);
    // A shorter image: only its own pages are compared (the file is cut to its length).
    expect(changedRuns(pageContent(before.subarray(0, 4 * PAGE), PAGE).crcs, pageContent(after, PAGE).crcs)).toEqual([{ first: 1, count: 2 }]);
  });
});
