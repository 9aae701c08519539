/**
 * Command-line flags of `npm run bench -- [flags]`, parsed by a pure function so the
 * rules are tested without running a benchmark.
 */

/** Which tables to produce. */
export type BenchSection = 'kernels' | 'training';

/** Parsed flags. */
export interface BenchArgs {
  /** Fewer, shorter kernel trials, and peers trained on a subset. */
  quick: boolean;
  /** Sections to run, in order. */
  sections: BenchSection[];
  /** Tessera worker counts (undefined: 1..os.availableParallelism()). */
  workerCounts: number[] | undefined;
  /** `--help` was given. */
  help: boolean;
}

/** What `--help` prints. */
export const BENCH_USAGE = [
  'usage: npm run bench -- [--quick] [--only kernels|training] [--workers 1,2]',
  '  --quick           shorter kernel trials; peers train on a 10,000-example subset',
  '  --only SECTION    run only the kernel table or only the training table',
  '  --workers LIST    Tessera worker counts, comma-separated (default 1..cores)',
].join('\n');

const SECTIONS: readonly BenchSection[] = ['kernels', 'training'];

/** Parses argv (without node and the script); throws an Error naming a bad flag. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    quick: false,
    sections: [...SECTIONS],
    workerCounts: undefined,
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
      default:
        throw new Error(`unknown flag. Received: ${raw}`);
    }
  }
  return args;
}
