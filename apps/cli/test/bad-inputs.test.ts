/**
 * Bad input never crashes the command: each case exits 2 with exactly one line
 * `error: …` on stderr that names the file, option or value — and no stack trace.
 * Most cases run in-process (fast); a few run the built bin to check the real streams.
 *
 * The truncated IDX case uses `--data-dir` (a folder with MNIST's four IDX files) holding
 * a valid labels file and an images file cut short.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint, saveCheckpoint } from '@tessera/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectUsageError } from '../src/testing/expect-error.js';
import { runBin, runInProcess } from '../src/testing/run-cli.js';
import { tempFolder } from '../src/testing/temp.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const tmp = tempFolder('tessera-bad-');
afterAll(() => tmp.cleanup());

/** Runs `args` in process and expects the usage error described by {@link expectUsageError}. */
async function expectCliError(args: string[], message: RegExp): Promise<void> {
  expectUsageError(await runInProcess(args), message);
}

/** A valid IDX file: magic, dims, then bytes. */
function idx(magic: number, dims: number[], fill: (i: number) => number): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, magic);
  dims.forEach((d, i) => {
    header.setUint32(4 + 4 * i, d);
  });
  const n = dims.reduce((a, b) => a * b, 1);
  const body = Uint8Array.from({ length: n }, (_, i) => fill(i));
  const out = new Uint8Array(header.byteLength + n);
  out.set(new Uint8Array(header.buffer), 0);
  out.set(body, header.byteLength);
  return out;
}

