// Pair words of common Chinese characters (app/search/normalize.ts): what the index holds, and what search asks
// the index for. That the hits stay exact is the oracle's job (exactness.test.ts, on archives with pairs).
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { matchExpression } from '../../app/search/fts';
import { indexForm, pairWord } from '../../app/search/normalize';
import { parseQuery } from '../../app/search/query';

const pair = (a: string, b: string) => `"${pairWord(a, b)}"`;

describe('pair words', () => {
  it('the index holds a word for each two common characters written side by side, once, and for no others', () => {
    expect(indexForm('我们的人')).toBe(`我 们 的 人 ${pairWord('我', '们')} ${pairWord('们', '的')} ${pairWord('的', '人')}`);
    // Apart (punctuation, a space, a word between) or with a rarer character: no pair.
    expect(indexForm('我，们 的x人')).toBe('我 们 的 x 人');
    expect(indexForm('西瓜的瓜')).toBe('西 瓜 的 瓜');
    expect(indexForm('的人的人')).toBe(`的 人 的 人 ${pairWord('的', '人')} ${pairWord('人', '的')}`);
  });

  it('a phrase of common characters is asked for by its pairs; other characters, words and prefixes as before', () => {
    const db = new DatabaseSync(':memory:');
    const ask = (q: string, pairs = true) => matchExpression(db, parseQuery(q).terms, pairs);
    expect(ask('我们的人')).toBe(`${pair('我', '们')} ${pair('们', '的')} ${pair('的', '人')}`);
    expect(ask('我们的人', false)).toBe('"我 们 的 人"');
    // The characters outside a pair keep their places in phrases of their own; an unquoted final word stays a prefix.
    expect(ask('西瓜我们meet')).toBe(`${pair('我', '们')} "西 瓜" "meet*"`);
    expect(ask('"我们 meet"')).toBe(`${pair('我', '们')} "meet"`);
    // Typed apart, they need not be side by side in the text: no pair.
    expect(ask('"我 们"')).toBe('"我 们"');
    expect(ask('的')).toBe('"的"');
    db.close();
  });
});
