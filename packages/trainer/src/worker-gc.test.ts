import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const probe = fileURLToPath(new URL('../test/fixtures/worker-gc-probe.mjs', import.meta.url));
// V8 prints --trace-gc through C's stdio, which holds it back when the output is a pipe:
// line buffering (coreutils' stdbuf) keeps it in order with the probe's own marks.
const STDBUF = '/usr/bin/stdbuf';

interface Collection {
  isolate: string;
  kind: string;
}

/** The collections of isolates other than the main thread's inside each epoch's steps. */
function workerCollectionsInSteps(output: string): {
  windows: number;
  workers: Set<string>;
  inSteps: Collection[];
} {
  const main = new Set<string>();
  const workers = new Set<string>();
  const inSteps: Collection[] = [];
  let mainKnown = false;
  let inWindow = false;
  let windows = 0;
  for (const line of output.split('\n')) {
    const gc = /^\[\d+:(0x[0-9a-f]+)\]\s+[\d.]+ ms: ([A-Za-z-]+)/.exec(line);
    if (gc !== null) {
      const [, isolate, kind] = gc as unknown as [string, string, string];
      if (!mainKnown) main.add(isolate);
      else if (!main.has(isolate)) {
        workers.add(isolate);
        if (inWindow) inSteps.push({ isolate, kind });
      }
      continue;
    }
    if (line === 'PROBE main-thread-known') mainKnown = true;
    else if (line.startsWith('PROBE steps-begin')) {
      inWindow = true;
      windows++;
    } else if (line === 'PROBE steps-end') inWindow = false;
  }
  return { windows, workers, inSteps };
}

// The resident step allocates nothing, but a worker's start-up left its young generation
// nearly full and the first steps tipped it over: a scavenge in one worker during the first
// epoch, with the other waiting at the barrier. The workers now collect between runs
// (young-generation.ts); this trains MNIST on two workers under --trace-gc.
describe('worker collections', () => {
  it.skipIf(!existsSync(STDBUF))(
    'no worker thread collects garbage inside an epoch’s steps',
    async () => {
      const { stdout } = await run(STDBUF, ['-oL', process.execPath, '--trace-gc', probe], {
        env: process.env,
        timeout: 180_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(stdout).toContain('PROBE done');
      const { windows, workers, inSteps } = workerCollectionsInSteps(stdout);
      expect(windows).toBe(2);
      // The workers' own collections (start-up, between runs) show the trace reached them.
      expect(workers.size).toBeGreaterThanOrEqual(2);
      expect(inSteps).toEqual([]);
    },
    200_000,
  );
});
