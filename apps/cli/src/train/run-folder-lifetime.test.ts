/**
 * The run folder a failed `train` leaves: nothing it made. Run through the built bin in an
 * empty working folder, so the default `runs/<timestamp>` lands there.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectUsageError } from '../testing/expect-error.js';
import { runBin } from '../testing/run-cli.js';
import { tempFolder } from '../testing/temp.js';

const tmp = tempFolder('tessera-run-folder-life-');
afterAll(() => tmp.cleanup());

const tooSmall = tmp.file('two-rows.csv', 'a,b,c,d,label\n1,2,3,4,x\n2,3,4,5,y\n');

describe('a train that fails with no --out', () => {
  it('removes the runs/<timestamp> folder it made, and runs/ when it made that too', async () => {
    const cwd = join(tmp.dir, 'empty');
    mkdirSync(cwd);
    const result = await runBin(['train', '--model', 'iris-mlp', '--dataset', tooSmall], { cwd });
    expectUsageError(result, /^error: --dataset .*two-rows\.csv has 2 rows: /);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('keeps runs/ when other runs are in it', async () => {
    const cwd = join(tmp.dir, 'shared');
    mkdirSync(join(cwd, 'runs', 'an-earlier-run'), { recursive: true });
    const result = await runBin(['train', '--model', 'iris-mlp', '--dataset', tooSmall], { cwd });
    expectUsageError(result, /^error: --dataset .*two-rows\.csv has 2 rows: /);
    expect(readdirSync(join(cwd, 'runs'))).toEqual(['an-earlier-run']);
  });
});
