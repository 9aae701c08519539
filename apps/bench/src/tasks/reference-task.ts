/**
 * The reference task of the README's "Speed" section, in one place, so every runner
 * (Tessera, tfjs-layers, PyTorch) trains the same thing: MNIST 784-128(relu)-10(softmax),
 * Adam 1e-3, batch 128, float32, one epoch of the 60,000 training images.
 */

/** What every runner trains. */
export interface ReferenceTask {
  /** Pixels per image (28×28), the input width. */
  inputSize: number;
  /** Units of the hidden ReLU layer. */
  hiddenUnits: number;
  /** Units of the softmax output layer (the digits). */
  classes: number;
  /** Adam's learning rate. */
  learningRate: number;
  /** Adam's epsilon (Keras's and Tessera's default; PyTorch's own default is 1e-8). */
  epsilon: number;
  /** Examples per optimizer step. */
  batchSize: number;
  /** Passes over the training examples. */
  epochs: number;
  /** Seed for weight initialisation and shuffling, where the runner takes one. */
  seed: number;
}

/** The reference task. */
export const REFERENCE_TASK: Readonly<ReferenceTask> = Object.freeze({
  inputSize: 784,
  hiddenUnits: 128,
  classes: 10,
  learningRate: 1e-3,
  epsilon: 1e-7,
  batchSize: 128,
  epochs: 1,
  seed: 42,
});

/**
 * With `--quick`, the slow peers train on the first this-many training images instead of
 * all 60,000 (tfjs-backend-cpu needs well over a minute for a full epoch).
 */
export const QUICK_PEER_EXAMPLES = 10_000;

/** Optimizer steps of one epoch over `examples` (the last batch may be short). */
export function stepsPerEpoch(examples: number, batchSize: number): number {
  return Math.ceil(examples / batchSize);
}
