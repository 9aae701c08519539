import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadIris, Normalizer } from '@tessera/datasets';
import { layers, sequential } from '@tessera/layers';
import { type CheckpointData, fit, loadCheckpoint, restoreModel } from '@tessera/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCliExtra } from '../../checkpoint/cli-extra.js';
import { loadEvaluationData } from '../../data/resolve-dataset.js';
import { exportPytorch, trainOneEpoch } from '../../testing/pytorch-runs.js';
import { runInProcess } from '../../testing/run-cli.js';
import { tempFolder } from '../../testing/temp.js';
import { HAS_TORCH, PYTHON, runCommand, TORCH_SKIP_REASON, TORCHRUN } from '../../testing/torch.js';

const tmp = tempFolder('tessera-ddp-');
afterAll(() => tmp.cleanup());

/** Iris as a CSV of raw rows, label last by class name (the first `rows` rows). */
function irisCsv(name: string, rows?: number): string {
  const d = loadIris();
  const n = rows ?? d.size;
  const lines = [[...(d.featureNames ?? []), 'species'].join(',')];
  for (let i = 0; i < n; i++) {
    const t = d.targetSize;
    let y = 0;
    for (let k = 1; k < t; k++) if (d.targets[i * t + k]! > d.targets[i * t + y]!) y = k;
    lines.push([...d.features.subarray(i * 4, i * 4 + 4), d.classNames![y]].join(','));
  }
  return tmp.file(name, `${lines.join('\n')}\n`);
}

const trainIris = (name: string, extra: string[]): Promise<string> =>
  trainOneEpoch(join(tmp.dir, name), ['--model', 'iris-mlp', '--dataset', 'iris', ...extra]);
const exportTo = (checkpoint: string, name: string): Promise<string> =>
  exportPytorch(checkpoint, join(tmp.dir, name));

/** torchrun with two processes on one machine. */
function torchrun(folder: string, args: string[]): Promise<string> {
  const command = [
    ...TORCHRUN,
    '--standalone',
    '--nproc_per_node',
    '2',
    join(folder, 'train_ddp.py'),
    ...args,
  ];
  return runCommand(command, folder);
}

/** One Tessera update from `data` on every row of `csv` (one batch: the rows fit in it). */
async function tesseraStep(
  data: CheckpointData,
  csv: string,
): Promise<Record<string, Float32Array>> {
  const extra = readCliExtra(data.extra, 'checkpoint');
  const { data: raw } = loadEvaluationData(csv, {
    task: extra.data.task,
    classNames: extra.data.classNames,
  });
  const rows = Normalizer.fromJSON(extra.normalizer!).apply(raw);
  const model = restoreModel(data);
  await fit(model, rows, {
    resume: data,
    epochs: data.progress.epoch + 1,
    workers: 1,
    validationSplit: 0,
    verbose: 0,
  });
  const out: Record<string, Float32Array> = {};
  for (const w of model.weights) out[w.name] = w.read().dataSync() as Float32Array;
  model.dispose();
  return out;
}

