/**
 * Command-line flags of `npm run bench -- [flags]`, parsed by a pure function so the
 * rules are tested without running a benchmark.
 */

import { INPUT_SET_NAMES, type InputSetName } from './tasks/input-sets.js';

/** Which tables to produce. */
export type BenchSection = 'kernels' | 'training' | 'dashboard' | 'scaling';

/** Parsed flags. */
export interface BenchArgs {
  /** Fewer, shorter kernel trials, and peers trained on a subset. */
  quick: boolean;
  /** Sections to run, in order. */
  sections: BenchSection[];
  /** Tessera worker counts (undefined: 1..os.availableParallelism()). */
  workerCounts: number[] | undefined;
  /** Input sets of the training table (undefined: all). */
  inputs: InputSetName[] | undefined;
  /** Tessera runs per worker count, interleaved. */
  repeats: number;
  /** Epochs of each scaling run (undefined: the scaling bench's default, one). */
  scalingEpochs: number | undefined;
  /** `--help` was given. */
  help: boolean;
}

/** What `--help` prints. */
export const BENCH_USAGE = [
  'usage: npm run bench -- [--quick] [--only kernels|training|dashboard|scaling] [--workers 1,2] [--inputs LIST] [--repeat N] [--epochs E]',
  '  --quick           shorter kernel trials; peers train on a 10,000-example subset; scaling',
  '                    at batch 128 only',
  '  --only SECTION    run only one table: kernels, training, dashboard (tessera train with',
  '                    and without --dashboard), or scaling (tessera train, one epoch, at batch',
  '                    64, 128 and 256: one worker, every core, and one-worker processes',
  '                    started together as the control)',
  '  --workers LIST    Tessera worker counts, comma-separated (default 1..cores)',
  '  --inputs LIST     input sets: mnist, dense, fashion-mnist (default all; fashion-mnist',
  '                    needs `apt-get install dataset-fashion-mnist`)',
  '  --repeat N        Tessera runs per worker count, per dashboard variant, and scaling',
  '                    rounds, interleaved; the median is shown (default 3)',
  '  --epochs E        epochs of each scaling run (default 1; npm start trains 10)',
].join('\n');

const SECTIONS: readonly BenchSection[] = ['kernels', 'training', 'dashboard', 'scaling'];

/** `text` as a whole number ≥ 1, else an Error naming `flag` and what it was given. */
function positiveInteger(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) {
    throw new Error(`${flag} must be a positive integer. Received: ${flag} ${text}`);
  }
  return n;
}

/** Parses argv (without node and the script); throws an Error naming a bad flag. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    quick: false,
    sections: [...SECTIONS],
    workerCounts: undefined,
    inputs: undefined,
    repeats: 3,
    scalingEpochs: undefined,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const [flag, inline] = raw.includes('=') ? raw.split(/=(.*)/s, 2) : [raw, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value. Received: nothing`);
      return v;
    };
    switch (flag) {
      case '--quick':
        args.quick = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      case '--only': {
        const section = value();
        if (!(SECTIONS as readonly string[]).includes(section)) {
          throw new Error(
            `--only must be one of ${SECTIONS.join(', ')}. Received: --only ${section}`,
          );
        }
        args.sections = [section as BenchSection];
        break;
      }
      case '--workers': {
        const list = value();
        const counts = list.split(',').map((s) => Number(s.trim()));
        if (counts.some((n) => !Number.isInteger(n) || n <= 0)) {
          throw new Error(
            `--workers must be positive integers separated by commas. Received: --workers ${list}`,
          );
        }
        args.workerCounts = counts;
        break;
      }
      case '--inputs': {
        const list = value();
        const names = list.split(',').map((s) => s.trim());
        const bad = names.find((n) => !(INPUT_SET_NAMES as readonly string[]).includes(n));
        if (bad !== undefined) {
          throw new Error(
            `--inputs takes ${INPUT_SET_NAMES.join(', ')}, separated by commas. Received: --inputs ${list}`,
          );
        }
        args.inputs = names as InputSetName[];
        break;
      }
      case '--repeat':
        args.repeats = positiveInteger(flag, value());
        break;
      case '--epochs':
        args.scalingEpochs = positiveInteger(flag, value());
        break;
      default:
        throw new Error(`unknown flag. Received: ${raw}`);
    }
  }
  if (args.scalingEpochs !== undefined && !args.sections.includes('scaling')) {
    throw new Error(
      `--epochs sets the scaling runs' epochs, and this run has no scaling table. Received: --only ${args.sections.join(',')}`,
    );
  }
  return args;
}