describe('bad models', () => {
  it('a missing model file', async () => {
    await expectCliError(
      ['summary', '--model', join(tmp.dir, 'nope.json')],
      /--model .*nope\.json: no such file or folder \(ENOENT\)/,
    );
  });

  it('a model file that is not JSON', async () => {
    const path = tmp.file('broken.json', '{ "format": "tessera-model", ');
    await expectCliError(['summary', '--model', path], /broken\.json: not valid JSON/);
  });

  it('a JSON file that is not a Tessera model', async () => {
    const path = tmp.file('other.json', JSON.stringify({ format: 'layers-model' }));
    await expectCliError(
      ['summary', '--model', path],
      /other\.json: Model JSON: expected \{ format: 'tessera-model'/,
    );
  });

  it.each([
    {
      what: 'layer class',
      file: 'unknown-layer.json',
      alter: (layer: { className: string }) => {
        layer.className = 'Dence';
      },
      message: /unknown-layer\.json: Unknown layer class "Dence"/,
    },
    {
      what: 'activation',
      file: 'unknown-activation.json',
      alter: (layer: { config: { activation: string } }) => {
        layer.config.activation = 'relux';
      },
      message: /unknown-activation\.json: .*Unknown activation.*Received: activation="relux"/,
    },
  ])('an unknown $what', async ({ file, alter, message }) => {
    const model = JSON.parse(readFileSync(fixture('iris-model.json'), 'utf8'));
    alter(model.config.layers[0]);
    const path = tmp.file(file, JSON.stringify(model));
    await expectCliError(['summary', '--model', path], message);
  });

  it('an unknown built-in model name', async () => {
    await expectCliError(
      ['train', '--model', 'resnet-50', '--dataset', 'iris'],
      /--model "resnet-50": not a built-in model \(mnist-mlp, iris-mlp/,
    );
  });

  it('a module without createModel()', async () => {
    await expectCliError(
      ['summary', '--model', fixture('no-create-model.mjs')],
      /no-create-model\.mjs: expected a module exporting a function createModel\(\)\. Received: exports=model/,
    );
  });

  it('a model whose input does not fit the dataset', async () => {
    await expectCliError(
      [
        'train',
        '--model',
        'iris-mlp',
        '--dataset',
        'digits',
        '--workers',
        '1',
        '--out',
        join(tmp.dir, 'misfit'),
      ],
      /--model iris-mlp does not fit --dataset digits: .*inputs of shape \[4\] but the examples have shape \[15\]/,
    );
  });
});

describe('bad data', () => {
  /** `train` of the iris JSON model on `dataset`, into `out` under the temp folder. */
  const trainIrisModelOn = (dataset: string, out: string): string[] => [
    'train',
    '--model',
    fixture('iris-model.json'),
    '--dataset',
    dataset,
    '--out',
    join(tmp.dir, out),
  ];

  it('an unknown dataset name', async () => {
    await expectCliError(
      ['train', '--model', 'iris-mlp', '--dataset', 'cifar10', '--out', join(tmp.dir, 'cifar')],
      /--dataset "cifar10": not a built-in dataset \(mnist, fashion-mnist, iris, digits, study-scores\)/,
    );
  });

  it('a missing CSV file', async () => {
    await expectCliError(
      [
        'train',
        '--model',
        'iris-mlp',
        '--dataset',
        join(tmp.dir, 'absent.csv'),
        '--out',
        join(tmp.dir, 'absent'),
      ],
      /cannot read .*absent\.csv: ENOENT/,
    );
  });

  it('a CSV with a non-numeric feature', async () => {
    const path = tmp.file('words.csv', 'a,b,label\n1,2,x\n3,four,y\n5,6,x\n7,8,y\n');
    await expectCliError(
      trainIrisModelOn(path, 'words'),
      /words\.csv, line 3, column 2 \("b"\): expected a number\. Received: cell="four"/,
    );
  });

  it('a ragged CSV', async () => {
    const path = tmp.file('ragged.csv', 'a,b,label\n1,2,x\n3,y\n');
    await expectCliError(
      trainIrisModelOn(path, 'ragged'),
      /ragged\.csv, line 3: ragged row; expected 3 columns/,
    );
  });

  it('fashion-mnist not installed: the package to install, or --data-dir (the flag, not the API)', async () => {
    const empty = join(tmp.dir, 'no-fashion-mnist');
    mkdirSync(empty, { recursive: true });
    const result = await runBin(
      ['train', '--model', 'mnist-mlp', '--dataset', 'fashion-mnist', '--out', join(tmp.dir, 'f')],
      { env: { TESSERA_FASHION_MNIST_DIR: empty } },
    );
    expectUsageError(
      result,
      new RegExp(
        `^error: --dataset fashion-mnist: expected its four IDX files in ${empty}, but they are not there; install them \\(apt-get install dataset-fashion-mnist\\) or pass --data-dir DIR, a folder that holds them$`,
      ),
    );
    expect(result.stderr).not.toContain('{ dir }');
  }, 60_000);

  it('a truncated IDX file (--data-dir)', async () => {
    const dir = join(tmp.dir, 'idx');
    const full = idx(0x803, [4, 28, 28], (i) => i % 256);
    const labels = idx(0x801, [4], (i) => i);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), full.subarray(0, full.length - 100));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), labels);
    copyFileSync(join(dir, 'train-images-idx3-ubyte'), join(dir, 't10k-images-idx3-ubyte'));
    copyFileSync(join(dir, 'train-labels-idx1-ubyte'), join(dir, 't10k-labels-idx1-ubyte'));
    await expectCliError(
      [
        'train',
        '--model',
        'mnist-mlp',
        '--dataset',
        'mnist',
        '--data-dir',
        dir,
        '--out',
        join(tmp.dir, 'idx-run'),
      ],
      /train-images-idx3-ubyte: truncated payload; dimensions 4×28×28 need 3136 data bytes/,
    );
  });
});

