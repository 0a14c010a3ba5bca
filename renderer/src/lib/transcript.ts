// The reader's rows: messages (ascending by Seq) with a separator before each new day and the start of each
// sender's run marked, by the HTML export's own layout rule (app/export/transcript.ts). Pure.

import type { Clock } from '../../../app/export/clock';
import { TranscriptLayout } from '../../../app/export/transcript';
import type { MessageView } from '../../../app/export/view';

export type TranscriptRow = { kind: 'day'; key: string; date: string } | { kind: 'message'; key: string; message: MessageView; head: boolean };

export function transcriptRows(messages: readonly MessageView[], clock: Clock): TranscriptRow[] {
  const layout = new TranscriptLayout(clock);
  const rows: TranscriptRow[] = [];
  for (const m of messages) {
    const { date, newDay, head } = layout.place(m);
    if (newDay) rows.push({ kind: 'day', key: `d${date}`, date });
    rows.push({ kind: 'message', key: `m${m.seq}`, message: m, head });
  }
  return rows;
}
