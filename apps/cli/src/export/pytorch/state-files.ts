/**
 * The `tessera-pytorch` folder format, Node side: `weights.json` (a manifest with the
 * model config, training settings and where each array lives) and `weights.bin`
 * (little-endian float32 arrays back to back). tessera_io.py reads and writes the same
 * files in Python, so export, train_ddp.py and import share one format.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FormatError } from '@tessera/core';
import type { CheckpointData } from '@tessera/trainer';

export const STATE_FORMAT = { format: 'tessera-pytorch', version: 1 } as const;
export const MANIFEST_FILE = 'weights.json';
export const DATA_FILE = 'weights.bin';

/** Where one array lives in weights.bin (offset and shape in float32 elements). */
interface ArrayEntry {
  kind: 'weight' | 'slot';
  name: string;
  /** Optimizer slot name (`m`, `v`, `velocity`…) of a slot array. */
  slot?: string;
  shape: number[];
  offset: number;
}

/** Everything besides the arrays: Tessera's own records, carried through PyTorch as is. */
export interface StateManifest {
  /** The model config (`toJSON()`). */
  model: unknown;
  compile: unknown;
  optimizer: { config: unknown; iteration: number };
  run: CheckpointData['run'];
  /** Epochs completed so far. */
  epoch: number;
  /** Checkpoint records a PyTorch run does not change (RNG state, history, CLI extra). */
  carried: Record<string, unknown>;
}

/** A folder's content. */
export interface PytorchState {
  manifest: StateManifest;
  /** Weights by name, in the model's order. */
  weights: Map<string, { shape: number[]; values: Float32Array }>;
  /** Optimizer slots: slot name → weight name → values (Tessera layout). */
  slots: Map<string, Map<string, Float32Array>>;
}

/** Writes a state folder (the folder must exist). */
export async function writeState(folder: string, state: PytorchState): Promise<void> {
  const arrays: ArrayEntry[] = [];
  const chunks: Float32Array[] = [];
  let offset = 0;
  const add = (entry: Omit<ArrayEntry, 'offset'>, values: Float32Array): void => {
    arrays.push({ ...entry, offset });
    chunks.push(values);
    offset += values.length;
  };
  for (const [name, w] of state.weights) add({ kind: 'weight', name, shape: w.shape }, w.values);
  for (const [slot, byWeight] of state.slots) {
    for (const [name, w] of state.weights) {
      const values = byWeight.get(name);
      if (values !== undefined) add({ kind: 'slot', name, slot, shape: w.shape }, values);
    }
  }
  const data = Buffer.alloc(offset * 4);
  let at = 0;
  for (const chunk of chunks) for (const v of chunk) at = data.writeFloatLE(v, at);
  await writeFile(join(folder, DATA_FILE), data);
  const manifest = { ...STATE_FORMAT, ...state.manifest, arrays };
  await writeFile(join(folder, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
}

function bad(folder: string, what: string): FormatError {
  return new FormatError(
    `${folder}: ${what}; expected a folder written by train_ddp.py or tessera export --format pytorch`,
  );
}

/** Reads a state folder; a missing or damaged file fails naming the folder. */
export async function readState(folder: string): Promise<PytorchState> {
  let text: string;
  let data: Buffer;
  try {
    text = await readFile(join(folder, MANIFEST_FILE), 'utf8');
    data = await readFile(join(folder, DATA_FILE));
  } catch (err) {
    throw bad(folder, `cannot read ${MANIFEST_FILE} and ${DATA_FILE} (${(err as Error).message})`);
  }
  let raw: StateManifest & { format?: string; version?: number; arrays?: ArrayEntry[] };
  try {
    raw = JSON.parse(text) as typeof raw;
  } catch {
    throw bad(folder, `${MANIFEST_FILE} is not JSON`);
  }
  if (raw.format !== STATE_FORMAT.format || raw.version !== STATE_FORMAT.version)
    throw bad(
      folder,
      `${MANIFEST_FILE} is not a ${STATE_FORMAT.format} v${STATE_FORMAT.version} manifest`,
    );
  if (!Array.isArray(raw.arrays)) throw bad(folder, `${MANIFEST_FILE} lists no arrays`);
  const carried = raw.carried as Record<string, unknown> | undefined;
  const missing = [
    ...['model', 'compile', 'optimizer', 'run', 'epoch', 'carried'].filter(
      (key) => (raw as unknown as Record<string, unknown>)[key] === undefined,
    ),
    ...['rng', 'history', 'extra', 'progress']
      .filter((key) => carried?.[key] === undefined)
      .map((key) => `carried.${key}`),
  ];
  if (missing.length > 0) throw bad(folder, `${MANIFEST_FILE} lacks ${missing.join(', ')}`);
  const total = data.length / 4;
  const weights: PytorchState['weights'] = new Map();
  const slots: PytorchState['slots'] = new Map();
  for (const entry of raw.arrays) {
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (!Number.isInteger(entry.offset) || entry.offset < 0 || entry.offset + count > total)
      throw bad(folder, `array "${entry.name}" lies outside ${DATA_FILE} (${total} values)`);
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = data.readFloatLE((entry.offset + i) * 4);
    if (entry.kind === 'weight') weights.set(entry.name, { shape: entry.shape, values });
    else {
      const slot = String(entry.slot);
      if (!slots.has(slot)) slots.set(slot, new Map());
      slots.get(slot)!.set(entry.name, values);
    }
  }
  const { format: _f, version: _v, arrays: _a, ...manifest } = raw;
  return { manifest, weights, slots };
}
