/** Waiting for Ctrl-C (SIGINT) or SIGTERM, or for an abort signal in tests. */
import type { CliIO } from '../io.js';

/** Resolves when the user stops the command. */
export function untilStopped(io: CliIO, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    if (io.handleSignals) {
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    }
    if (signal?.aborted === true) stop();
    signal?.addEventListener('abort', stop, { once: true });
  });
}
