import { optimizers } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './testing/run-cli.js';
import { CLI_VERSION } from './version.js';

describe('tessera', () => {
  it('prints its version and help on stdout', async () => {
    const version = await runInProcess(['--version']);
    expect(version).toEqual({ code: 0, stdout: `${CLI_VERSION}\n`, stderr: '' });
    const help = await runInProcess(['train', '--help']);
    expect(help.code).toBe(0);
    for (const flag of [
      '--model',
      '--dataset',
      '--workers',
      '--epochs',
      '--batch-size',
      '--optimizer',
      '--learning-rate',
      '--lr-schedule',
      '--loss',
      '--validation-split',
      '--seed',
      '--out',
      '--resume',
      '--json',
    ]) {
      expect(help.stdout).toContain(flag);
    }
  });

  it('--help lists the built-in models with their training defaults, and the datasets', async () => {
    for (const args of [['--help'], ['train', '--help']]) {
      const { code, stdout } = await runInProcess(args);
      expect(code).toBe(0);
      const row = (name: string): string[] =>
        stdout
          .split('\n')
          .find((line) => line.trim().startsWith(`${name} `))!
          .trim()
          .split(/\s+/);
      // MODEL DATASET EPOCHS BATCH OPTIMIZER LR SCHEDULE LOSS VAL NORMALIZE
      expect(row('mnist-mlp')).toEqual([
        'mnist-mlp',
        'mnist',
        '10',
        '128',
        'adam',
        '0.003',
        'cosine',
        'categorical_crossentropy',
        '0.1',
        'none',
      ]);
      expect(row('iris-mlp').slice(0, 4)).toEqual(['iris-mlp', 'iris', '60', '16']);
      expect(row('study-scores-mlp').slice(0, 4)).toEqual([
        'study-scores-mlp',
        'study-scores',
        '300',
        '3',
      ]);
      expect(row('digits-mlp').slice(0, 2)).toEqual(['digits-mlp', 'digits']);
      // DATASET TASK TRAIN TEST FEATURES
      expect(row('iris')).toEqual(['iris', 'classification', '120', '30', '4']);
      expect(row('fashion-mnist')).toEqual([
        'fashion-mnist',
        'classification',
        '60,000',
        '10,000',
        '28×28',
      ]);
    }
  });

  it('train --help lists every optimizer --optimizer accepts, from the registry that checks it', async () => {
    const { stdout } = await runInProcess(['train', '--help']);
    const listed = /--optimizer <name>\s+optimizer: ([\s\S]*?) \(any case\)/
      .exec(stdout)![1]!
      .replace(/\s+/g, ' ')
      .split(/, | or /);
    expect(listed).toEqual(optimizers.names().map((name) => name.toLowerCase()));
    expect(listed).toEqual(expect.arrayContaining(['adadelta', 'adamax', 'nadam', 'lion']));
    for (const name of listed) expect(() => optimizers.get(name)).not.toThrow();
  });

  it('predict --help documents the input CSV', async () => {
    const { code, stdout } = await runInProcess(['predict', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(
      'Input (--input FILE.csv): one row per example holding the raw feature values',
    );
    expect(stdout).toContain('(sepal_length matches SepalLength)');
    expect(stdout).toContain('read by');
    expect(stdout).toContain(
      'Without a header: each row holds exactly the features, in training order.',
    );
  });

  it('lists the built-in datasets with where they come from', async () => {
    const text = await runInProcess(['datasets']);
    expect(text.code).toBe(0);
    for (const name of ['mnist', 'fashion-mnist', 'iris', 'digits', 'study-scores'])
      expect(text.stdout).toContain(`${name}: `);
    const json = await runInProcess(['datasets', '--json']);
    const parsed = JSON.parse(json.stdout) as {
      command: string;
      datasets: Array<Record<string, unknown>>;
    };
    expect(parsed.command).toBe('datasets');
    expect(parsed.datasets.map((d) => d['name'])).toEqual([
      'mnist',
      'fashion-mnist',
      'iris',
      'digits',
      'study-scores',
    ]);
    expect(parsed.datasets[2]).toMatchObject({
      task: 'classification',
      train: 120,
      test: 30,
      classes: 3,
      available: true,
    });
    expect(parsed.datasets[4]).toMatchObject({ task: 'regression', classes: null });
    expect(typeof parsed.datasets[1]!['available']).toBe('boolean');
    expect(String(parsed.datasets[1]!['source'])).toContain('dataset-fashion-mnist');
  });

  it('summarises a built-in model', async () => {
    const result = await runInProcess(['summary', '--model', 'digits-mlp']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Total params: 842');
    expect(result.stdout).toContain('Training path: resident step');
  });
});
