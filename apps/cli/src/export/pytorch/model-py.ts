/**
 * Renders `model.py`: a readable `torch.nn.Module` equivalent of a Tessera model whose
 * first step is the training data's scaling and normalizer, so it takes raw features as
 * `tessera predict` does, plus the table linking each Tessera weight to its parameter.
 */
import { type LayerCode, layerCode, type WeightLink } from './layer-code.js';
import type { ModelGraph } from './model-graph.js';
import { HELPER_NEEDS, PYTHON_HELPERS } from './python-helpers.js';

/** What model.py is made from. */
export interface ModelPyInput {
  graph: ModelGraph;
  /** Shapes of the model's weights by name, in the model's order. */
  shapes: ReadonlyMap<string, readonly number[]>;
  /** Factor applied to raw values first (1/255 for pixels). */
  featureScale: number;
  /** Shape of one example's raw features. */
  featureShape: readonly number[];
  /** The fitted normalizer `(x - offset) / scale`, if training used one. */
  normalizer?: { offset: number[]; scale: number[] };
  /** User functions given a Python equivalent in custom_functions.py. */
  custom: ReadonlySet<string>;
  /** Where the model came from, for the header. */
  source: string;
}

const RESERVED = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self torch nn F x inputs math'.split(
    ' ',
  ),
);

/** A Python identifier for a layer name, unique among `taken`. */
function identifier(name: string, taken: Set<string>): string {
  let id = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (/^[0-9]/.test(id) || RESERVED.has(id)) id = `layer_${id}`;
  let unique = id;
  for (let i = 2; taken.has(unique); i++) unique = `${id}_${i}`;
  taken.add(unique);
  return unique;
}

const pyList = (values: readonly number[]): string =>
  `[${values.map((v) => String(v)).join(', ')}]`;

/** The text of model.py. */
export function renderModelPy(input: ModelPyInput): string {
  const { graph } = input;
  const taken = new Set<string>();
  const vars = new Map<string, string>([[graph.input, 'x']]);
  const init: string[] = [];
  const body: string[] = [];
  const links: WeightLink[] = [];
  const helpers = new Set<string>();
  for (const node of graph.nodes) {
    const attr = identifier(node.name, taken);
    const args = node.inputs.map((name) => vars.get(name) ?? identifier(name, taken));
    const code: LayerCode = layerCode(node, {
      attr,
      args,
      shapes: input.shapes,
      custom: input.custom,
    });
    if (code.module !== undefined) init.push(`        self.${attr} = ${code.module}`);
    body.push(`        ${attr} = ${code.expr}  # ${node.className} "${node.name}"`);
    vars.set(node.name, attr);
    links.push(...code.weights);
    for (const h of code.helpers) {
      for (const need of HELPER_NEEDS[h] ?? []) helpers.add(need);
      helpers.add(h);
    }
  }
  const outputs = graph.outputs.map((name) => vars.get(name) ?? 'x');
  const norm = input.normalizer;
  return `"""${graph.modelName}: exported by \`tessera export --format pytorch\` from ${input.source}.

\`Model\` takes raw features, as \`tessera predict\` reads them: the first step scales them
(FEATURE_SCALE) and applies the normalizer fitted on the training data, as Tessera did.
Weights live in weights.json + weights.bin (Tessera's layout); WEIGHTS says which
PyTorch parameter each one fills. Predict from a CSV of raw rows:

    /usr/bin/python3 model.py FEATURES.csv
"""
import math
import os
import sys

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tessera_io  # noqa: E402
${input.custom.size > 0 ? 'import custom_functions  # noqa: E402\n' : ''}
FEATURE_SCALE = ${input.featureScale}
FEATURE_SHAPE = ${pyList(input.featureShape)}
NORMALIZER_OFFSET = ${norm === undefined ? 'None' : pyList(norm.offset)}
NORMALIZER_SCALE = ${norm === undefined ? 'None' : pyList(norm.scale)}

# (Tessera weight, PyTorch parameter, transposed?): nn.Linear stores kernels as [out, in].
WEIGHTS = [
${links.map((l) => `    ("${l.tessera}", "${l.torch}", ${l.transpose ? 'True' : 'False'}),`).join('\n')}
]

${[...helpers].map((h) => `${PYTHON_HELPERS[h]}\n`).join('\n')}
class Normalize(nn.Module):
    """Raw features to the model's inputs, in float64 like Tessera, then float32."""

    def __init__(self):
        super().__init__()
        size = len(NORMALIZER_OFFSET) if NORMALIZER_OFFSET is not None else 0
        self.register_buffer("offset", torch.tensor(NORMALIZER_OFFSET or [], dtype=torch.float64).reshape(size))
        self.register_buffer("scale", torch.tensor(NORMALIZER_SCALE or [], dtype=torch.float64).reshape(size))

    def forward(self, raw):
        x = raw.to(torch.float64) * FEATURE_SCALE
        if NORMALIZER_OFFSET is not None:
            flat = x.flatten(1)
            x = ((flat - self.offset) / self.scale).reshape(x.shape)
        return x.to(torch.float32)


class Model(nn.Module):
    """The Tessera model "${graph.modelName}" as a PyTorch module."""

    def __init__(self):
        super().__init__()
        self.normalize = Normalize()
${init.join('\n')}

    def forward(self, inputs):
        x = self.normalize(inputs)
${body.join('\n')}
        return ${outputs.length === 1 ? outputs[0] : `(${outputs.join(', ')})`}


def parameter(module, path):
    """The parameter at a dotted attribute path."""
    for part in path.split("."):
        module = getattr(module, part)
    return module


def load_tessera_weights(module, weights):
    """Copies Tessera-layout arrays into the module's parameters."""
    with torch.no_grad():
        for name, path, transpose in WEIGHTS:
            values = torch.from_numpy(np.array(weights[name], dtype=np.float32))
            parameter(module, path).copy_(values.t() if transpose else values)


def tessera_weights(module):
    """The module's parameters as Tessera-layout float32 arrays, in the model's order."""
    out = {}
    for name, path, transpose in WEIGHTS:
        values = parameter(module, path).detach()
        out[name] = (values.t() if transpose else values).contiguous().numpy().astype(np.float32)
    return out


def build_model(folder=HERE):
    """The module with the weights saved in \`folder\`."""
    _, weights, _ = tessera_io.read_state(folder)
    module = Model()
    load_tessera_weights(module, weights)
    return module


if __name__ == "__main__":
    rows = np.genfromtxt(sys.argv[1], delimiter=",", skip_header=1, dtype=np.float64, ndmin=2)
    rows = rows.reshape([-1] + FEATURE_SHAPE)
    model = build_model().eval()
    with torch.no_grad():
        result = model(torch.from_numpy(rows))
    for row in (result[0] if isinstance(result, tuple) else result).tolist():
        print(",".join(repr(v) for v in row))
`;
}
