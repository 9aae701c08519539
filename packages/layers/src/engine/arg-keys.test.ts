import { type Tensor, ValueError } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  clearSession,
  deserializeLayer,
  input,
  Layer,
  layers,
  Model,
  model,
  registerLayer,
  Sequential,
  sequential,
} from '../index.js';
import { Dense } from '../layers/dense.js';
import { checkLayerArgs } from './arg-keys.js';

beforeEach(() => {
  clearSession();
});

/** A model JSON of a Sequential holding these layer entries. */
function sequentialJSON(list: unknown[], name = 's'): unknown {
  return {
    format: 'tessera-model',
    version: 1,
    className: 'Sequential',
    config: { name, layers: list },
  };
}

/** The error `run` throws (fails the test when it throws none). */
function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

/** The lines of a model's summary. */
function summaryOf(m: Model): string[] {
  const lines: string[] = [];
  m.summary((line) => lines.push(line));
  return lines;
}

describe('unknown keys in a saved config', () => {
  it('a misspelt Dense key fails, naming the class, the layer, the key and the fix', () => {
    const json = sequentialJSON([
      {
        className: 'Dense',
        config: { name: 'dense_3', units: 2, activaton: 'softmax', inputShape: [2] },
      },
    ]);
    const error = thrown(() => Model.fromJSON(json));
    expect(error).toBeInstanceOf(ValueError);
    expect(error.message).toMatch(
      /^Dense "dense_3": unknown config key "activaton" \(did you mean "activation"\?\)\. Accepted: units, activation, useBias, /,
    );
    expect(error.message).toContain('Received: activaton="softmax"');
  });

  it('suggests across case and underscores, and lists every unknown key', () => {
    const error = thrown(() =>
      deserializeLayer({ className: 'Dense', config: { units: 2, use_bias: false, foo: 1 } }),
    );
    expect(error.message).toContain(
      'Dense: unknown config keys "use_bias" (did you mean "useBias"?), "foo". Accepted:',
    );
    expect(error.message).toContain('Received: use_bias=false, foo=1');
  });

  it('checks the layers of a nested Sequential, and the nested model config itself', () => {
    const inner = {
      className: 'Sequential',
      config: {
        name: 'inner',
        layers: [
          { className: 'Dense', config: { name: 'deep', units: 2, kernelInitialiser: 'zeros' } },
        ],
      },
    };
    const json = sequentialJSON([
      { className: 'Dense', config: { name: 'first', units: 2, inputShape: [3] } },
      inner,
    ]);
    expect(() => Model.fromJSON(json)).toThrow(
      /Dense "deep": unknown config key "kernelInitialiser" \(did you mean "kernelInitializer"\?\)/,
    );
    const typoInModel = sequentialJSON([
      { className: 'Sequential', config: { name: 'inner', layer: [] } },
    ]);
    expect(() => Model.fromJSON(typoInModel)).toThrow(
      /Sequential "inner": unknown config key "layer" \(did you mean "layers"\?\)\. Accepted: name, layers/,
    );
  });

  it('checks a functional config, its layers and InputLayer configs', () => {
    const x = input({ shape: [3], name: 'x' });
    const m = model({ inputs: x, outputs: layers.dense({ units: 2, name: 'y' }).apply(x) });
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    json.config.outputLayer = json.config.outputLayers;
    expect(() => Model.fromJSON(json)).toThrow(
      /Functional "functional": unknown config key "outputLayer" \(did you mean "outputLayers"\?\)/,
    );
    delete json.config.outputLayer;
    json.config.layers[0].config.shap = [3];
    expect(() => Model.fromJSON(json)).toThrow(/InputLayer "x": unknown config key "shap"/);
    delete json.config.layers[0].config.shap;
    json.config.layers[0].config.sparse = false;
    expect(Model.fromJSON(json).inputShape).toEqual([null, 3]);
    json.config.layers[0].config.sparse = true;
    expect(() => Model.fromJSON(json)).toThrow(/sparse inputs are not supported/);
    m.dispose();
  });

  it("tolerates dtype: 'float32' on a layer, and refuses another dtype", () => {
    const ok = deserializeLayer({
      className: 'Dense',
      config: { units: 2, dtype: 'float32' },
    });
    expect(ok).toBeInstanceOf(Dense);
    expect(() =>
      deserializeLayer({ className: 'Dense', config: { units: 2, dtype: 'float16' } }),
    ).toThrow(/dtype can only be "float32".*Received: dtype="float16"/);
  });
});

