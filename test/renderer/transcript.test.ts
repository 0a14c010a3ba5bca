// The reader's rows follow the HTML export's layout rule (app/export/transcript.ts): a day separator before each
// new local day, the sender named at the start of each run — a run ends after five minutes, at another sender,
// at a system message, at a damaged message (whose sender is never named) and at midnight.
import { describe, expect, it } from 'vitest';
import { Clock } from '../../app/export/clock';
import type { MessageView } from '../../app/export/view';
import { transcriptRows } from '../../renderer/src/lib/transcript';

/** 2024-05-01 23:50 in Shanghai. */
const T0 = Date.UTC(2024, 4, 1, 15, 50) / 1000;

function message(seq: number, account: string, minutes: number, isSystem = false): MessageView {
  return { seq, time: T0 + minutes * 60, sender: { account }, state: 'normal', isSystem, contentKept: true, elements: [] };
}

describe('transcript rows', () => {
  it('separate the days and name the sender at the start of each run', () => {
    const rows = transcriptRows(
      [
        message(1, 'alice', 0),
        message(2, 'alice', 5), // within five minutes: same run
        message(3, 'alice', 11), // six minutes later, and past midnight in Shanghai: a new day, named again
        message(4, 'bob', 12),
        message(5, 'bob', 18), // six minutes after bob's last: named again
        message(6, 'system', 19, true),
        message(7, 'bob', 20), // after a system message: named again
        message(8, 'bob', 21),
      ],
      new Clock('Asia/Shanghai', 'en'),
    );
    expect(rows.map((r) => (r.kind === 'day' ? r.date : `${r.message.seq}${r.head ? '*' : ''}`))).toEqual([
      '2024-05-01', '1*', '2',
      '2024-05-02', '3*', '4*', '5*', '6*', '7*', '8',
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it('never name the sender of a damaged message, and name the next one again', () => {
    const damaged = { ...message(2, 'alice', 1), state: 'damaged' as const };
    const rows = transcriptRows([message(1, 'alice', 0), damaged, message(3, 'alice', 2)], new Clock('UTC', 'en'));
    expect(rows.map((r) => (r.kind === 'day' ? r.date : `${r.message.seq}${r.head ? '*' : ''}`))).toEqual(['2024-05-01', '1*', '2', '3*']);
  });

  it('put the day in the reader’s time zone', () => {
    const rows = transcriptRows([message(1, 'alice', 0), message(2, 'alice', 11)], new Clock('UTC', 'en'));
    expect(rows.filter((r) => r.kind === 'day')).toEqual([{ kind: 'day', key: 'd2024-05-01', date: '2024-05-01' }]);
  });
});
