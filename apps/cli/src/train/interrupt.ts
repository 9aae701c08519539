/**
 * Ctrl-C while training: the first SIGINT aborts the run through an AbortSignal (the
 * trainer saves a checkpoint between two steps, then stops); a second one ends the
 * process at once with 130 (its `exit` listeners still run: the run folder's lock and
 * this process's checkpoint temp files go, run-lock.ts).
 */

/** An abort signal tied to SIGINT for as long as it is installed. */
export class InterruptHandler {
  private readonly controller = new AbortController();
  private readonly onSignal = (): void => {
    if (this.controller.signal.aborted) process.exit(130);
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

  /** Stops listening (always call, so the process can exit normally). */
  dispose(): void {
    if (this.installed) process.off('SIGINT', this.onSignal);
    this.installed = false;
  }
}
