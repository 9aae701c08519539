import { NotFoundError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { datasetNames, datasets, getDataset } from './registry.js';

describe('dataset registry', () => {
  it('lists the five built-in datasets', () => {
    expect(datasetNames()).toEqual(['mnist', 'fashion-mnist', 'iris', 'digits', 'study-scores']);
    for (const info of datasets) {
      expect(info.description.length).toBeGreaterThan(10);
      expect(info.source.length).toBeGreaterThan(10);
    }
    expect(getDataset('fashion-mnist').source).toContain('dataset-fashion-mnist');
  });

  it('describes each available dataset exactly as it loads', () => {
    for (const info of datasets) {
      if (info.name === 'mnist' || info.name === 'fashion-mnist' || !info.available()) continue;
      for (const split of ['train', 'test'] as const) {
        const ds = info.load({ split });
        expect(ds.size, `${info.name} ${split}`).toBe(info.size[split]);
        expect(ds.featureShape).toEqual(info.featureShape);
        expect(ds.task).toBe(info.task);
        expect(ds.numClasses).toBe(info.numClasses);
        expect(ds.classNames).toEqual(info.classNames);
      }
    }
  });

  it('loads MNIST test through the registry, shared on request', () => {
    const info = getDataset('mnist');
    expect(info.available()).toBe(true);
    const ds = info.load({ split: 'test', shared: true });
    expect(ds.size).toBe(info.size.test);
    expect(ds.featureShape).toEqual(info.featureShape);
    expect(ds.shared).toBe(true);
  });

  it('names the known datasets for an unknown name', () => {
    expect(() => getDataset('cifar')).toThrow(NotFoundError);
    expect(() => getDataset('cifar')).toThrow(
      'Unknown dataset; known datasets: mnist, fashion-mnist, iris, digits, study-scores. Received: name="cifar"',
    );
  });
});
