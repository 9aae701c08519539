/**
 * `tessera train --validation-split` prints the rows as the trainer splits them: the
 * header's "N examples (+M for validation)" is the trainer's validationSplitSizes.
 */
import { join } from 'node:path';
import { validationSplitSizes } from '@tessera/trainer';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../testing/run-cli.js';
import { tempFolder } from '../testing/temp.js';

const tmp = tempFolder('tessera-train-split-');
afterAll(() => tmp.cleanup());

describe('train --validation-split', () => {
  it("prints the trainer's training and validation rows in its header", async () => {
    // iris trains on 120 rows; at 0.33 the trainer keeps ⌊120·0.67⌋ = 80 and holds out 40
    // (⌊120·0.33⌋ = 39 held out would print 81 and 39).
    expect(validationSplitSizes(120, 0.33)).toEqual({ train: 80, validation: 40 });
    const result = await runInProcess([
      'train',
      ...'--model iris-mlp --workers 1 --epochs 1 --seed 1 --validation-split 0.33 --out'.split(
        ' ',
      ),
      join(tmp.dir, 'iris'),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^Training iris-mlp on iris: 80 examples \(\+40 for validation\), 1 worker\(s\), batch 16, seed 1$/m,
    );
  });
});
