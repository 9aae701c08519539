/**
 * Checkpoint writes behind the training. A ModelCheckpoint encodes a checkpoint where it
 * is taken (the state as of that step, in bytes of its own) and queues the file writes
 * here; they run one job at a time, in the order queued, while the workers go on with the
 * next epoch. A write is mostly the disk's `fsync` (10–20 ms an epoch for `npm start`'s
 * three files on this project's machine), which needs no CPU.
 *
 * A failed write is kept: the next `add` and `drain` throw it, so a run stops at its next
 * save at the latest, and no job queued after it runs (a later file never replaces what a
 * failed one should have been followed by). Each file is still written atomically, so a
 * failure leaves the file before it whole.
 */
export class WriteQueue {
  private tail: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;

  /** Queues `write` after every job before it; returns at once. Throws an earlier job's failure. */
  add(write: () => Promise<void>): void {
    this.throwIfFailed();
    this.tail = this.tail.then(async () => {
      if (this.failure !== undefined) return;
      try {
        await write();
      } catch (error) {
        this.failure ??= { error };
      }
    });
  }

  /** Waits for every job queued; throws the first failure. */
  async drain(): Promise<void> {
    await this.tail;
    this.throwIfFailed();
  }

  /** Waits for every job queued, whatever became of them (for a run that failed anyway). */
  settled(): Promise<void> {
    return this.tail;
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }
}
