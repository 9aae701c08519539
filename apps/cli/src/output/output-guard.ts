/**
 * Failures of the stdout stream itself. A reader that goes away (`tessera train | head -2`:
 * EPIPE) ends the command quietly, as a Unix tool killed by SIGPIPE would — training first
 * saves a checkpoint, as with Ctrl-C. Any other failure (`> /dev/full`: ENOSPC) becomes
 * one `error:` line. Without a listener, Node would crash with an unhandled 'error' event.
 */
import type { OutputStream } from '../io.js';

/** Exit code after the reader of stdout went away: 128 + SIGPIPE, as shells report it. */
export const BROKEN_PIPE_EXIT = 141;

/** Watches a stream for write errors until disposed. */
export class OutputGuard {
  private readonly controller = new AbortController();
  private failure: NodeJS.ErrnoException | undefined;
  private readonly onError = (err: NodeJS.ErrnoException): void => {
    this.failure ??= err;
    this.controller.abort();
  };

  constructor(private readonly stream: OutputStream) {
    stream.on('error', this.onError);
  }

  /** Aborted as soon as the stream fails (training stops and saves a checkpoint). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The first error, if the stream failed. */
  get error(): NodeJS.ErrnoException | undefined {
    return this.failure;
  }

  /** True when the reader went away (not an error worth a line). */
  get readerGone(): boolean {
    const code = this.failure?.code;
    return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ECONNRESET';
  }

  /** Resolves once everything written so far has reached the stream (or failed to). */
  settle(): Promise<void> {
    if (this.failure !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      this.stream.write('', () => resolve());
    });
  }

  /**
   * Stops watching. The listener stays as a no-op sink: writes still queued may fail
   * after the command ends, and an error without a listener would crash the process.
   */
  dispose(): void {
    this.stream.off('error', this.onError);
    this.stream.on('error', () => undefined);
  }
}
