/**
 * csvLogger: appends one row per epoch (epoch, then every log in a fixed column order) to
 * a CSV file, written with a header on the first row. As Keras's CSVLogger: with `append`,
 * the header is written only when the file is missing or empty, and a value an epoch did
 * not log is written as `NA`.
 */
import { appendFile, stat, writeFile } from 'node:fs/promises';
import { IOError, received, ValueError } from '@tessera/core';
import { Callback } from '@tessera/layers';
import type { Logs, TrainerCallback } from './callback.js';

export interface CsvLoggerArgs {
  /** File to write. */
  path: string;
  /** Field separator (default ','). */
  separator?: string;
  /** Append to an existing file instead of replacing it (default false). */
  append?: boolean;
}

export class CsvLogger extends Callback implements TrainerCallback {
  private readonly path: string;
  private readonly separator: string;
  private readonly append: boolean;
  private columns: string[] | undefined;
  /** Whether the first row of this run starts with the header. */
  private header = true;

  constructor(args: CsvLoggerArgs) {
    super();
    if (typeof args?.path !== 'string' || args.path === '') {
      throw new ValueError(received('csvLogger: path must be a file path', 'path', args?.path));
    }
    this.path = args.path;
    this.separator = args.separator ?? ',';
    this.append = args.append ?? false;
  }

  override async onTrainBegin(): Promise<void> {
    this.columns = undefined;
    if (this.append) {
      this.header = await isMissingOrEmpty(this.path);
    } else {
      this.header = true;
      await this.write(writeFile, '');
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    let text = '';
    if (this.columns === undefined) {
      this.columns = Object.keys(logs).sort();
      if (this.header) text += `${['epoch', ...this.columns].join(this.separator)}\n`;
    }
    const row = [
      String(epoch),
      ...this.columns.map((c) => (logs[c] === undefined ? 'NA' : String(logs[c]))),
    ];
    await this.write(appendFile, `${text}${row.join(this.separator)}\n`);
  }

  private async write(fn: typeof appendFile, text: string): Promise<void> {
    try {
      await fn(this.path, text);
    } catch (cause) {
      throw new IOError(`csvLogger: cannot write ${this.path}: ${(cause as Error).message}`, {
        cause,
      });
    }
  }
}

/** True when `path` does not exist or holds nothing. */
async function isMissingOrEmpty(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size === 0;
  } catch {
    return true;
  }
}

export function csvLogger(args: CsvLoggerArgs): CsvLogger {
  return new CsvLogger(args);
}
