/**
 * Tessera's built-in activations as PyTorch expressions, each the same formula as the
 * Tessera function (Keras 3 definitions: leaky_relu slope 0.2, hard_sigmoid relu6(x+3)/6,
 * gelu exact). A name outside this table is a user's function: it exports only when the
 * user supplies a Python function of that name (see custom-functions.ts).
 */

/** Python expression of `x` for each built-in activation, by its registered name. */
const BUILTIN: Readonly<Record<string, (x: string) => string>> = {
  linear: (x) => x,
  relu: (x) => `F.relu(${x})`,
  relu6: (x) => `F.relu6(${x})`,
  leaky_relu: (x) => `F.leaky_relu(${x}, 0.2)`,
  elu: (x) => `F.elu(${x})`,
  selu: (x) => `F.selu(${x})`,
  sigmoid: (x) => `torch.sigmoid(${x})`,
  hard_sigmoid: (x) => `F.relu6(${x} + 3.0) / 6.0`,
  tanh: (x) => `torch.tanh(${x})`,
  softmax: (x) => `torch.softmax(${x}, dim=-1)`,
  log_softmax: (x) => `torch.log_softmax(${x}, dim=-1)`,
  softplus: (x) => `F.softplus(${x})`,
  softsign: (x) => `${x} / (torch.abs(${x}) + 1.0)`,
  swish: (x) => `${x} * torch.sigmoid(${x})`,
  silu: (x) => `${x} * torch.sigmoid(${x})`,
  mish: (x) => `${x} * torch.tanh(F.softplus(${x}))`,
  gelu: (x) => `F.gelu(${x})`,
  exponential: (x) => `torch.exp(${x})`,
  celu: (x) => `F.celu(${x}, 1.0)`,
  hard_silu: (x) => `${x} * (F.relu6(${x} + 3.0) / 6.0)`,
  log_sigmoid: (x) => `F.logsigmoid(${x})`,
  glu: (x) => `F.glu(${x}, dim=-1)`,
  squareplus: (x) => `(${x} + torch.sqrt(${x} * ${x} + 4.0)) / 2.0`,
  sparse_plus: (x) => `(torch.clamp(${x}, -1.0, 1.0) + 1.0) ** 2 / 4.0 + F.relu(${x} - 1.0)`,
  hard_tanh: (x) => `torch.clamp(${x}, -1.0, 1.0)`,
  hard_shrink: (x) => `${x} * (torch.abs(${x}) > 0.5).to(${x}.dtype)`,
  soft_shrink: (x) => `F.relu(${x} - 0.5) - F.relu(-(${x}) - 0.5)`,
  tanh_shrink: (x) => `${x} - torch.tanh(${x})`,
  sparse_sigmoid: (x) => `(torch.clamp(${x}, -1.0, 1.0) + 1.0) / 2.0`,
  // Sort each row, keep the k largest with 1 + k·z_k > Σ_{j≤k} z_j, τ = (Σ_{j≤k} z_j − 1) / k.
  sparsemax: (x) =>
    `(lambda z: (lambda s: (lambda c, k: (lambda n: torch.clamp(z - (c.gather(-1, n - 1) - 1.0) / n, min=0.0))((1.0 + k * s > c).sum(-1, keepdim=True)))(s.cumsum(-1), torch.arange(1, z.shape[-1] + 1, dtype=z.dtype)))(torch.sort(z, dim=-1, descending=True).values))(${x})`,
};

/** camelCase aliases the registry also accepts. */
const ALIASES: Readonly<Record<string, string>> = {
  leakyRelu: 'leaky_relu',
  hardSigmoid: 'hard_sigmoid',
  logSoftmax: 'log_softmax',
  hardSilu: 'hard_silu',
  hard_swish: 'hard_silu',
  hardSwish: 'hard_silu',
  logSigmoid: 'log_sigmoid',
  sparsePlus: 'sparse_plus',
  hardTanh: 'hard_tanh',
  hardShrink: 'hard_shrink',
  softShrink: 'soft_shrink',
  tanhShrink: 'tanh_shrink',
  sparseSigmoid: 'sparse_sigmoid',
};

/** The Python expression applying built-in `name` to `x`, or undefined for a custom name. */
export function builtinActivation(name: string, x: string): string | undefined {
  const make = BUILTIN[ALIASES[name] ?? name];
  return make === undefined ? undefined : make(x);
}