describe('batchInputShape and its spellings', () => {
  it('builds the same model as inputShape, under each spelling', () => {
    const reference = Model.fromJSON(
      sequentialJSON([{ className: 'Dense', config: { name: 'd', units: 2, inputShape: [5] } }]),
    );
    for (const key of ['batchInputShape', 'batch_input_shape', 'batchShape']) {
      clearSession();
      for (const batch of [null, 32]) {
        const m = Model.fromJSON(
          sequentialJSON([
            { className: 'Dense', config: { name: 'd', units: 2, [key]: [batch, 5] } },
          ]),
        );
        expect(m.built).toBe(true);
        expect(m.inputShape).toEqual([null, 5]);
        expect(summaryOf(m)).toEqual(summaryOf(reference));
        expect(m.layers[0]?.getConfig()['inputShape']).toEqual([5]);
        m.dispose();
      }
    }
    reference.dispose();
  });

  it('agrees with inputShape or fails; the batch entry must be null or a positive integer', () => {
    expect(
      layers.dense({ units: 2, inputShape: [4], batchInputShape: [null, 4] }).batchInputShape,
    ).toEqual([null, 4]);
    const conflict = thrown(() =>
      deserializeLayer({
        className: 'Dense',
        config: { units: 2, inputShape: [3], batchInputShape: [null, 4] },
      }),
    );
    expect(conflict).toBeInstanceOf(ValueError);
    expect(conflict.message).toMatch(
      /Dense: inputShape and batchInputShape disagree.*Received: inputShape=\[3\], batchInputShape=\[null,4\]/,
    );
    expect(() =>
      deserializeLayer({
        className: 'Dense',
        config: { units: 2, batchInputShape: [null, 4], batch_input_shape: [null, 4] },
      }),
    ).toThrow(/give batchInputShape once; "batch_input_shape" is another name for it/);
    expect(() => layers.dense({ units: 2, batchInputShape: [0, 4] })).toThrow(
      /batchInputShape must be \[batch, \.\.\.dims\]/,
    );
    expect(() => layers.dense({ units: 2, batchInputShape: [null, 4], inputDim: 3 })).toThrow(
      /inputDim must be the last entry/,
    );
  });
});

/** A user-defined layer whose config carries a key only it knows about. */
class Shift extends Layer<'one'> {
  static override readonly className = 'Shift';
  readonly by: number;
  constructor(args: { by?: number; name?: string } = {}) {
    super(args);
    this.by = args.by ?? 1;
  }
  override call(x: Tensor | Tensor[]): Tensor {
    return this.single(x);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), by: this.by, note: 'kept for the user' };
  }
}

describe('custom layers', () => {
  it('are not checked: extra keys in their config still load', () => {
    registerLayer(Shift);
    const copy = deserializeLayer({ className: 'Shift', config: { by: 3, note: 'x', extra: 1 } });
    expect(copy).toBeInstanceOf(Shift);
    expect((copy as Shift).by).toBe(3);
    class LooseDense extends Dense {}
    expect(() => new LooseDense({ units: 1, extra: true } as never)).not.toThrow();
  });

  it('model subclasses are not checked either, while Model and Sequential are', () => {
    class NotedModel extends Model {
      static override readonly className = 'NotedModel';
    }
    class NotedSequential extends Sequential {
      static override readonly className = 'NotedSequential';
    }
    registerLayer(NotedModel);
    registerLayer(NotedSequential);
    const x = input({ shape: [2] });
    const functional = model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(x) });
    const noted = { ...functional.getConfig(), note: 'a key of the subclass' };
    expect(NotedModel.fromConfig(noted)).toBeInstanceOf(Model);
    expect(() => Model.fromConfig(noted)).toThrow(/Functional .*unknown config key "note"/);
    const stack = sequential([layers.dense({ units: 1, inputShape: [2] })]);
    const notedStack = { ...stack.getConfig(), note: 'a key of the subclass' };
    expect(NotedSequential.fromConfig(notedStack)).toBeInstanceOf(Sequential);
    expect(() => Sequential.fromConfig(notedStack)).toThrow(
      /Sequential .*unknown config key "note"/,
    );
  });

  it('a class opts in by declaring its own argKeys', () => {
    const strict = { className: 'Strict', argKeys: ['a'] };
    expect(checkLayerArgs(strict, { a: 1 })).toEqual({ a: 1 });
    expect(() => checkLayerArgs(strict, { b: 1 })).toThrow(/Strict: unknown config key "b"/);
  });
});

describe('factories called from JavaScript', () => {
  it('refuse an unknown option, as the config loader does', () => {
    const error = thrown(() => layers.dense({ units: 2, activaton: 'relu' } as never));
    expect(error).toBeInstanceOf(ValueError);
    expect(error.message).toMatch(
      /^Dense: unknown config key "activaton" \(did you mean "activation"\?\)/,
    );
    expect(() => layers.dropout({ rate: 0.1, sed: 1 } as never)).toThrow(
      /Dropout: unknown config key "sed" \(did you mean "seed"\?\)/,
    );
    expect(() => layers.flatten({ input_shape: [2, 2] } as never)).toThrow(
      /Flatten: unknown config key "input_shape" \(did you mean "inputShape"\?\)/,
    );
    expect(() => input({ shape: [2], dtpye: 'int32' } as never)).toThrow(
      /InputLayer: unknown config key "dtpye" \(did you mean "dtype"\?\)/,
    );
    expect(() =>
      layers.activityRegularization({ l1: 0.1, activityRegularizer: 'l2' } as never),
    ).toThrow(/penalty is given by l1 and l2/);
  });

  it('refuse unknown options of models', () => {
    expect(() => sequential([], { nmae: 'x' } as never)).toThrow(
      /Sequential: unknown config key "nmae" \(did you mean "name"\?\)/,
    );
    expect(() => new Sequential({ layers: [], sed: 1 } as never)).toThrow(/"sed"/);
    const x = input({ shape: [2] });
    expect(() => model({ inputs: x, outputs: x, output: x } as never)).toThrow(
      /Functional: unknown config key "output" \(did you mean "outputs"\?\)/,
    );
  });
});
