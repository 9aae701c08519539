/**
 * ActivityRegularization: passes its input through and adds an L1/L2 penalty on it to
 * the training loss (the layer form of `activityRegularizer`).
 *
 * ```ts
 * layers.activityRegularization({ l1: 0.01 });
 * ```
 */
import { received, type Tensor, ValueError } from '@tessera/core';
import { keysOf } from '../engine/arg-keys.js';
import { LAYER_ARG_KEYS, Layer, type LayerArgs } from '../engine/layer.js';
import { checkArgs, NON_NEGATIVE, numberArg } from '../registry/checks.js';
import { L1L2 } from '../regularizers/l1-l2.js';

/** Arguments of `layers.activityRegularization`. */
export interface ActivityRegularizationArgs extends LayerArgs {
  /** L1 factor; non-negative (default 0). */
  l1?: number;
  /** L2 factor; non-negative (default 0). */
  l2?: number;
}

/** Identity whose output is penalised by `l1·Σ|x| + l2·Σx²` (per batch example). */
export class ActivityRegularization extends Layer<'one'> {
  static override readonly className = 'ActivityRegularization';
  static override readonly argKeys: readonly string[] = keysOf<ActivityRegularizationArgs>()([
    'l1',
    'l2',
    ...LAYER_ARG_KEYS,
  ]);
  readonly l1: number;
  readonly l2: number;

  constructor(args: ActivityRegularizationArgs = {}) {
    checkArgs(args, 'ActivityRegularization', '{ l1?, l2? }');
    if (args.activityRegularizer !== undefined && args.activityRegularizer !== null) {
      // It would be replaced by the l1/l2 penalty below: refuse it rather than drop it.
      throw new ValueError(
        received(
          'ActivityRegularization: the penalty is given by l1 and l2, not activityRegularizer',
          'activityRegularizer',
          args.activityRegularizer,
        ),
      );
    }
    const l1 = numberArg('ActivityRegularization', 'l1', args.l1, 0, NON_NEGATIVE);
    const l2 = numberArg('ActivityRegularization', 'l2', args.l2, 0, NON_NEGATIVE);
    const { l1: _l1, l2: _l2, ...rest } = args;
    // The engine's activity-regularizer path records the penalty, as for any layer.
    super({ ...rest, activityRegularizer: new L1L2({ l1, l2 }) });
    this.l1 = l1;
    this.l2 = l2;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return this.single(inputs);
  }

  override getConfig(): Record<string, unknown> {
    const { activityRegularizer: _unused, ...config } = super.getConfig();
    return { ...config, l1: this.l1, l2: this.l2 };
  }
}

/** Identity that adds an activity penalty to the loss. */
export function activityRegularization(args?: ActivityRegularizationArgs): ActivityRegularization {
  return new ActivityRegularization(args);
}
