import { describe, expect, it } from 'vitest';
import { REFERENCE_TASK } from './tasks/reference-task.js';
import type { CompletedRun, TrainingBenchResult, TrainingRun } from './tasks/result.js';
import { breakdownTable, describeTask, referenceSpeeds, trainingTable } from './training-table.js';

function completed(
  fields: Pick<CompletedRun, 'runner' | 'label' | 'samplesPerSecond'> & Partial<CompletedRun>,
): CompletedRun {
  return {
    input: 'mnist',
    status: 'ok',
    examples: 60_000,
    steps: 469,
    trainSeconds: 60_000 / fields.samplesPerSecond,
    loss: 0.3,
    accuracy: 0.91,
    ...fields,
  };
}

const runs: TrainingRun[] = [
  completed({
    runner: 'tessera',
    label: 'Tessera ×1',
    workers: 1,
    samplesPerSecond: 10_000,
    breakdown: { computeMs: 8, reduceUpdateMs: 2, waitingMs: 0.5, otherMs: 0.25 },
    peakRssMiB: 190.4,
  }),
  completed({
    runner: 'tessera',
    label: 'Tessera ×2',
    workers: 2,
    samplesPerSecond: 18_000,
    breakdown: { computeMs: 4.5, reduceUpdateMs: 1.5, waitingMs: 1, otherMs: 0.3 },
    peakRssMiB: 230.6,
  }),
  completed({ runner: 'tfjs-cpu', label: 'tfjs-cpu', samplesPerSecond: 720, loss: 0.41 }),
  completed({
    runner: 'tfjs-wasm',
    label: 'tfjs-wasm',
    samplesPerSecond: 3_000,
    note: 'tfjs-layers 4.22.0, SIMD, one thread',
  }),
  {
    input: 'mnist',
    runner: 'pytorch',
    label: 'PyTorch ×1',
    status: 'skipped',
    reason: 'not installed (apt-get install python3-torch)',
  },
];

const result: TrainingBenchResult = {
  task: { ...REFERENCE_TASK },
  quick: false,
  repeats: 3,
  inputs: [{ name: 'mnist', description: 'MNIST', examples: 60_000 }],
  runs,
};

/** The table's body rows (after the three heading lines, the column titles and the rule) split into cells. */
function bodyCells(lines: string[]): string[][] {
  const start = lines.findIndex((line) => line.startsWith('runner')) + 2;
  return lines.slice(start, start + runs.length).map((line) => line.split(/\s{2,}/));
}

describe('referenceSpeeds', () => {
  it('picks each reference from completed runs only', () => {
    expect(referenceSpeeds(runs)).toEqual({
      tfjsCpu: 720,
      tfjsWasm: 3_000,
      pytorch: undefined,
      tesseraOne: 10_000,
    });
  });

  it('divides by the faster one-thread PyTorch row, never by more threads', () => {
    const torch = (label: string, samplesPerSecond: number) =>
      completed({ runner: 'pytorch', label, samplesPerSecond });
    const rows = [
      torch('PyTorch ×1', 4_000),
      torch('PyTorch ×1, memory kept', 9_000),
      torch('PyTorch ×12', 50_000),
      torch('PyTorch ×2, memory kept', 12_000),
    ];
    expect(referenceSpeeds(rows).pytorch).toBe(9_000);
    expect(referenceSpeeds([rows[0]!, rows[2]!]).pytorch).toBe(4_000);
  });
});

describe('trainingTable', () => {
  const lines = trainingTable(result);
  const cells = bodyCells(lines);

  it('describes the task in the heading', () => {
    expect(lines[0]).toBe(
      'Training: MNIST 784-128(relu)-10(softmax), Adam 0.001, batch 128, float32, 1 epoch',
    );
    expect(describeTask({ ...REFERENCE_TASK, epochs: 3 })).toContain('3 epochs');
  });

  it("divides each row's samples/s by each peer's and by Tessera ×1's", () => {
    // 18,000 / 720 = 25.0, 18,000 / 3,000 = 6.0, 18,000 / 10,000 = 1.8
    expect(cells[1]).toEqual([
      'Tessera ×2',
      '60,000',
      '18,000',
      '25.0×',
      '6.0×',
      'n/a',
      '1.8×',
      '0.3000',
      '91.0%',
    ]);
    // 10,000 / 720 = 13.89, 10,000 / 3,000 = 3.33
    expect(cells[0]!.slice(2, 7)).toEqual(['10,000', '13.9×', '3.3×', 'n/a', '1.0×']);
    // 720 / 3,000 = 0.24; a peer row leaves the Tessera scaling column empty.
    expect(cells[2]).toEqual([
      'tfjs-cpu',
      '60,000',
      '720',
      '1.0×',
      '0.24×',
      'n/a',
      '0.4100',
      '91.0%',
    ]);
  });

  it('renders a skipped runner as a row with its status and a note under the table', () => {
    expect(cells[4]).toEqual(['PyTorch ×1', 'skipped']);
    expect(lines).toContain('PyTorch ×1: not installed (apt-get install python3-torch)');
    expect(lines).toContain('tfjs-wasm: tfjs-layers 4.22.0, SIMD, one thread');
    expect(lines.some((line) => line.startsWith('--quick'))).toBe(false);
  });

  it('says when the peers trained on a subset', () => {
    const peersOnSubset = runs.map((r) =>
      r.status === 'ok' && r.runner !== 'tessera' ? { ...r, examples: 10_000 } : r,
    );
    const quick = trainingTable({ ...result, quick: true, runs: peersOnSubset });
    expect(quick).toContain(
      '--quick: the peers trained on the first 10,000 of 60,000 examples; Tessera on all',
    );
  });

  it('cuts a long failure reason in the table', () => {
    const failed: TrainingRun = {
      input: 'mnist',
      runner: 'tfjs-cpu',
      label: 'tfjs-cpu',
      status: 'failed',
      reason: 'x'.repeat(500),
    };
    const note = trainingTable({ ...result, runs: [failed] }).find((l) =>
      l.startsWith('tfjs-cpu:'),
    );
    expect(note).toBe(`tfjs-cpu: ${'x'.repeat(199)}…`);
  });
});

describe('one table per input set', () => {
  it("heads each table with its input and divides only by that input's peers", () => {
    const dense = runs.map((r) => ({ ...r, input: 'dense' as const }));
    const both = trainingTable({
      ...result,
      inputs: [
        ...result.inputs,
        { name: 'dense', description: 'dense synthetic', examples: 60_000 },
      ],
      runs: [...runs.slice(0, 2), ...dense.slice(0, 1)],
    });
    expect(both.filter((l) => l.startsWith('Training: '))).toEqual([
      'Training: MNIST 784-128(relu)-10(softmax), Adam 0.001, batch 128, float32, 1 epoch',
      'Training: dense synthetic 784-128(relu)-10(softmax), Adam 0.001, batch 128, float32, 1 epoch',
    ]);
  });
});

describe('breakdownTable', () => {
  it('shows milliseconds per step for the Tessera rows only', () => {
    const lines = breakdownTable(runs);
    expect(lines).toHaveLength(5); // heading, titles, rule, two rows
    const row = lines[4]!.split(/\s{2,}/);
    // ms/step = 60,000 / 18,000 s × 1000 / 469 steps = 7.107…
    expect(row).toEqual(['mnist Tessera ×2', '469', '7.11', '4.50', '1.50', '1.00', '0.30', '231']);
    expect(lines[3]!.startsWith('mnist Tessera ×1')).toBe(true);
  });

  it('is empty when no Tessera run completed', () => {
    expect(breakdownTable(runs.slice(2))).toEqual([]);
  });
});
