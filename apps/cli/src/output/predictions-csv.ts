/**
 * The CSV `tessera predict` writes: a header, one row per input row, one column per
 * output unit, then for classifiers a last column `label` holding the class name.
 *
 * Column names: a classifier's units are named by their class; a binary classifier's one
 * unit (a sigmoid giving the probability of the second class) by that class; regression
 * outputs are `output_0`, `output_1`, …
 */
import { received, ValueError } from '@tessera/core';
import { csvLine, formatFloat } from './csv-text.js';

/** The model outputs and how to read them. */
export interface PredictionsCsvArgs {
  /** rows × units output values, row after row. */
  outputs: Float32Array;
  /** Output units per row. */
  units: number;
  /** Class names (index = class id) for a classifier; absent for regression. */
  classNames?: readonly string[] | undefined;
}

/** Index of the largest value in row r (the first on ties). */
function argmax(values: Float32Array, start: number, length: number): number {
  let best = 0;
  for (let i = 1; i < length; i++) if (values[start + i]! > values[start + best]!) best = i;
  return best;
}

/** Column names of the output units (see the module comment). */
export function outputColumns(units: number, classNames: readonly string[] | undefined): string[] {
  if (classNames === undefined) return Array.from({ length: units }, (_, i) => `output_${i}`);
  const names = units === 1 && classNames.length === 2 ? [classNames[1]!] : [...classNames];
  return names.includes('label') ? names.map((n) => `p_${n}`) : names;
}

/** The class each row is predicted to be, for a classifier's outputs. */
export function predictedClasses(args: PredictionsCsvArgs): string[] {
  const { outputs, units, classNames } = args;
  if (classNames === undefined) return [];
  const rows = outputs.length / units;
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const id = units === 1 ? (outputs[r]! >= 0.5 ? 1 : 0) : argmax(outputs, r * units, units);
    out.push(classNames[id] ?? String(id));
  }
  return out;
}

/** The whole CSV text. */
export function predictionsCsv(args: PredictionsCsvArgs): string {
  const { outputs, units, classNames } = args;
  if (!Number.isInteger(units) || units < 1 || outputs.length % units !== 0) {
    throw new ValueError(
      received('predictionsCsv: outputs must hold whole rows of `units` values', 'units', units),
    );
  }
  if (
    classNames !== undefined &&
    units !== classNames.length &&
    !(units === 1 && classNames.length === 2)
  ) {
    throw new ValueError(
      received(
        `predictionsCsv: a classifier over ${classNames.length} classes needs ${classNames.length} output units`,
        'units',
        units,
      ),
    );
  }
  const labels = predictedClasses(args);
  const header = [
    ...outputColumns(units, classNames),
    ...(classNames === undefined ? [] : ['label']),
  ];
  const lines = [csvLine(header)];
  const rows = outputs.length / units;
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let u = 0; u < units; u++) cells.push(formatFloat(outputs[r * units + u]!));
    if (classNames !== undefined) cells.push(labels[r]!);
    lines.push(csvLine(cells));
  }
  return `${lines.join('\n')}\n`;
}
