/**
 * Ctrl-C while training: the first SIGINT aborts the run through an AbortSignal (the
 * trainer saves a checkpoint between two steps, then stops; before the first step the run
 * stops without one); a second one ends the process at once with 130, and so does any
 * SIGINT once `quitAtOnce()` was called (after training, while the report is made). Ending
 * through `process.exit` runs the `exit` listeners: the run folder's lock and this process's
 * checkpoint temp files go (run-lock.ts), where a process killed by the signal leaves them.
 */

/** An abort signal tied to SIGINT for as long as it is installed. */
export class InterruptHandler {
  private readonly controller = new AbortController();
  private immediate = false;
  private readonly onSignal = (): void => {
    if (this.immediate || this.controller.signal.aborted) process.exit(130);
    this.notify();
    this.controller.abort();
  };
  private installed = false;

  constructor(private readonly notify: () => void = () => undefined) {}

  /** The signal to pass to fit. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Starts listening for SIGINT. */
  install(): this {
    if (!this.installed) process.on('SIGINT', this.onSignal);
    this.installed = true;
    return this;
  }

  /** From now on a SIGINT ends the process at once (with 130), as a second one does. */
  quitAtOnce(): void {
    this.immediate = true;
  }

  /** Stops listening (always call, so the process can exit normally). */
  dispose(): void {
    if (this.installed) process.off('SIGINT', this.onSignal);
    this.installed = false;
  }
}

/**
 * Resolves once the event loop has polled for events, so that a SIGINT that came while
 * synchronous work held the thread (reading a large CSV) has reached its listener. The
 * signal waits in the loop's poll phase; code resuming from an I/O callback is already
 * past that phase, and its first `setImmediate` runs before the loop polls again — the
 * second runs after (measured: one turn was not enough after loading a CSV).
 */
export async function signalsDelivered(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
}
