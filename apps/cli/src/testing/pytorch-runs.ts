/** CLI runs the PyTorch export's tests share: a short training run and an export. */
import { join } from 'node:path';
import { type CliResult, runInProcess } from './run-cli.js';

function ok(args: string[], result: CliResult): CliResult {
  if (result.code !== 0)
    throw new Error(`tessera ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result;
}

/** Trains one epoch on one worker into `out`; resolves to its latest checkpoint. */
export async function trainOneEpoch(out: string, args: string[]): Promise<string> {
  const all = ['train', ...args, '--epochs', '1', '--workers', '1', '--out', out];
  ok(all, await runInProcess(all));
  return join(out, 'checkpoints', 'latest.tsr');
}

/** Exports `checkpoint` for PyTorch into `dir`; resolves to `dir`. */
export async function exportPytorch(
  checkpoint: string,
  dir: string,
  extra: string[] = [],
): Promise<string> {
  const all = ['export', '--checkpoint', checkpoint, '--format', 'pytorch', '--out', dir, ...extra];
  ok(all, await runInProcess(all));
  return dir;
}
