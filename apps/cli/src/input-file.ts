/**
 * Every file the command reads must be a regular file: `/dev/zero`, a FIFO or a terminal
 * would make a read never end (a checkpoint or CSV is read whole). Missing files are left
 * to the reader, whose message names the option.
 */
import { statSync } from 'node:fs';
import { IOError } from '@tessera/core';

/** Fails unless `path` is a regular file (or does not exist yet). */
export function requireRegularFile(path: string, option: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    return;
  }
  if (!isFile) {
    throw new IOError(
      `${option} ${path}: not a regular file (a folder, device or pipe); expected a file`,
    );
  }
}
