import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../testing/run-cli.js';
import { tempFolder } from '../testing/temp.js';
import { runFolderSnapshot } from './run-folder-snapshot.js';

const tmp = tempFolder('tessera-snapshot-');
afterAll(() => tmp.cleanup());

/** Trains iris-mlp for 2 epochs (96 rows in batches of 16: 6 steps each) into a new folder. */
async function train(name: string, flags: string[]): Promise<string> {
  const out = join(tmp.dir, name);
  const args = ['train', '--model', 'iris-mlp', '--epochs', '2', '--workers', '1', '--seed', '3'];
  const result = await runInProcess([...args, '--out', out, ...flags]);
  expect(result.code, result.stderr).toBe(0);
  return out;
}

describe('runFolderSnapshot', () => {
  it("shows the learning rate of the run's last update, constant or scheduled", async () => {
    const constant = await runFolderSnapshot(await train('constant', []));
    expect(constant.status).toBe('finished');
    expect(constant.epoch).toBe(2);
    expect(constant.learningRate).toBe(0.01);
    // Cosine over 12 steps: the 12th update (step 11) ran at ½·0.01·(1 + cos(11π/12)).
    const cosine = await runFolderSnapshot(await train('cosine', ['--lr-schedule', 'cosine']));
    expect(cosine.learningRate).toBeCloseTo(0.5 * 0.01 * (1 + Math.cos((11 * Math.PI) / 12)), 12);
  }, 120_000);
});
