// The moment a round of fetching has sent the first request of every window it will fetch. The growth check
// (get_group_info for the round's groups) goes out then rather than after the last answer: it travels alongside
// the round's last windows instead of adding a round trip of its own after them. Whatever a group gains after
// the check is read is left to the next round or the next run, exactly as whatever it gained after a later
// check would be.

export class RoundEnd {
  private planning: number;
  private unsent = 0;
  private reached = false;

  /** `groups`: how many groups of the round still have to work out their windows. */
  constructor(
    groups: number,
    private readonly onAllSent: () => void,
  ) {
    this.planning = groups;
    this.check();
  }

  /** One group has worked out its windows (0 when it has none, or stopped before it got that far). */
  planned(windows: number): void {
    this.planning--;
    this.unsent += windows;
    this.check();
  }

  /** One of the planned windows has sent its first request (or will send none). */
  sent(): void {
    this.unsent--;
    this.check();
  }

  private check(): void {
    if (this.reached || this.planning > 0 || this.unsent > 0) return;
    this.reached = true;
    this.onAllSent();
  }
}
