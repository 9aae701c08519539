/** What every command gets besides its options. */
import type { CliIO } from './io.js';

/** Shared state of one `run()`. */
export interface CommandContext {
  /** Streams and environment. */
  io: CliIO;
  /** The exit code the finished command asks for (0 unless it sets another). */
  exitCode: number;
  /** Aborted when stdout fails (its reader went away, or the disk is full). */
  outputFailed?: AbortSignal;
}
