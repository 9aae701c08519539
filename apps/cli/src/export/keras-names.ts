/**
 * How Tessera's names map to what @tensorflow/tfjs-layers 4.22 can load: initializers,
 * regularizers and constraints (activations: tfjs-activations.ts). A name tfjs lacks, or defines differently,
 * is an ExportError that says which layer uses it and why it cannot be exported.
 */
import { TesseraError } from '@tessera/core';

/** A model that TF.js cannot represent (exit 2: the model, not Tessera, is the reason). */
export class ExportError extends TesseraError {
  constructor(message: string) {
    super('VALUE_ERROR', message);
  }
}

/** Tessera initializer class → tfjs class (weights are loaded, but the topology must parse). */
const INITIALIZERS: Record<string, string> = {
  Zeros: 'Zeros',
  Ones: 'Ones',
  Constant: 'Constant',
  RandomNormal: 'RandomNormal',
  RandomUniform: 'RandomUniform',
  TruncatedNormal: 'TruncatedNormal',
  VarianceScaling: 'VarianceScaling',
  GlorotUniform: 'GlorotUniform',
  GlorotNormal: 'GlorotNormal',
  HeUniform: 'HeUniform',
  HeNormal: 'HeNormal',
  LecunUniform: 'LeCunUniform',
  LecunNormal: 'LeCunNormal',
  Orthogonal: 'Orthogonal',
  Identity: 'Identity',
};

/** A serialized `{ className, config }`, or undefined for anything else. */
function serialized(
  value: unknown,
): { className: string; config: Record<string, unknown> } | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { className, config } = value as { className?: unknown; config?: unknown };
  if (typeof className !== 'string') return undefined;
  return {
    className,
    config:
      config !== null && typeof config === 'object' ? (config as Record<string, unknown>) : {},
  };
}

/** Drops undefined values (tfjs reads a missing key as "default", an explicit null too). */
function defined(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
}

/** An initializer as tfjs-layers knows it. */
export function exportInitializer(value: unknown, where: string): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return exportInitializer({ className: value, config: {} }, where);
  const s = serialized(value);
  const tfjsName = s === undefined ? undefined : INITIALIZERS[s.className];
  if (s === undefined || tfjsName === undefined) {
    throw new ExportError(
      `${where}: initializer ${JSON.stringify(s?.className ?? value)} has no TF.js equivalent`,
    );
  }
  return { className: tfjsName, config: defined(s.config) };
}

/** A regularizer as tfjs-layers knows it (only L1L2 is registered there). */
export function exportRegularizer(value: unknown, where: string): unknown {
  if (value === undefined || value === null) return null;
  const s = serialized(value);
  const l1 = Number(s?.config['l1'] ?? 0);
  const l2 = Number(s?.config['l2'] ?? 0);
  if (s !== undefined && ['L1', 'L2', 'L1L2'].includes(s.className)) {
    return {
      className: 'L1L2',
      config: { l1: s.className === 'L2' ? 0 : l1, l2: s.className === 'L1' ? 0 : l2 },
    };
  }
  throw new ExportError(
    `${where}: regularizer ${JSON.stringify(s?.className ?? value)} has no TF.js equivalent`,
  );
}

/** A constraint as tfjs-layers knows it. */
export function exportConstraint(value: unknown, where: string): unknown {
  if (value === undefined || value === null) return null;
  const s = serialized(value);
  if (s !== undefined && ['MaxNorm', 'NonNeg', 'UnitNorm', 'MinMaxNorm'].includes(s.className)) {
    return { className: s.className, config: defined(s.config) };
  }
  throw new ExportError(
    `${where}: constraint ${JSON.stringify(s?.className ?? value)} has no TF.js equivalent`,
  );
}

/** `useBias` → `use_bias`, recursively over keys (`className` → `class_name`); values kept. */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, v]) => [
      key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase(),
      snakeKeys(v),
    ]),
  );
}