describe('bad option values', () => {
  it.each([
    [
      ['--epochs', '0'],
      /option '--epochs <E>' argument '0' is invalid\. Expected a positive integer\./,
    ],
    [['--epochs', '-2'], /option '--epochs <E>' argument '-2' is invalid/],
    [['--batch-size', '0'], /option '--batch-size <B>' argument '0' is invalid/],
    [['--batch-size', '-16'], /option '--batch-size <B>' argument '-16' is invalid/],
    [
      ['--workers', 'many'],
      /option '--workers <N>' argument 'many' is invalid\. Expected a positive integer\./,
    ],
    [['--learning-rate', 'fast'], /option '--learning-rate <LR>' argument 'fast' is invalid/],
    [
      ['--validation-split', '1.5'],
      /option '--validation-split <F>' argument '1.5' is invalid\. Expected a number in \[0, 1\)\./,
    ],
    [
      ['--normalize', 'zscore'],
      /option '--normalize <method>' argument 'zscore' is invalid\. Expected one of: none, standard, minmax, max\./,
    ],
    [['--frobnicate'], /unknown option '--frobnicate'/],
    [
      ['--out', ''],
      /option '--out <DIR>' argument '' is invalid\. Expected a folder path; the value is empty\./,
    ],
    [
      ['--resume', ''],
      /option '--resume <FILE>' argument '' is invalid\. Expected a file path; the value is empty\./,
    ],
  ])('train %j', async (flags, message) => {
    await expectCliError(['train', '--model', 'iris-mlp', '--dataset', 'iris', ...flags], message);
  });

  it('an unknown optimizer or loss', async () => {
    const out = join(tmp.dir, 'names');
    await expectCliError(
      ['train', '--model', 'iris-mlp', '--optimizer', 'ftrl', '--out', out],
      /^error: --optimizer: .*ftrl/,
    );
    await expectCliError(
      ['train', '--model', 'iris-mlp', '--loss', 'contrastive', '--out', out],
      /^error: --loss: .*contrastive/,
    );
  });

  it('an unwritable output folder', async () => {
    const file = tmp.file('a-file', 'not a folder');
    await expectCliError(
      ['train', '--model', 'iris-mlp', '--out', join(file, 'run')],
      /--out .*a-file\/run: cannot write to this folder: .*(ENOTDIR|EEXIST)/,
    );
  });

  it('plot to an unknown format and export to an unknown format', async () => {
    await expectCliError(
      ['plot', '--model', 'iris-mlp', '--out', join(tmp.dir, 'x.pdf')],
      /--out must end in \.svg, \.png or \.dot.*x\.pdf/,
    );
    await expectCliError(
      ['export', '--checkpoint', 'x.tsr', '--format', 'onnx', '--out', tmp.dir],
      /option '--format <format>' argument 'onnx' is invalid\. Expected one of: tfjs, pytorch\./,
    );
  });

  it('missing required options and commands', async () => {
    await expectCliError(
      ['evaluate', '--dataset', 'iris'],
      /required option '--checkpoint <FILE>' not specified/,
    );
    await expectCliError(
      ['summary'],
      /'--model <builtin\|file\.json\|module\.js>' or '--checkpoint <FILE>' not specified/,
    );
    await expectCliError(['trian'], /unknown command 'trian'/);
  });
});