describe.skipIf(!HAS_TORCH)(
  `train_ddp.py under torchrun with two processes${TORCH_SKIP_REASON}`,
  () => {
    let adam: string;
    let sgd: string;
    let batchNorm: string;
    let penalized: string;
    /** After epoch 1 of 2 under a cosine schedule, and at the end of a 1-epoch one. */
    let cosineMid: string;
    let cosineEnd: string;
    /** A model file of `layers` for iris (4 features, 3 classes). */
    const modelFile = (name: string, list: Parameters<typeof sequential>[0]): string =>
      tmp.file(`${name}.json`, JSON.stringify(sequential(list, { name }).toJSON()));
    beforeAll(async () => {
      adam = await trainIris('adam', []);
      sgd = await trainIris('sgd', ['--optimizer', 'sgd']);
      // No bias before BatchNormalization (its gradient is rounding noise, which Adam would
      // turn into full-size steps of either sign).
      const bn = modelFile('batch_norm', [
        layers.dense({ units: 8, inputShape: [4], useBias: false }),
        layers.batchNormalization({ momentum: 0.6 }),
        layers.activation({ activation: 'relu' }),
        layers.layerNormalization(),
        layers.dense({ units: 3, activation: 'softmax' }),
      ]);
      batchNorm = await trainIris('batch-norm', ['--model', bn]);
      const l2 = modelFile('penalized', [
        layers.dense({ units: 3, activation: 'softmax', inputShape: [4], kernelRegularizer: 'l2' }),
      ]);
      penalized = await trainIris('penalized', ['--model', l2]);
      const twoEpochs = join(tmp.dir, 'cosine-two');
      const run = await runInProcess([
        'train',
        ...['--model', 'iris-mlp', '--dataset', 'iris', '--lr-schedule', 'cosine'],
        ...['--epochs', '2', '--workers', '1', '--out', twoEpochs],
      ]);
      expect(run.code, run.stderr).toBe(0);
      cosineMid = join(twoEpochs, 'checkpoints', 'epoch-1.tsr');
      cosineEnd = await trainIris('cosine-end', ['--lr-schedule', 'cosine']);
    }, 180_000);

    it('trains; the imported checkpoint evaluates as PyTorch did (within 1e-5)', async () => {
      const folder = await exportTo(adam, 'adam-export');
      const csv = irisCsv('iris.csv');
      const out = join(tmp.dir, 'adam-trained');
      await torchrun(folder, ['--data', csv, '--epochs', '1', '--out', out]);
      const theirs = JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8')) as Record<
        string,
        number
      >;
      const imported = join(tmp.dir, 'adam-trained.tsr');
      expect((await runInProcess(['import', '--from', out, '--out', imported])).code).toBe(0);
      const result = await runInProcess([
        'evaluate',
        '--checkpoint',
        imported,
        '--dataset',
        csv,
        '--json',
      ]);
      expect(result.code, result.stderr).toBe(0);
      const ours = JSON.parse(result.stdout) as Record<string, number>;
      expect(Math.abs(ours['loss']! - theirs['loss']!)).toBeLessThan(1e-5);
      expect(Math.abs(ours['accuracy']! - theirs['accuracy']!)).toBeLessThan(1e-5);
      const before = await loadCheckpoint(adam);
      const after = await loadCheckpoint(imported);
      // 150 rows in batches of the checkpoint's size: one epoch of updates.
      const steps = Math.ceil(150 / before.run.batchSize);
      expect(after.optimizer.iteration).toBe(before.optimizer.iteration + steps);
      expect(after.progress.epoch).toBe(before.progress.epoch + 1);
      expect(after.weights['dense/kernel']).not.toEqual(before.weights['dense/kernel']);
    }, 300_000);

    it.each([
      ['Adam', () => adam],
      ['SGD', () => sgd],
      // BatchNormalization over the global batch: the two processes' shards summed.
      ['BatchNormalization', () => batchNorm],
      // The rate of the checkpoint's next step on its cosine schedule.
      ['Adam on a cosine schedule', () => cosineMid],
    ])(
      'one DDP step from the exported state equals one Tessera step (%s, within 1e-5)',
      async (name, checkpoint) => {
        const data = await loadCheckpoint(checkpoint());
        const folder = await exportTo(checkpoint(), `${name}-step`);
        // One uneven batch: 11 rows cut 6 + 5 across the two processes.
        const csv = irisCsv(`${name}-rows.csv`, 11);
        const out = join(tmp.dir, `${name}-stepped`);
        await torchrun(folder, ['--data', csv, '--epochs', '1', '--steps', '1', '--out', out]);
        const imported = join(tmp.dir, `${name}-stepped.tsr`);
        expect((await runInProcess(['import', '--from', out, '--out', imported])).code).toBe(0);
        const theirs = (await loadCheckpoint(imported)).weights;
        const ours = await tesseraStep(data, csv);
        let moved = 0;
        for (const [w, values] of Object.entries(ours)) {
          const before = data.weights[w]!;
          for (let i = 0; i < values.length; i++) {
            expect(Math.abs(values[i]! - theirs[w]![i]!), `${w}[${i}]`).toBeLessThan(1e-5);
            moved = Math.max(moved, Math.abs(values[i]! - before[i]!));
          }
        }
        expect(moved).toBeGreaterThan(1e-4);
      },
      300_000,
    );

    it('asks for --learning-rate once the schedule has come down to 0, and records the rate it trained at', async () => {
      const folder = await exportTo(cosineEnd, 'cosine-end-export');
      const csv = irisCsv('cosine-end-rows.csv', 11);
      const out = join(tmp.dir, 'cosine-end-out');
      await expect(
        torchrun(folder, ['--data', csv, '--epochs', '1', '--out', out]),
      ).rejects.toThrow(
        /the checkpoint's learning-rate schedule has come down to 0 by its step \d+, so training on would change nothing; pass --learning-rate/,
      );
      await torchrun(folder, [
        '--data',
        csv,
        '--learning-rate',
        '0.005',
        '--steps',
        '1',
        '--out',
        out,
      ]);
      const imported = join(tmp.dir, 'cosine-end-trained.tsr');
      expect((await runInProcess(['import', '--from', out, '--out', imported])).code).toBe(0);
      const before = await loadCheckpoint(cosineEnd);
      const after = await loadCheckpoint(imported);
      const rate = (c: CheckpointData) =>
        (c.optimizer.config as { config: { learningRate: unknown } }).config.learningRate;
      expect(rate(before)).toMatchObject({ className: 'CosineDecay' });
      expect(rate(after)).toBe(0.005);
      expect(after.optimizer.iteration).toBe(before.optimizer.iteration + 1);
      const kernel = Object.keys(before.weights)[0]!;
      expect(after.weights[kernel]).not.toEqual(before.weights[kernel]);
    }, 300_000);

    it('refuses a model whose regularizer adds to the loss, naming the layer', async () => {
      const folder = await exportTo(penalized, 'penalized-export');
      const csv = irisCsv('penalized-rows.csv', 11);
      await expect(
        torchrun(folder, ['--data', csv, '--epochs', '1', '--out', join(tmp.dir, 'penalized-out')]),
      ).rejects.toThrow(
        /layer "dense.*" \(Dense\) adds a penalty to the loss \(kernelRegularizer\)/,
      );
    }, 120_000);

    it.each([
      ['clipvalue', { clipvalue: 0.5 }],
      ['clipnorm', { clipnorm: 1 }],
      ['excludeFromWeightDecay', { weightDecay: 0.01, excludeFromWeightDecay: ['bias'] }],
    ])(
      'refuses the optimizer option %s it does not apply',
      async (option, extra) => {
        const folder = await exportTo(adam, `option-${option}`);
        const manifestPath = join(folder, 'weights.json');
        const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
          optimizer: { config: { config: Record<string, unknown> } };
        };
        Object.assign(manifest.optimizer.config.config, extra);
        writeFileSync(manifestPath, JSON.stringify(manifest));
        const csv = irisCsv(`option-${option}.csv`, 11);
        await expect(
          runCommand([
            PYTHON,
            join(folder, 'train_ddp.py'),
            '--data',
            csv,
            '--out',
            join(folder, 'out'),
          ]),
        ).rejects.toThrow(new RegExp(`optimizer option\\(s\\) ${option} are not supported`));
      },
      60_000,
    );
  },
);
