import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_DIR, numberAfter, runExample } from './run-example.js';

/** Each example with the numbers the course shows, checked on its output. */
const checks: Record<string, (out: string) => void> = {
  neuron: (out) => {
    expect(numberAfter(out, 'z = Σ w·x + b =')).toBeCloseTo(-0.4, 4);
    expect(numberAfter(out, 'y = sigmoid(z) =')).toBeCloseTo(0.4013, 4);
    expect(numberAfter(out, 'with tensors: y =')).toBeCloseTo(0.4013, 4);
  },
  activations: (out) => {
    // sigmoid(0) = 0.5, tanh(1) = 0.7616, relu(-3) = 0, relu(3) = 3.
    expect(out).toMatch(/sigmoid\s+0\.0474\s+0\.2689\s+0\.5000\s+0\.7311\s+0\.9526/);
    expect(out).toMatch(/tanh\s+-0\.9951\s+-0\.7616\s+0\.0000\s+0\.7616\s+0\.9951/);
    expect(out).toMatch(/relu\s+0\.0000\s+0\.0000\s+0\.0000\s+1\.0000\s+3\.0000/);
    expect(out).toContain('sigmoid on [-4, 4]');
  },
  'dense-layer': (out) => {
    expect(out).toContain('W is 4×5, b has 5 values');
    expect(out).toContain("X' is 1×5, W' is 5×5");
    expect(numberAfter(out, 'max difference:')).toBeLessThan(1e-5);
  },
  vectorization: (out) => {
    expect(out).toContain('same result: true');
    expect(numberAfter(out, 'Vectorized version:')).toBeGreaterThan(0);
    expect(numberAfter(out, 'For loop:')).toBeGreaterThan(0);
  },
  digits: (out) => {
    expect(out).toMatch(/9 - 111101111001111 → predicted 9/);
    expect(out).toMatch(/0 - 111101101101111 → predicted 0/);
  },
  iris: (out) => {
    expect(numberAfter(out, 'test accuracy')).toBeGreaterThanOrEqual(0.85);
    expect(out).toContain('→ virginica');
  },
  regression: (out) => {
    expect(Math.abs(numberAfter(out, 'studied 5 h → predicted') - 75)).toBeLessThan(3);
    expect(Math.abs(numberAfter(out, 'studied 1 h → predicted') - 82)).toBeLessThan(3);
    expect(Math.abs(numberAfter(out, 'studied 2 h → predicted') - 93)).toBeLessThan(3);
  },
  sequential: (out) => {
    expect(out).toContain('from a list: dense');
    expect(out).toContain('with add: 3 layers, output shape [null,4]');
    expect(out).toContain('Flatten → Dense → Dense');
  },
  'call-model': (out) => {
    const rows = out.match(/\[-?\d[^\]]*\]/g) ?? [];
    expect(rows).toHaveLength(6);
    expect(rows[3]).toBe(rows[4]);
    expect(rows[4]).toBe(rows[5]);
    expect(rows[3]?.split(',')).toHaveLength(4);
  },
  summary: (out) => {
    expect(out).toContain('Total params: 31');
    expect(out).toContain('Model: "my_model"');
    expect(out).toContain('Total params: 47');
  },
  'plot-model': (out) => {
    expect(out).toContain('digraph "my_model"');
    expect(out).toContain('Output shape: (None, 1)');
  },
  'feature-extractor': (out) => {
    expect(out.match(/Tensor/g)).toHaveLength(4);
    expect(out).toMatch(/\[\[-?\d[^\]]*\]/);
  },
  'custom-activation': (out) => {
    expect(out).toContain('→ lambda →');
    expect(out).toContain('reloaded from JSON, same outputs: true');
    expect(out).toContain('my_relu([-2, 3]) = 0, 3');
    expect(out.match(/row sums 1\.000, 1\.000/g)).toHaveLength(2);
  },
  'keras-names': (out) => {
    expect(numberAfter(out, 'learned w =')).toBeCloseTo(2, 2);
    expect(numberAfter(out, 'b =')).toBeCloseTo(-1, 2);
    expect(out).toMatch(/300 \{ loss: [\d.e-]+, MAE: [\d.e-]+, huber: [\d.e-]+ \}/);
    expect(out).toContain('Unknown loss "mean_sqared_error" (did you mean "mean_squared_error"?)');
  },
  mnist: (out) => {
    expect(out).toMatch(/Epoch 1\/1/);
    expect(numberAfter(out, 'examples/s')).toBeGreaterThanOrEqual(0);
    expect(numberAfter(out, 'test accuracy:')).toBeGreaterThan(0.6);
  },
};

describe('examples/', () => {
  const names = readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3));

  it('has a check for every example', () => {
    expect(names.sort()).toEqual(Object.keys(checks).sort());
  });

  for (const [name, check] of Object.entries(checks)) {
    it(`${name} runs and prints what the course shows`, async () => {
      const run = await runExample(name);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      check(run.stdout);
    }, 300_000);
  }
});
