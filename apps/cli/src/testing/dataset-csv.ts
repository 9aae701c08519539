/** A dataset's raw rows as CSV text (features, then the label by class name), for tests. */
import type { Dataset } from '@tessera/datasets';
import { csvLine } from '../output/csv-text.js';

/** The label of example `i`: a class id (from one-hot or an id) or a regression value. */
function label(data: Dataset, i: number): number {
  const t = data.targetSize;
  if (data.task === 'regression' || t === 1) return Number(data.targets[i * t]);
  let best = 0;
  for (let k = 1; k < t; k++) if (data.targets[i * t + k]! > data.targets[i * t + best]!) best = k;
  return best;
}

/** CSV text of the first `rows` examples (all by default), header first. */
export function datasetCsv(data: Dataset, rows = data.size): string {
  const d = data.featureSize;
  const names = data.featureNames ?? Array.from({ length: d }, (_, j) => `x${j}`);
  const lines = [csvLine([...names, 'label'])];
  for (let i = 0; i < rows; i++) {
    const features = Array.from(data.features.subarray(i * d, (i + 1) * d), (v) => String(v));
    const y = label(data, i);
    const cell = data.task === 'classification' ? (data.classNames?.[y] ?? String(y)) : String(y);
    lines.push(csvLine([...features, cell]));
  }
  return `${lines.join('\n')}\n`;
}
