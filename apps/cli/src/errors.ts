/**
 * How a failure becomes an exit code and the lines on stderr (exit codes as the README states them):
 *
 * - 2, bad usage or bad input: exactly one line `error: …` naming the file, argument or
 *   value; never a stack trace. TesseraErrors whose `userError` is true, commander's usage
 *   errors, and file-system errors (ENOENT, EACCES, …) land here.
 * - 130, interrupted: training stopped on SIGINT after saving a checkpoint.
 * - 1, an internal fault: one line, plus a hint to report it; the stack only when
 *   TESSERA_DEBUG=1.
 */
import { TesseraError } from '@tessera/core';
import { CommanderError } from 'commander';

/** Exit codes of the `tessera` command. */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  interrupted: 130,
} as const;

/** What to print and which code to exit with. */
export interface ErrorReport {
  /** Process exit code. */
  exitCode: number;
  /** Lines for stderr, without trailing newlines. */
  lines: string[];
}

/** Where problems with Tessera itself should be reported. */
export const REPORT_HINT =
  'This is a bug in Tessera: please report it with the command you ran (set TESSERA_DEBUG=1 to print the stack trace).';

/** File-system error codes that mean the user's path is the problem. */
const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder, expected a file',
  ENOTDIR: 'a part of the path is not a folder',
  EEXIST: 'already exists',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENOTEMPTY: 'folder is not empty',
};

/** One line: newlines folded, so a message never spills onto a second line. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function errnoOf(err: unknown): NodeJS.ErrnoException | undefined {
  if (err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string') {
    const code = (err as NodeJS.ErrnoException).code!;
    if (code in FILE_ERRORS) return err as NodeJS.ErrnoException;
  }
  return undefined;
}

/** Describes a file-system error by its path and what went wrong. */
export function describeFileError(err: NodeJS.ErrnoException): string {
  const what = FILE_ERRORS[err.code ?? ''] ?? err.message;
  const path = err.path ?? (err as { dest?: string }).dest;
  return path === undefined ? `${what} (${err.code})` : `${path}: ${what} (${err.code})`;
}

/** The exit code and stderr lines for an error thrown by a command. */
export function reportError(err: unknown, options: { debug?: boolean } = {}): ErrorReport {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') {
      return { exitCode: ExitCode.ok, lines: [] };
    }
    const message = oneLine(err.message);
    return {
      exitCode: ExitCode.usage,
      lines: [message.startsWith('error:') ? message : `error: ${message}`],
    };
  }
  if (err instanceof TesseraError) {
    if (err.code === 'ABORTED')
      return { exitCode: ExitCode.interrupted, lines: [`interrupted: ${oneLine(err.message)}`] };
    if (err.userError)
      return { exitCode: ExitCode.usage, lines: [`error: ${oneLine(err.message)}`] };
  }
  const errno = errnoOf(err);
  if (errno !== undefined)
    return { exitCode: ExitCode.usage, lines: [`error: ${oneLine(describeFileError(errno))}`] };

  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const lines = [`error: internal error: ${oneLine(message)}`, REPORT_HINT];
  if (options.debug === true && err instanceof Error && err.stack !== undefined)
    lines.push(err.stack);
  return { exitCode: ExitCode.internal, lines };
}

/**
 * The same kind of error with `context` in front of its message, e.g. the file it came
 * from: `withContext('model.json', err)` → `model.json: Unknown activation …`.
 */
export function withContext(context: string, err: unknown): unknown {
  if (err instanceof TesseraError) {
    if (err.message.startsWith(context)) return err;
    const wrapped = new TesseraError(err.code, `${context}: ${err.message}`, { cause: err });
    Object.defineProperty(wrapped, 'name', { value: err.name });
    return wrapped;
  }
  return err;
}