describe('bad checkpoints', () => {
  it('a missing checkpoint file', async () => {
    await expectCliError(
      ['evaluate', '--checkpoint', join(tmp.dir, 'gone.tsr'), '--dataset', 'iris'],
      /gone\.tsr: file not found/,
    );
  });

  it('a file that is not a checkpoint', async () => {
    const path = tmp.file(
      'fake.tsr',
      'PK\u0003\u0004 this is a zip, honestly, with enough bytes for a header',
    );
    await expectCliError(
      ['predict', '--checkpoint', path, '--input', fixture('regression.csv')],
      /fake\.tsr: not a Tessera checkpoint file \(wrong magic bytes/,
    );
  });
});

describe('bad checkpoints and inputs of a trained model', () => {
  const run = join(tmp.dir, 'trained');
  const latest = join(run, 'checkpoints', 'latest.tsr');

  beforeAll(async () => {
    const result = await runInProcess([
      'train',
      ...'--model iris-mlp --dataset iris --workers 1 --epochs 2 --seed 1 --json --out'.split(' '),
      run,
    ]);
    expect(result.code, result.stderr).toBe(0);
  });

  it('a truncated checkpoint', async () => {
    const bytes = readFileSync(latest);
    const path = tmp.file('truncated.tsr', bytes.subarray(0, bytes.length - 10));
    await expectCliError(
      ['evaluate', '--checkpoint', path, '--dataset', 'iris'],
      /truncated\.tsr: Tessera checkpoint file is truncated or padded: header says \d+ body bytes, found \d+/,
    );
  });

  it('an altered checkpoint (one byte of the body changed)', async () => {
    const bytes = Uint8Array.from(readFileSync(latest));
    bytes[bytes.length - 7]! ^= 0x40;
    const path = tmp.file('altered.tsr', bytes);
    await expectCliError(
      ['export', '--checkpoint', path, '--format', 'tfjs', '--out', join(tmp.dir, 'x')],
      /altered\.tsr: .*checksum mismatch/,
    );
  });

  it('a checkpoint written without the CLI record', async () => {
    const data = await loadCheckpoint(latest);
    const path = join(tmp.dir, 'bare.tsr');
    await saveCheckpoint(path, { ...data, extra: {} });
    await expectCliError(
      ['predict', '--checkpoint', path, '--input', fixture('regression.csv')],
      /bare\.tsr: it has no tessera-cli record/,
    );
  });

  it('train --resume names --resume in every checkpoint error', async () => {
    const bytes = Uint8Array.from(readFileSync(latest));
    const altered = Uint8Array.from(bytes);
    altered[altered.length - 7]! ^= 0x40;
    const magic = Uint8Array.from(bytes);
    magic[0]! ^= 0xff;
    const cases: Array<[string, RegExp]> = [
      [
        tmp.file('resume-truncated.tsr', bytes.subarray(0, bytes.length - 10)),
        /^error: --resume: .*resume-truncated\.tsr: Tessera checkpoint file is truncated or padded/,
      ],
      [
        tmp.file('resume-empty.tsr', new Uint8Array(0)),
        /^error: --resume: .*resume-empty\.tsr: not a Tessera checkpoint file: expected a header of 24 bytes, the file has 0 bytes$/,
      ],
      [
        tmp.file('resume-altered.tsr', altered),
        /^error: --resume: .*resume-altered\.tsr: .*checksum mismatch/,
      ],
      [
        tmp.file('resume-magic.tsr', magic),
        /^error: --resume: .*resume-magic\.tsr: not a Tessera checkpoint file \(wrong magic bytes/,
      ],
      [join(run, 'checkpoints'), /^error: --resume .*checkpoints: not a regular file \(a folder/],
      [
        join(run, 'gone.tsr'),
        /^error: --resume: .*gone\.tsr: file not found; checkpoints nearby: /,
      ],
    ];
    for (const [path, message] of cases) {
      const result = await runInProcess(['train', '--resume', path, '--out', join(tmp.dir, 'r')]);
      expectUsageError(result, message);
      expect(result.stderr, path).not.toContain('--checkpoint');
    }
  });

  it('evaluating on a dataset the model does not fit', async () => {
    await expectCliError(
      ['evaluate', '--checkpoint', latest, '--dataset', 'study-scores'],
      /does not fit --dataset study-scores: the model takes inputs of shape \[4\] but the examples have shape \[2\]/,
    );
  });

  it('predicting from a missing CSV file', async () => {
    await expectCliError(
      ['predict', '--checkpoint', latest, '--input', join(tmp.dir, 'absent-input.csv')],
      /--input .*absent-input\.csv: no such file or folder \(ENOENT\)/,
    );
  });

  it('predicting from a CSV of the wrong width or with text', async () => {
    await expectCliError(
      ['predict', '--checkpoint', latest, '--input', tmp.file('narrow.csv', '1,2,3\n4,5,6\n')],
      /narrow\.csv: expected 4 feature values per row .*Received: columns=3/,
    );
    await expectCliError(
      ['predict', '--checkpoint', latest, '--input', tmp.file('nan.csv', '1,2,3,4\n5,6,seven,8\n')],
      /nan\.csv, line 2, column 3: expected a number\. Received: cell="seven"/,
    );
  });

  it('exporting into a path that cannot be a folder', async () => {
    const file = tmp.file('blocker', 'x');
    await expectCliError(
      ['export', '--checkpoint', latest, '--format', 'tfjs', '--out', join(file, 'tfjs')],
      /--out .*blocker\/tfjs: cannot write to this folder/,
    );
  });
});

describe('through the real bin', () => {
  it('prints exactly one error line and exits 2', async () => {
    const result = await runBin(['train', '--model', 'iris-mlp', '--epochs', '0']);
    expectUsageError(result, /argument '0' is invalid/);
    expect(result.stdout).toBe('');
  });

  it('help goes to stdout and exits 0', async () => {
    const result = await runBin(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/train .*\n.*evaluate/s);
  });
});
