import { afterAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../testing/temp.js';
import { readPredictInput } from './predict-input.js';

const tmp = tempFolder();
afterAll(() => tmp.cleanup());

const names = ['SepalLength', 'SepalWidth', 'PetalLength', 'PetalWidth'];

describe('readPredictInput', () => {
  it('reads rows without a header in training order', async () => {
    const path = tmp.file('plain.csv', '5.1,3.5,1.4,0.2\n6.2,2.9,4.3,1.3\n');
    const input = await readPredictInput({ path, featureSize: 4, featureNames: names });
    expect(input.rows).toBe(2);
    expect([...input.features]).toEqual([
      ...new Float32Array([5.1, 3.5, 1.4, 0.2, 6.2, 2.9, 4.3, 1.3]),
    ]);
  });

  it('matches named columns in any order and ignores the label column', async () => {
    const path = tmp.file(
      'named.csv',
      'species,PetalWidth,PetalLength,SepalWidth,SepalLength\nsetosa,0.2,1.4,3.5,5.1\n',
    );
    const input = await readPredictInput({
      path,
      featureSize: 4,
      featureNames: names,
      labelName: 'species',
    });
    expect([...input.features]).toEqual([...new Float32Array([5.1, 3.5, 1.4, 0.2])]);
  });

  it('drops a column named label when feature names are unknown', async () => {
    const path = tmp.file('unnamed.csv', 'a,b,label\n1,2,x\n');
    expect([...(await readPredictInput({ path, featureSize: 2 })).features]).toEqual([1, 2]);
  });

  it.each([
    ['empty.csv', '', 4, /the file is empty/],
    [
      'ragged.csv',
      '1,2,3,4\n1,2,3\n',
      4,
      /line 2: ragged row; expected 4 columns.*Received: columns=3/,
    ],
    [
      'text.csv',
      '1,2,3,4\n1,two,3,4\n',
      4,
      /line 2, column 2: expected a number. Received: cell="two"/,
    ],
    ['wide.csv', '1,2,3,4,5\n', 4, /expected 4 feature values per row.*Received: columns=5/],
    ['header-only.csv', 'a,b,c,d\n', 4, /no data rows after the header/],
    [
      'missing.csv',
      'SepalLength,SepalWidth,PetalLength\n1,2,3\n',
      4,
      /lacks the feature column\(s\) "PetalWidth"/,
    ],
    [
      'extra.csv',
      'SepalLength,SepalWidth,PetalLength,PetalWidth,colour\n1,2,3,4,5\n',
      4,
      /unexpected column\(s\) "colour"/,
    ],
  ])('rejects %s naming the file and the problem', async (name, content, featureSize, message) => {
    const path = tmp.file(name, content);
    const err = await readPredictInput({ path, featureSize, featureNames: names }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'FORMAT_ERROR' });
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toMatch(message);
  });

  it('says which file is missing', async () => {
    const err = await readPredictInput({ path: `${tmp.dir}/nope.csv`, featureSize: 2 }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'IO_ERROR' });
    expect((err as Error).message).toMatch(
      /--input .*nope\.csv: no such file or folder \(ENOENT\)/,
    );
  });
});
