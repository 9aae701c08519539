/**
 * A checkpoint never runs code. A real checkpoint is edited (valid CRC) to name a module
 * that writes a marker file — as an old-style module path, as the model's module, and as
 * a custom object name — and every loading command opens it through the built bin: no
 * marker is ever written. Code runs only from --custom-objects FILE.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCheckpoint, saveCheckpoint } from '@tessera/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectUsageError } from '../src/testing/expect-error.js';
import { runBin } from '../src/testing/run-cli.js';
import { tempFolder } from '../src/testing/temp.js';

const tmp = tempFolder('tessera-untrusted-');
afterAll(() => tmp.cleanup());
const marker = join(tmp.dir, 'MARKER');
const PAYLOAD = `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(marker)}, 'ran');
`;

let original = '';
let pathTampered = '';
let nameTampered = '';
const csv = (): string => tmp.file('rows.csv', '5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n');

beforeAll(async () => {
  tmp.file('payload.js', PAYLOAD);
  tmp.file('payload.mjs', PAYLOAD);
  const out = join(tmp.dir, 'run');
  const trained = await runBin(
    [
      'train',
      '--model',
      'iris-mlp',
      '--epochs',
      '1',
      '--workers',
      '1',
      '--out',
      out,
      '--seed',
      '1',
    ],
    { cwd: tmp.dir },
  );
  expect(trained.code, trained.stderr).toBe(0);
  original = join(out, 'checkpoints', 'latest.tsr');
  const data = await loadCheckpoint(original);

  // A version-1 record with module paths (relative to the working folder and absolute),
  // and the model's source pointing at the payload.
  pathTampered = join(tmp.dir, 'paths.tsr');
  await saveCheckpoint(pathTampered, {
    ...data,
    extra: {
      ...data.extra,
      version: 1,
      customObjects: ['payload.js', join(tmp.dir, 'payload.mjs')],
      model: { kind: 'module', ref: join(tmp.dir, 'payload.js') },
    },
  });
  // A current record whose needed names are the payload's file names.
  nameTampered = join(tmp.dir, 'names.tsr');
  await saveCheckpoint(nameTampered, {
    ...data,
    extra: { ...data.extra, customObjectNames: ['payload.js', join(tmp.dir, 'payload.mjs')] },
  });
}, 180_000);

const commands = (checkpoint: string): [string, string[]][] => [
  ['evaluate', ['evaluate', '--checkpoint', checkpoint, '--dataset', 'iris']],
  ['predict', ['predict', '--checkpoint', checkpoint, '--input', csv()]],
  ['summary', ['summary', '--checkpoint', checkpoint]],
  ['plot', ['plot', '--checkpoint', checkpoint, '--out', join(tmp.dir, 'model.svg')]],
  [
    'export',
    ['export', '--checkpoint', checkpoint, '--format', 'tfjs', '--out', join(tmp.dir, 'tfjs')],
  ],
  [
    'train --resume',
    [
      'train',
      '--resume',
      checkpoint,
      '--epochs',
      '2',
      '--workers',
      '1',
      '--out',
      `${checkpoint}-resumed`,
    ],
  ],
];

describe('a checkpoint that names module paths', () => {
  it.each([0, 1, 2, 3, 4, 5])(
    'command %i never imports them',
    async (i) => {
      const [name, args] = commands(pathTampered)[i]!;
      const result = await runBin(args, { cwd: tmp.dir });
      expect(result.code, `${name}: ${result.stderr}`).toBe(0);
      expect(existsSync(marker), name).toBe(false);
    },
    120_000,
  );
});

describe('a checkpoint that names custom objects nobody registered', () => {
  it.each([0, 1, 2, 3, 4, 5])(
    'command %i fails naming them and the flag',
    async (i) => {
      const [name, args] = commands(nameTampered)[i]!;
      const result = await runBin(args, { cwd: tmp.dir });
      expectUsageError(
        result,
        /^error: .*names\.tsr: the model needs custom objects that are not registered: payload\.js, .*payload\.mjs; pass .*--custom-objects FILE/,
      );
      expect(existsSync(marker), name).toBe(false);
      expect(existsSync(`${nameTampered}-resumed`), 'a run folder was left behind').toBe(false);
    },
    120_000,
  );
});

describe('--custom-objects FILE is the one way in', () => {
  it('runs the named module (and so says the help)', async () => {
    const help = await runBin(['evaluate', '--help']);
    expect(help.stdout).toMatch(/--custom-objects <FILE>[\s\S]*RUNS ITS CODE/);
    const top = await runBin(['--help']);
    expect(top.stdout).toMatch(
      /Flags that run your code: --model file\.js and --custom-objects FILE/,
    );
    const result = await runBin(
      ['summary', '--checkpoint', original, '--custom-objects', join(tmp.dir, 'payload.mjs')],
      { cwd: tmp.dir },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(marker)).toBe(true);
    writeFileSync(marker, '');
  }, 60_000);

  it('a missing --custom-objects file is one error line', async () => {
    expectUsageError(
      await runBin(['summary', '--checkpoint', original, '--custom-objects', 'nope.js'], {
        cwd: tmp.dir,
      }),
      /^error: --custom-objects .*nope\.js: no such file or folder \(ENOENT\)$/,
    );
  }, 60_000);
});
