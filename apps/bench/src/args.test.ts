import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './args.js';

describe('parseBenchArgs', () => {
  it('runs every section at full length by default', () => {
    expect(parseBenchArgs([])).toEqual({
      quick: false,
      sections: ['kernels', 'training', 'dashboard', 'scaling'],
      workerCounts: undefined,
      inputs: undefined,
      repeats: 3,
      scalingEpochs: undefined,
      help: false,
    });
  });

  it('reads --quick, --only and --workers, with a space or an equals sign', () => {
    expect(parseBenchArgs(['--quick', '--only', 'training', '--workers', '1,2'])).toEqual({
      quick: true,
      sections: ['training'],
      workerCounts: [1, 2],
      inputs: undefined,
      repeats: 3,
      scalingEpochs: undefined,
      help: false,
    });
    expect(parseBenchArgs(['--inputs', 'mnist,dense', '--repeat=5'])).toMatchObject({
      inputs: ['mnist', 'dense'],
      repeats: 5,
    });
    expect(parseBenchArgs(['--only=kernels']).sections).toEqual(['kernels']);
    expect(parseBenchArgs(['--only', 'scaling']).sections).toEqual(['scaling']);
    expect(parseBenchArgs(['--workers=3']).workerCounts).toEqual([3]);
    expect(parseBenchArgs(['-h']).help).toBe(true);
    expect(parseBenchArgs(['--only', 'scaling', '--epochs', '10']).scalingEpochs).toBe(10);
    expect(parseBenchArgs(['--epochs=4']).scalingEpochs).toBe(4);
  });

  it('names the bad flag or value', () => {
    expect(() => parseBenchArgs(['--only', 'gpu'])).toThrow(
      '--only must be one of kernels, training, dashboard, scaling. Received: --only gpu',
    );
    expect(() => parseBenchArgs(['--only'])).toThrow('--only needs a value');
    expect(() => parseBenchArgs(['--workers', '1,0'])).toThrow(
      '--workers must be positive integers separated by commas. Received: --workers 1,0',
    );
    expect(() => parseBenchArgs(['--fast'])).toThrow('unknown flag. Received: --fast');
    expect(() => parseBenchArgs(['--inputs', 'mnist,cifar'])).toThrow(
      '--inputs takes mnist, dense, fashion-mnist, separated by commas. Received: --inputs mnist,cifar',
    );
    expect(() => parseBenchArgs(['--repeat', '0'])).toThrow(
      '--repeat must be a positive integer. Received: --repeat 0',
    );
    expect(() => parseBenchArgs(['--epochs', '2.5'])).toThrow(
      '--epochs must be a positive integer. Received: --epochs 2.5',
    );
    expect(() => parseBenchArgs(['--epochs', '3', '--only', 'training'])).toThrow(
      "--epochs sets the scaling runs' epochs, and this run has no scaling table. Received: --only training",
    );
  });
});
