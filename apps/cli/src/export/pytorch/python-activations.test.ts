/**
 * Every built-in activation's PyTorch expression, evaluated by real PyTorch on the same
 * inputs as Tessera's function (float32, within 1e-6 of the larger magnitude).
 */
import { tf } from '@tessera/core';
import { ACTIVATION_NAMES, activations } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { HAS_TORCH, PYTHON, runCommand, TORCH_SKIP_REASON } from '../../testing/torch.js';
import { activationCode } from './layer-code.js';

/** Inputs across each activation's pieces: saturated ends, kinks at -3, -1, 0, 1, 3. */
const ROWS = [
  [-9, -3.5, -3, -2.2, -1, -0.6, -0.01, 0],
  [0.01, 0.4, 1, 1.7, 3, 3.3, 8, 30],
];

describe.skipIf(!HAS_TORCH)(`built-in activations in PyTorch${TORCH_SKIP_REASON}`, () => {
  it('every name the registry lists computes what Tessera computes', async () => {
    // 'threshold' has no defaults (its threshold and value are required): not usable by name.
    const names = ACTIVATION_NAMES.filter((name) => name !== 'threshold');
    const lines = names.map(
      (name) => `print(json.dumps((${activationCode(name, 'x', name, new Set())}).tolist()))`,
    );
    const script = [
      'import json, torch',
      'import torch.nn.functional as F',
      `x = torch.tensor(${JSON.stringify(ROWS)}, dtype=torch.float32)`,
      ...lines,
    ].join('\n');
    const out = (await runCommand([PYTHON, '-c', script])).trim().split('\n');
    expect(out.length).toBe(names.length);
    names.forEach((name, i) => {
      const x = tf.tensor2d(ROWS);
      const y = activations.get(name)(x);
      const ours = y.arraySync() as number[][];
      tf.dispose([x, y]);
      const theirs = JSON.parse(out[i]!) as number[][];
      expect(theirs.length, name).toBe(ours.length);
      for (const [r, row] of ours.entries()) {
        for (const [c, v] of row.entries()) {
          const t = theirs[r]![c]!;
          expect(Math.abs(v - t), `${name}(${ROWS[r]![c]})`).toBeLessThanOrEqual(
            1e-6 * Math.max(1, Math.abs(v)),
          );
        }
      }
    });
  });
});
