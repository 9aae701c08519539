/**
 * `predict --input` through the built bin on an iris checkpoint: header names matched
 * ignoring case and separators, columns taken by position with a note on stderr when no
 * name matches but the count does, anything else refused in one line with exit code 2.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../src/testing/run-cli.js';
import { tempFolder } from '../src/testing/temp.js';

const tmp = tempFolder('tessera-predict-columns-');
afterAll(() => tmp.cleanup());
let checkpoint = '';
const ROWS = ['5.1,3.5,1.4,0.2', '6.4,3.2,4.5,1.5'];

beforeAll(async () => {
  const out = join(tmp.dir, 'iris');
  const trained = await runBin([
    'train',
    '--model',
    'iris-mlp',
    '--workers',
    '1',
    '--epochs',
    '3',
    '--seed',
    '2',
    '--out',
    out,
  ]);
  expect(trained.code, trained.stderr).toBe(0);
  checkpoint = join(out, 'checkpoints', 'latest.tsr');
});

async function predict(
  header: string,
  rows = ROWS,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const input = tmp.file(`${header.replace(/\W+/g, '_')}.csv`, `${[header, ...rows].join('\n')}\n`);
  return runBin(['predict', '--checkpoint', checkpoint, '--input', input]);
}

describe('predict --input columns', () => {
  it('matches snake_case names to the training names, whatever their order', async () => {
    const exact = await predict('SepalLength,SepalWidth,PetalLength,PetalWidth');
    expect(exact.code, exact.stderr).toBe(0);
    const snake = await predict('sepal_length,sepal_width,petal_length,petal_width');
    expect(snake).toEqual({ code: 0, stdout: exact.stdout, stderr: '' });
    const reordered = await predict('petal_width,sepal_length,petal_length,sepal_width', [
      '0.2,5.1,1.4,3.5',
      '1.5,6.4,4.5,3.2',
    ]);
    expect(reordered.stdout).toBe(exact.stdout);
  });

  it('reads unnamed columns by position with a one-line note when the count matches', async () => {
    const exact = await predict('SepalLength,SepalWidth,PetalLength,PetalWidth');
    const byPosition = await predict('a,b,c,d');
    expect(byPosition.code).toBe(0);
    expect(byPosition.stdout).toBe(exact.stdout);
    expect(byPosition.stderr).toMatch(
      /^note: .*a_b_c_d\.csv: no header name matches the model's features "SepalLength", "SepalWidth", "PetalLength", "PetalWidth"; reading the 4 columns "a", "b", "c", "d" by position\n$/,
    );
  });

  it('refuses a header it cannot place, in one line, with exit code 2', async () => {
    const partly = await predict('PetalWidth,SepalLength,colour,size');
    expect(partly.code).toBe(2);
    expect(partly.stderr).toMatch(
      /^error: .*: the header lacks the feature column\(s\) "SepalWidth", "PetalLength"; the model takes .*Received: header=\["PetalWidth","SepalLength","colour","size"\]\n$/,
    );
    const narrow = await predict('a,b,c', ['1,2,3']);
    expect(narrow.code).toBe(2);
    expect(narrow.stderr.split('\n')).toHaveLength(2);
  });
});
