import { describe, expect, it } from 'vitest';
import { definedFunctions } from './custom-functions.js';
import { activationCode, layerCode } from './layer-code.js';
import { modelGraph } from './model-graph.js';
import { renderModelPy } from './model-py.js';

const lambdaModel = {
  format: 'tessera-model',
  version: 1,
  className: 'Sequential',
  config: {
    name: 'with_lambda',
    layers: [
      { className: 'InputLayer', config: { name: 'input_layer', batchShape: [null, 2] } },
      {
        className: 'Dense',
        config: { name: 'dense', units: 3, activation: 'relu', useBias: true },
      },
      { className: 'Lambda', config: { name: 'cube', fn: 'my_cube' } },
    ],
  },
};
const shapes = new Map([
  ['dense/kernel', [2, 3]],
  ['dense/bias', [3]],
]);

describe('PyTorch code of layers', () => {
  it('writes built-in activations as PyTorch expressions', () => {
    expect(activationCode('relu', 'h', 'd', new Set())).toBe('F.relu(h)');
    expect(activationCode('hardSigmoid', 'h', 'd', new Set())).toBe('F.relu6(h + 3.0) / 6.0');
    expect(activationCode('linear', 'h', 'd', new Set())).toBe('h');
  });

  it('names the layer and the custom function that has no PyTorch equivalent', () => {
    const graph = modelGraph(lambdaModel);
    expect(() =>
      renderModelPy({
        graph,
        shapes,
        featureScale: 1,
        featureShape: [2],
        custom: new Set(),
        source: 'x.tsr',
      }),
    ).toThrow(/layer "cube" uses the custom function "my_cube".*--pytorch-functions/);
  });

  it('calls a supplied equivalent from custom_functions.py', () => {
    const graph = modelGraph(lambdaModel);
    const text = renderModelPy({
      graph,
      shapes,
      featureScale: 1,
      featureShape: [2],
      custom: definedFunctions('import torch\n\ndef my_cube(x):\n    return x ** 3\n'),
      source: 'x.tsr',
    });
    expect(text).toContain('import custom_functions');
    expect(text).toContain('cube = custom_functions.my_cube(dense)');
    expect(text).toContain('("dense/kernel", "dense.weight", True)');
  });

  it('rejects a layer class without a PyTorch equivalent, naming it', () => {
    expect(() =>
      layerCode(
        { name: 'odd', className: 'Conv2D', config: {}, inputs: ['x'] },
        { attr: 'odd', args: ['x'], shapes, custom: new Set() },
      ),
    ).toThrow(/layer "odd" of class Conv2D/);
  });

  it('reads a functional graph in order, with the inputs of each call', () => {
    const graph = modelGraph({
      className: 'Functional',
      config: {
        name: 'f',
        layers: [
          { className: 'InputLayer', name: 'i', config: { name: 'i' }, inboundNodes: [] },
          { className: 'Dense', name: 'a', config: { name: 'a' }, inboundNodes: [[['i', 0, 0]]] },
          {
            className: 'Add',
            name: 's',
            config: { name: 's' },
            inboundNodes: [
              [
                ['a', 0, 0],
                ['i', 0, 0],
              ],
            ],
          },
        ],
        inputLayers: [['i', 0, 0]],
        outputLayers: [['s', 0, 0]],
      },
    });
    expect(graph.input).toBe('i');
    expect(graph.nodes.map((n) => [n.name, n.inputs])).toEqual([
      ['a', ['i']],
      ['s', ['a', 'i']],
    ]);
    expect(graph.outputs).toEqual(['s']);
  });
});
