/**
 * csvLogger: appends one row per epoch (epoch, then every log in a fixed column order) to
 * a CSV file, written with a header on the first row.
 */
import { appendFile, writeFile } from 'node:fs/promises';
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
    if (!this.append) await this.write(writeFile, '');
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    let text = '';
    if (this.columns === undefined) {
      this.columns = Object.keys(logs).sort();
      if (!this.append) text += `${['epoch', ...this.columns].join(this.separator)}\n`;
    }
    const row = [
      String(epoch),
      ...this.columns.map((c) => (logs[c] === undefined ? '' : String(logs[c]))),
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

export function csvLogger(args: CsvLoggerArgs): CsvLogger {
  return new CsvLogger(args);
}
