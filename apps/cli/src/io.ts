/**
 * Where a command run writes and what it may read from its surroundings. The bin passes
 * the process's streams; tests pass collecting streams and run commands in-process.
 */
import { Writable } from 'node:stream';

/** A writable text stream, with the terminal facts the progress display needs. */
export type OutputStream = NodeJS.WritableStream & {
  /** True when the stream is a terminal (then `train` draws a progress bar). */
  isTTY?: boolean;
  /** Terminal width in characters, when known. */
  columns?: number;
};

/** Everything a command run touches outside its arguments. */
export interface CliIO {
  /** Results: tables, metrics, the one `--json` object. */
  stdout: OutputStream;
  /** Progress, warnings and the `error: …` line. */
  stderr: OutputStream;
  /** Environment variables (TESSERA_DEBUG, TESSERA_FASHION_MNIST_DIR, …). */
  env: Record<string, string | undefined>;
  /** Listen for SIGINT while training (only the real process should). */
  handleSignals: boolean;
}

/** The running process's streams and environment. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, handleSignals: true };
}

/** A stream that keeps what is written to it, for tests and captured output. */
export class TextSink extends Writable {
  private readonly chunks: string[] = [];
  isTTY: boolean;
  columns: number | undefined;

  constructor(options: { isTTY?: boolean; columns?: number } = {}) {
    super();
    this.isTTY = options.isTTY ?? false;
    this.columns = options.columns;
  }

  override _write(
    chunk: Buffer | string,
    _encoding: BufferEncoding,
    done: (error?: Error | null) => void,
  ): void {
    this.chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    done();
  }

  /** Everything written so far. */
  get text(): string {
    return this.chunks.join('');
  }
}

/** A collecting CliIO for in-process runs (no signal handling). */
export function memoryIO(
  options: { env?: Record<string, string | undefined>; tty?: boolean } = {},
): CliIO & {
  stdout: TextSink;
  stderr: TextSink;
} {
  return {
    stdout: new TextSink({ isTTY: options.tty ?? false }),
    stderr: new TextSink({ isTTY: options.tty ?? false }),
    env: options.env ?? {},
    handleSignals: false,
  };
}
