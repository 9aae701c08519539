import { describe, expect, it } from 'vitest';
import { outputColumns, predictedClasses, predictionsCsv } from './predictions-csv.js';

describe('predictionsCsv', () => {
  it('writes one column per unit and the class name of the largest output', () => {
    const outputs = new Float32Array([0.1, 0.7, 0.2, 0.6, 0.3, 0.1]);
    const csv = predictionsCsv({
      outputs,
      units: 3,
      classNames: ['setosa', 'versicolor', 'virginica'],
    });
    expect(csv.trimEnd().split('\n')).toEqual([
      'setosa,versicolor,virginica,label',
      '0.100000001,0.699999988,0.200000003,versicolor',
      '0.600000024,0.300000012,0.100000001,setosa',
    ]);
  });

  it('reads a single sigmoid unit as the probability of the second class', () => {
    const outputs = new Float32Array([0.2, 0.5, 0.9]);
    expect(predictedClasses({ outputs, units: 1, classNames: ['no', 'yes'] })).toEqual([
      'no',
      'yes',
      'yes',
    ]);
    expect(outputColumns(1, ['no', 'yes'])).toEqual(['yes']);
  });

  it('names regression outputs by index and writes no label', () => {
    const csv = predictionsCsv({ outputs: new Float32Array([0.75, 0.5]), units: 1 });
    expect(csv).toBe('output_0\n0.75\n0.5\n');
  });

  it('quotes class names that need it and avoids a clash with the label column', () => {
    expect(outputColumns(2, ['label', 'other'])).toEqual(['p_label', 'p_other']);
    const csv = predictionsCsv({
      outputs: new Float32Array([1, 0]),
      units: 2,
      classNames: ['a,b', 'say "hi"'],
    });
    expect(csv.split('\n')[0]).toBe('"a,b","say ""hi""",label');
    expect(csv.split('\n')[1]).toBe('1,0,"a,b"');
  });

  it('refuses outputs that do not match the classes', () => {
    expect(() =>
      predictionsCsv({ outputs: new Float32Array(4), units: 2, classNames: ['a', 'b', 'c'] }),
    ).toThrow(/needs 3 output units/);
    expect(() => predictionsCsv({ outputs: new Float32Array(5), units: 2 })).toThrow(/whole rows/);
  });
});
