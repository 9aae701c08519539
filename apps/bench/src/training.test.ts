import { describe, expect, it } from 'vitest';
import type { CompletedRun } from './tasks/result.js';
import { medianRun, runTesseraChild } from './training.js';

function run(samplesPerSecond: number): CompletedRun {
  return {
    input: 'mnist',
    runner: 'tessera',
    label: 'Tessera ×1',
    status: 'ok',
    examples: 60_000,
    steps: 469,
    trainSeconds: 60_000 / samplesPerSecond,
    samplesPerSecond,
    loss: 0.3,
    accuracy: 0.9,
  };
}

describe('medianRun', () => {
  it('keeps the median run of interleaved repeats and notes the spread', () => {
    const m = medianRun([run(120_000), run(90_000), run(100_000)]);
    expect(m.samplesPerSecond).toBe(100_000);
    expect(m.note).toBe('median of 3 interleaved runs (90000–120000 samples/s)');
    expect(m.details).toMatchObject({
      repeats: 3,
      minSamplesPerSecond: 90_000,
      maxSamplesPerSecond: 120_000,
    });
  });

  it('takes the lower middle of an even count, and a single run as it is', () => {
    expect(medianRun([run(4), run(1), run(3), run(2)]).samplesPerSecond).toBe(2);
    expect(medianRun([run(5)]).note).toBeUndefined();
  });
});

describe('runTesseraChild', () => {
  it('turns a child that cannot train into a failed row naming why', async () => {
    const lines: string[] = [];
    const row = await runTesseraChild({ input: 'no-such-set' as 'mnist', workers: 1 }, (line) =>
      lines.push(line),
    );
    expect(row).toMatchObject({ runner: 'tessera', label: 'Tessera ×1', status: 'failed' });
    expect((row as { reason: string }).reason.length).toBeGreaterThan(0);
  }, 30_000);
});
