/**
 * Child-process entry of one Tessera training run of the bench: loads the input set named
 * in the request (argv[2], JSON {@link TesseraChildRequest}), trains the reference network
 * with `fit` (tasks/tessera.ts) and prints the run as one JSON line. One process per run,
 * as a user's `tessera train` is: each run starts with fresh compiled code, and the
 * process's peak resident memory is that run's alone.
 */
import type { InputSetName } from './tasks/input-sets.js';
import { loadInputSet } from './tasks/input-sets.js';
import { runTessera } from './tasks/tessera.js';

/** What the parent asks for. */
export interface TesseraChildRequest {
  input: InputSetName;
  workers: number;
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '') as TesseraChildRequest;
  const set = loadInputSet(request.input);
  if (!('data' in set)) throw new Error(`input set ${request.input}: ${set.reason}`);
  const run = await runTessera({
    data: set.data,
    workers: request.workers,
    input: set.name,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  // The whole process's peak (data loading included), in KiB from the kernel.
  const peak = process.resourceUsage().maxRSS / 1024;
  const reported = run.status === 'ok' ? { ...run, peakRssMiB: peak } : run;
  process.stdout.write(`${JSON.stringify(reported)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
