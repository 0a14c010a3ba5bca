// How a transcript is laid out, in one place for the HTML export's pages and the desktop app's reader: a
// separator before each new day, and the sender named only at the start of a run of their messages.

import type { Clock } from './clock';
import type { MessageView } from './view';

/** Consecutive messages from one sender, this close in time, are shown under one name. */
const RUN_GAP_SECONDS = 5 * 60;

/** Where one message stands in the transcript. */
export interface TranscriptPlace {
  /** Its local day, YYYY-MM-DD. */
  date: string;
  /** The first message of its day (in this transcript): a day separator goes before it. */
  newDay: boolean;
  /** It starts a run of its sender's messages: the sender is named above it. */
  head: boolean;
}

/** Fed the messages in Seq order, says where each day and each sender's run starts. */
export class TranscriptLayout {
  private lastDate = '';
  private prev: MessageView | undefined;

  constructor(private readonly clock: Clock) {}

  place(m: MessageView): TranscriptPlace {
    const date = this.clock.local(m.time).date;
    const newDay = date !== this.lastDate;
    const prev = this.prev;
    // A system message ends a run: the next message names its sender again. So does a damaged one, whose sender is
    // no more trusted than its text: it is never named.
    const ended = prev === undefined || prev.isSystem || prev.state === 'damaged';
    const continues = !newDay && !ended && prev.sender.account === m.sender.account && m.time - prev.time <= RUN_GAP_SECONDS;
    this.lastDate = date;
    this.prev = m;
    return { date, newDay, head: !continues && m.state !== 'damaged' };
  }
}
