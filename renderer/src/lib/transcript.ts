// The reader's rows: messages (ascending by Seq) with a separator before each new day and the start of each
// sender's run marked, by the same rules as the HTML export's pages. Pure.

import type { Clock } from '../../../app/export/clock';
import type { MessageView } from '../../../app/export/view';

/** As in the HTML export: consecutive messages from one sender this close in time are shown under one name. */
const RUN_GAP_SECONDS = 5 * 60;

export type TranscriptRow = { kind: 'day'; key: string; date: string } | { kind: 'message'; key: string; message: MessageView; head: boolean };

export function transcriptRows(messages: readonly MessageView[], clock: Clock): TranscriptRow[] {
  const rows: TranscriptRow[] = [];
  let lastDate = '';
  let prev: MessageView | undefined;
  for (const m of messages) {
    const date = clock.local(m.time).date;
    const newDay = date !== lastDate;
    if (newDay) rows.push({ kind: 'day', key: `d${date}`, date });
    const continues = !newDay && prev !== undefined && !prev.isSystem && prev.sender.account === m.sender.account && m.time - prev.time <= RUN_GAP_SECONDS;
    rows.push({ kind: 'message', key: `m${m.seq}`, message: m, head: !continues });
    lastDate = date;
    prev = m;
  }
  return rows;
}

