/**
 * Evaluation on the resident step (a worker's `evaluate` pool task): the loss and metric
 * sums of a split's rows [start, end), in chunks of the step's most rows, computed in the
 * worker's own rows of the batch-wide buffers. The validation set is read from its
 * compressed rows when the first layer reads compressed rows (resident-session.ts).
 */
import type { Dataset } from '@tessera/datasets';
import type { ResidentEvaluateArgs, ResidentStep } from '@tessera/layers';
import type { ResidentSession } from './resident-session.js';

/**
 * Gathers rows order[start, end) of `data` into the step's targets, and with `features`
 * the dense input rows into the batch-wide rows from `at` (or, with `own`, into the step's
 * private rows: resident-stepper.ts).
 */
export type GatherRows = (
  data: Dataset,
  order: ArrayLike<number>,
  start: number,
  end: number,
  at: number,
  features: boolean,
  own?: boolean,
) => void;

export class ResidentEvaluation {
  /**
   * The arguments over dense rows, and over the validation set's compressed rows when
   * there are any — made once here: the same object literals first made in the first
   * validation, after the step's code was optimized, made V8 drop that code (`forward`,
   * `forwardBackward` and `valueRow` marked for deoptimization on their code dependencies)
   * and compile it again beside the workers in the next epoch.
   */
  private readonly denseArgs: ResidentEvaluateArgs;
  private readonly compressedArgs: ResidentEvaluateArgs | undefined;
  /** Row numbers of one evaluation chunk (read when the input rows are gathered). */
  private readonly order: Int32Array;

  constructor(
    private readonly step: ResidentStep,
    session: ResidentSession,
    worker: number,
    params: number,
    private readonly gather: GatherRows,
  ) {
    const at = worker * session.maxRows;
    this.denseArgs = { rows: 0, at, params, compressed: undefined };
    const stored = session.validation;
    this.compressedArgs =
      stored === undefined
        ? undefined
        : {
            rows: 0,
            at,
            params,
            compressed: { input: stored.input, examples: stored.examples, firstRow: 0 },
          };
    this.order = new Int32Array(session.maxRows);
  }

  run(
    split: 'train' | 'validation',
    data: Dataset,
    start: number,
    end: number,
  ): { lossSum: number; metricSums: number[]; examples: number } {
    const chunk = this.order.length;
    const order = this.order;
    const values = this.step.values;
    // The validation set's compressed rows when the first layer reads compressed rows (a
    // chunk's rows [from, to) are rows 0 … of the set counted from row `from`), else the
    // dense rows gathered into this worker's own rows of the batch-wide buffers.
    const args =
      split === 'validation' && this.step.sparseInput && this.compressedArgs !== undefined
        ? this.compressedArgs
        : this.denseArgs;
    const compressed = args.compressed;
    let lossSum = 0;
    const metricSums = new Array<number>(values.length - 1).fill(0);
    for (let from = start; from < end; from += chunk) {
      const to = Math.min(end, from + chunk);
      for (let i = from; i < to; i++) order[i - from] = i;
      this.gather(data, order, 0, to - from, args.at, compressed === undefined);
      if (compressed !== undefined) compressed.firstRow = from;
      args.rows = to - from;
      this.step.evaluate(args);
      lossSum += values[0]! * (to - from);
      for (let m = 0; m < metricSums.length; m++) {
        metricSums[m] = metricSums[m]! + values[1 + m]! * (to - from);
      }
    }
    return { lossSum, metricSums, examples: end - start };
  }
}
