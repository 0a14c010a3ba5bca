// One definition of completeness (app/coverage): the three states a person must tell apart, and the same
// verdict and counts in the worker's Groups entry, its coverage report, the TXT and the HTML export.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { completeness } from '../../app/coverage/completeness';
import { describe as describeVerdict, judge, type StreamCounts } from '../../app/coverage/verdict';
import { Clock } from '../../app/export/clock';
import { dictionary } from '../../app/export/i18n';
import { exportHtml } from '../../app/export/html-export';
import { exportTxt } from '../../app/export/txt';
import { archiveState, coverageReport } from '../../app/worker/reader';
import { START_TIME } from '../export/fixtures';
import { tempArchive, tempDir } from '../export/helpers';

const zero: StreamCounts = { messages: 0, archived: 0, recalled: 0, placeholders: 0, absent: 0, failed: 0, expired: 0, notYetFetched: 0, missing: 0 };
const fmt = { count: String, date: (t: number) => new Date(t * 1000).toISOString().slice(0, 10) };

describe('judge', () => {
  it('tells complete, complete since a date, incomplete and unknown apart; a filtered export is never complete', () => {
    const en = dictionary('en').completeness;
    expect(judge({ ...zero, messages: 5, archived: 5 }, true, 1).state).toBe('complete');
    const since = judge({ ...zero, messages: 5, archived: 5, expired: 1520 }, true, START_TIME);
    expect(since).toMatchObject({ state: 'complete-since', since: START_TIME });
    expect(describeVerdict(since, en, fmt).text).toBe(
      'Everything Tencent still has is archived. History before 2024-04-30 had already expired at Tencent before the first backup and cannot be recovered.',
    );
    const gaps = judge({ ...zero, expired: 10, failed: 20, notYetFetched: 40, missing: 60 }, true, 1);
    expect(gaps.state).toBe('incomplete');
    expect(describeVerdict(gaps, en, fmt).text).toMatch(/^Incomplete: 60 messages are not archived; fetching 20 of them failed/);
    expect(judge(zero, false, undefined).state).toBe('unknown');
    expect(describeVerdict(judge(zero, true, 1), en, fmt, true)).toEqual({ tone: 'filtered', text: en.filtered });
  });
});

describe('one verdict, one count, everywhere', () => {
  it('the 7-day group whose oldest history expired before the first backup reads the same in the app and every export', async () => {
    const { archive } = await tempArchive([{ groupId: 'retention-7d', name: 'Retention 7 days', messages: 400, seed: 5, expiredBelow: 121 }]);
    const row = archive.groups()[0]!;
    const c = completeness(archive, row);
    expect(c.state).toBe('complete-since');
    expect(c.counts.expired).toBe(120);
    expect(c.counts.missing).toBe(0);
    expect(c.counts.messages).toBe(c.counts.archived + c.counts.recalled + c.counts.placeholders);

    // The Groups screen's entry and the coverage screen's report carry this very object.
    expect(archiveState(archive, row)).toMatchObject({ messages: c.counts.messages, completeness: c });
    expect(coverageReport(archive, row).completeness).toEqual(c);

    const clock = new Clock('UTC', 'en');
    const text = describeVerdict(c, dictionary('en').completeness, { count: String, date: (t) => clock.local(t).date }).text;
    expect(text).toMatch(/^Everything Tencent still has is archived\. History before \d{4}-\d\d-\d\d had already expired/);

    const dir = await tempDir();
    await exportTxt(archive, join(dir, 'all.txt'), { lang: 'en', timeZone: 'UTC', filter: {} });
    const txt = await readFile(join(dir, 'all.txt'), 'utf8');
    expect(txt).toContain(text);
    expect(txt).toContain(`  Messages archived: ${c.counts.messages.toLocaleString('en')}`);

    await exportHtml(archive, join(dir, 'html'), { lang: 'en', timeZone: 'UTC', filter: {} });
    const index = await readFile(join(dir, 'html', 'index.html'), 'utf8');
    expect(index).toContain('data-verdict="complete-since"');
    expect(index).toContain(`data-stat="totalMessages" data-value="${c.counts.messages}"`);
    expect(index).not.toContain('Incomplete');
  });
});
