import { describe, expect, it } from 'vitest';
import { runScalingBench, type ScalingBenchResult, scalingTable, scalingTrain } from './scaling.js';

/** A stand-in for `tessera train`: speed by worker count and batch size, calls recorded. */
function fakeTrain(cores: number, reportedWorkers = cores) {
  const calls: string[][] = [];
  let running = 0;
  let mostAtOnce = 0;
  const train = async (args: readonly string[]) => {
    calls.push([...args]);
    running++;
    mostAtOnce = Math.max(mostAtOnce, running);
    // Let the other runs of a Promise.all start before this one ends.
    await new Promise((resolve) => setTimeout(resolve, 1));
    running--;
    const at = args.indexOf('--workers');
    const one = at >= 0 && args[at + 1] === '1';
    const batch = Number(args[args.indexOf('--batch-size') + 1]);
    return { samplesPerSecond: (one ? 100 : 170) * batch, workers: one ? 1 : reportedWorkers };
  };
  return { train, calls, mostAtOnce: () => mostAtOnce };
}

describe('scaling bench', () => {
  it('runs one worker, the default and the control at every batch size, in rotating order', async () => {
    const fake = fakeTrain(2);
    const log: string[] = [];
    const result = await runScalingBench({
      quick: false,
      repeats: 3,
      log: (line) => log.push(line),
      cores: 2,
      train: fake.train,
    });
    expect(result.workers).toBe(2);
    expect(result.command).toBe(
      'tessera train --model mnist-mlp --dataset mnist --epochs 1 --seed 1',
    );
    expect(result.batches.map((b) => b.batchSize)).toEqual([64, 128, 256]);
    // 3 rounds × 3 batch sizes × (one + default + two processes).
    expect(fake.calls).toHaveLength(3 * 3 * 4);
    expect(fake.mostAtOnce()).toBe(2);
    for (const batch of result.batches) {
      expect(batch.rounds).toHaveLength(3);
      for (const round of batch.rounds) {
        expect(round.one).toBe(100 * batch.batchSize);
        expect(round.every).toBe(170 * batch.batchSize);
        expect(round.processes).toEqual([100 * batch.batchSize, 100 * batch.batchSize]);
      }
    }
    // The first run of each round at batch 64: one worker, the default, then the control.
    const firsts = log.filter((line) => /batch 64:/.test(line)).filter((_, i) => i % 3 === 0);
    expect(firsts.map((line) => line.split(': ').pop())).toEqual([
      '--workers 1',
      'the default (2 workers)',
      '2 one-worker processes at once',
    ]);
    // Every run trains one epoch of MNIST with a fixed seed; only the default omits --workers.
    const shared = scalingTrain();
    for (const call of fake.calls) expect(call.slice(0, shared.length)).toEqual(shared);
    expect(fake.calls.filter((call) => !call.includes('--workers'))).toHaveLength(9);
  });

  it('runs batch 128 only when quick, and nothing on one core', async () => {
    const fake = fakeTrain(4);
    const quick = await runScalingBench({
      quick: true,
      repeats: 1,
      log: () => {},
      cores: 4,
      train: fake.train,
    });
    expect(quick.batches.map((b) => b.batchSize)).toEqual([128]);
    expect(quick.batches[0]!.rounds[0]!.processes).toHaveLength(4);
    expect(fake.mostAtOnce()).toBe(4);

    const single = fakeTrain(1);
    const none = await runScalingBench({
      quick: false,
      repeats: 2,
      log: () => {},
      cores: 1,
      train: single.train,
    });
    expect(none.batches).toEqual([]);
    expect(single.calls).toEqual([]);
    expect(scalingTable(none)).toEqual([
      `Scaling: ${none.command}: this machine has one core, nothing to compare.`,
    ]);
  });

  it('trains the epochs it is given in every run', async () => {
    const fake = fakeTrain(2);
    const result = await runScalingBench({
      quick: true,
      repeats: 2,
      epochs: 10,
      log: () => {},
      cores: 2,
      train: fake.train,
    });
    expect(result.command).toBe(
      'tessera train --model mnist-mlp --dataset mnist --epochs 10 --seed 1',
    );
    expect(fake.calls).toHaveLength(2 * 4);
    for (const call of fake.calls) expect(call[call.indexOf('--epochs') + 1]).toBe('10');
    expect(() => scalingTrain(0)).toThrow(
      'scaling bench: epochs must be a positive integer. Received: epochs=0',
    );
  });

  it('fails when the command does not train on every core by default', async () => {
    const fake = fakeTrain(2, 1);
    await expect(
      runScalingBench({ quick: true, repeats: 1, log: () => {}, cores: 2, train: fake.train }),
    ).rejects.toThrow(
      'scaling bench: tessera train should train on every core (2) by default. Received: workers=1',
    );
  });

  it('tabulates medians of the speeds and of each round’s ratios, with their ranges', () => {
    const result: ScalingBenchResult = {
      command: 'tessera train --model mnist-mlp --dataset mnist --epochs 1 --seed 1',
      workers: 2,
      batches: [
        {
          batchSize: 128,
          rounds: [
            // Ratios 1.50, 1.20, 1.80; the processes together 2.00, 1.90, 1.60.
            { one: 100_000, every: 150_000, processes: [100_000, 100_000] },
            { one: 200_000, every: 240_000, processes: [190_000, 190_000] },
            { one: 150_000, every: 270_000, processes: [120_000, 120_000] },
          ],
        },
      ],
    };
    const lines = scalingTable(result);
    expect(lines[0]).toBe(
      'Scaling: tessera train --model mnist-mlp --dataset mnist --epochs 1 --seed 1, 2 workers by default, 3 round(s) (samples/s, medians):',
    );
    expect(lines[1]).toMatch(
      /^batch\s+1 worker\s+2 workers\s+2 workers ÷ 1\s+range\s+2 processes ÷ 1\s+range$/,
    );
    // Medians of the speeds (150,000 and 240,000), not the ratio of two medians.
    expect(lines[3]).toMatch(
      /^\s*128\s+150,000\s+240,000\s+1\.50×\s+1\.20×–1\.80×\s+1\.90×\s+1\.60×–2\.00×$/,
    );
    expect(lines.at(-1)).toContain('2 one-worker processes at once');
  });
});
