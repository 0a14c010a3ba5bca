// Everything the desktop shell says exists in English and in Chinese, and the Chinese is Chinese: every key of
// one language is in the other, no string is empty, and no English word is left in the Chinese (other than the
// app's name and the console's own terms).
import { describe, expect, it } from 'vitest';
import { type DesktopWords, desktopWords } from '../../app/desktop/words';

/** Every leaf of the dictionary as a string, functions called with sample arguments (a Chinese profile name). */
function leaves(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function') {
    // The first parameter is a name (a list for running, groupList, sentences), the others numbers or strings.
    const first = /(groupList|running|sentences)$/u.test(path) ? ['产品群', '运营群'] : '产品群';
    const args = Array.from({ length: value.length }, (_, i) => (i === 0 ? first : 3));
    return leaves((value as (...a: unknown[]) => unknown)(...args), `${path}()`);
  }
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  throw new Error(`${path}: unexpected ${typeof value}`);
}

const keysOf = (w: DesktopWords) => leaves(w).map(([k]) => k);

describe('desktop words', () => {
  const en = desktopWords('en');
  const zh = desktopWords('zh-CN');

  it('has every key in both languages, none empty', () => {
    expect(keysOf(zh)).toEqual(keysOf(en));
    for (const [key, text] of [...leaves(en), ...leaves(zh)]) expect(text.trim(), key).not.toBe('');
  });

  it('says nothing in English in the Chinese, and differs from the English everywhere but the app name', () => {
    const allowed = /TIM Group Backup|SecretKey|App|https:\/\/|\d+/gu;
    const enText = new Map(leaves(en));
    for (const [key, text] of leaves(zh)) {
      if (key === 'appName' || key === 'tray.tooltip') continue;
      expect(text.replace(allowed, ''), key).not.toMatch(/[A-Za-z]{2,}/u);
      expect(text, key).not.toBe(enText.get(key));
      // Tencent's console writes 账号, and the glossary calls a profile 应用, never 配置.
      expect(text, key).not.toMatch(/帐号|配置/u);
    }
  });

  it('counts in English with the right plural, and names a few groups before "and N more"', () => {
    expect(en.notice.newMessages('Work', 1, '1')).toBe('Work: 1 new message.');
    expect(en.notice.newMessages('Work', 1200, '1,200')).toBe('Work: 1,200 new messages.');
    expect(en.notice.groupList(['A', 'B'], 3)).toBe('A, B and 1 more group');
    expect(en.notice.groupList(['A', 'B'], 2)).toBe('A, B');
    expect(zh.notice.groupList(['产品群', '运营群'], 5)).toBe('产品群、运营群 等 5 个群组');
    expect(zh.quitExport.detail(15)).toContain('15 秒');
  });
});
