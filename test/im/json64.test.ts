// 64-bit cursors: get_appid_group_list's Next must survive parsing and go back out as a bare integer.

import { describe, expect, it } from 'vitest';
import { encodeBody, parseWithExactNext, quoteTopLevelNext, uint64 } from '../../app/im/json64';

const BIG = '144115188075855889'; // 2^57 + 17: not a double

describe('parseWithExactNext', () => {
  it('keeps a top-level Next above 2^53 exact, as a decimal string', () => {
    expect(Number(BIG).toString()).not.toBe(BIG);
    const res = parseWithExactNext(`{"ActionStatus":"OK","ErrorCode":0,"TotalCount":3,"GroupIdList":[{"GroupId":"a"}],"Next": ${BIG} }`);
    expect(res).toMatchObject({ Next: BIG, TotalCount: 3 });
    expect(parseWithExactNext(`{"Next":18446744073709551615}`)).toEqual({ Next: '18446744073709551615' });
    expect(parseWithExactNext(`{"Next":0}`)).toEqual({ Next: '0' });
  });

  it('leaves everything else alone', () => {
    const cases = [
      `{"A":{"Next":${BIG}},"B":[{"Next":1}]}`, // nested: not the cursor
      `{"Text":"\\"Next\\":${BIG}","Other":1}`, // inside a string
      `{"Text":"ends with backslash \\\\","N":"Next","X":2}`, // escapes, and "Next" as a value
      `{"Next":"m12"}`, // already a string (Community member cursor)
      `{"Next":1.5e3}`, // not an integer literal
      `{"NextMsgSeq":${BIG}}`,
    ];
    for (const text of cases) expect(quoteTopLevelNext(text)).toBe(text);
  });

  it('finds the top-level Next after strings that contain quotes and braces', () => {
    const text = `{"Msg":"{[\\"}]\\\\","Next":${BIG},"Z":"Next"}`;
    expect(parseWithExactNext(text)).toEqual({ Msg: '{["}]\\', Next: BIG, Z: 'Next' });
  });

  it('throws like JSON.parse on broken text', () => {
    expect(() => parseWithExactNext(`{"Next":${BIG},"a":"unterminated`)).toThrow(SyntaxError);
    expect(() => parseWithExactNext('{"Next":"x')).toThrow(SyntaxError);
  });
});

describe('encodeBody', () => {
  it('writes bigints as bare integers and everything else as JSON', () => {
    expect(encodeBody({ Limit: 10, Next: BigInt(BIG), GroupType: 'Public', Skip: undefined })).toBe(`{"Limit":10,"Next":${BIG},"GroupType":"Public"}`);
    expect(encodeBody({})).toBe('{}');
    expect(JSON.parse(encodeBody({ a: ['x', { b: null }], 'k"': '中文' }))).toEqual({ a: ['x', { b: null }], 'k"': '中文' });
  });
});

describe('uint64', () => {
  it('accepts exactly the unsigned 64-bit decimals', () => {
    expect(uint64('0')).toBe(0n);
    expect(uint64(BIG)).toBe(144115188075855889n);
    expect(uint64('18446744073709551615')).toBe(18446744073709551615n);
    for (const bad of ['18446744073709551616', '-1', '1.0', '', ' 1', '1e3', '0x10']) expect(uint64(bad)).toBeUndefined();
  });
});
