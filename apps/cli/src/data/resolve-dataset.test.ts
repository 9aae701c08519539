import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../testing/temp.js';
import { datasetKind, loadEvaluationData, loadTrainingData } from './resolve-dataset.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));
const tmp = tempFolder();
afterAll(() => tmp.cleanup());

describe('dataset resolution', () => {
  it('loads a built-in dataset: shared training split and its test split', () => {
    const d = loadTrainingData('iris');
    expect(d.source).toEqual({ kind: 'builtin', ref: 'iris' });
    expect([d.train.size, d.test.size]).toEqual([120, 30]);
    expect(d.train.shared).toBe(true);
    expect(d.labelName).toBe('species');
  });

  it('holds out a fixed 20 % of a CSV and remembers its label column', () => {
    const a = loadTrainingData(fixture('regression.csv'));
    const b = loadTrainingData(fixture('regression.csv'));
    expect([a.train.size, a.test.size]).toEqual([16, 4]);
    expect([...a.test.targets]).toEqual([...b.test.targets]);
    expect(a.labelName).toBe('target');
    expect(a.train.featureNames).toEqual(['x1', 'x2', 'x3']);
  });

  it('keeps classes stratified and maps evaluation labels by the training names', () => {
    const rows = ['f,kind'];
    for (let i = 0; i < 20; i++) rows.push(`${i},${i % 2 === 0 ? 'even' : 'odd'}`);
    const path = tmp.file('parity.csv', `${rows.join('\n')}\n`);
    const d = loadTrainingData(path);
    expect([...d.test.targets].filter((t) => t === 0)).toHaveLength(2);
    // A file whose rows hold only "odd": ids must follow the training order (even=0, odd=1).
    const odd = tmp.file('odd.csv', 'f,kind\n1,odd\n3,odd\n');
    const e = loadEvaluationData(odd, { task: 'classification', classNames: ['even', 'odd'] });
    expect([...e.data.targets]).toEqual([1, 1]);
  });

  it('points a missing fashion-mnist at the package and at --data-dir, the CLI flag', () => {
    const before = process.env['TESSERA_FASHION_MNIST_DIR'];
    const empty = join(tmp.dir, 'no-fashion');
    mkdirSync(empty, { recursive: true });
    process.env['TESSERA_FASHION_MNIST_DIR'] = empty;
    try {
      for (const load of [
        () => loadTrainingData('fashion-mnist'),
        () => loadEvaluationData('fashion-mnist', { task: 'classification' }),
      ]) {
        expect(load).toThrow(
          `--dataset fashion-mnist: expected its four IDX files in ${empty}, but they are not there; install them (apt-get install dataset-fashion-mnist) or pass --data-dir DIR, a folder that holds them`,
        );
      }
    } finally {
      if (before === undefined) delete process.env['TESSERA_FASHION_MNIST_DIR'];
      else process.env['TESSERA_FASHION_MNIST_DIR'] = before;
    }
  });

  it('rejects names that are neither built-in nor CSV, and --data-dir where it does not apply', () => {
    expect(() => datasetKind('imagenet')).toThrow(/--dataset "imagenet": not a built-in dataset/);
    expect(() => loadTrainingData('iris', { dataDir: tmp.dir })).toThrow(
      /--data-dir applies to mnist and fashion-mnist only/,
    );
  });
});
