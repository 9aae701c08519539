/**
 * The PyTorch peer: Debian's python3-torch on one thread trains the reference task in a
 * child process (src/tasks/train_mnist.py). Skipped with a note when `import torch` fails.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runJsonChild } from './json-child.js';
import { REFERENCE_TASK, stepsPerEpoch } from './reference-task.js';
import type { PeerRun } from './result.js';

/** The interpreter Debian's python3-torch installs into. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** The table's note when torch cannot be imported. */
export const PYTORCH_MISSING = 'not installed (apt-get install python3-torch)';

/**
 * The training script. It stays in src/tasks/ (inside turbo's inputs, so editing it reruns
 * the tests); src/ and dist/ both sit two levels below the package root.
 */
export const PYTORCH_SCRIPT = fileURLToPath(
  new URL('../../src/tasks/train_mnist.py', import.meta.url),
);

/** What train_mnist.py prints. */
export interface PytorchReply {
  /** torch.__version__. */
  version: string;
  /** torch.get_num_threads() while training. */
  threads: number;
  /** Paths of the BLAS libraries the process mapped. */
  blas: string[];
  /** Examples trained on. */
  examples: number;
  /** Seconds of the training loop. */
  trainSeconds: number;
  /** Mean training loss of the epoch. */
  loss: number;
  /** Mean training accuracy of the epoch. */
  accuracy: number;
}

/**
 * Which BLAS a process mapped, from the library paths: Debian's python3-torch calls
 * whatever provides libblas.so.3, and reference BLAS is ~10× slower than OpenBLAS here,
 * so the table must say which one ran.
 */
export function describeBlas(paths: readonly string[]): string {
  const known: Array<[RegExp, string]> = [
    [/openblas/i, 'OpenBLAS'],
    [/mkl/i, 'MKL'],
    [/blis/i, 'BLIS'],
    [/atlas/i, 'ATLAS'],
    [/\/blas\/libblas\.so/, 'reference BLAS (netlib)'],
  ];
  for (const [pattern, name] of known) {
    if (paths.some((p) => pattern.test(p))) return name;
  }
  return paths.length === 0 ? 'no BLAS library mapped' : `unknown BLAS (${paths.join(', ')})`;
}

/** The PyTorch row's note: torch's version, threads and BLAS. */
export function pytorchNote(reply: Pick<PytorchReply, 'version' | 'threads' | 'blas'>): string {
  const blas = describeBlas(reply.blas);
  const hint =
    blas === 'reference BLAS (netlib)'
      ? '; OpenBLAS would be much faster (apt-get install libopenblas0-pthread)'
      : '';
  const threads = `${reply.threads} thread${reply.threads === 1 ? '' : 's'}`;
  return `torch ${reply.version}, ${threads}, ${blas}${hint}`;
}

/** Arguments of {@link runPytorch}. */
export interface PytorchRunArgs {
  /** Folder written by `writeMnistFiles` (the examples to train on). */
  dataDir: string;
  /** Interpreter (default {@link SYSTEM_PYTHON}). */
  python?: string;
  /** Threads torch and its BLAS may use (default 1). */
  threads?: number;
  /**
   * Let glibc keep the memory torch frees (KEEP_FREED_MEMORY) instead of handing it back to
   * the kernel, so the step's temporaries are not faulted in again at every step.
   */
  keepFreedMemory?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** torch's version when `python -c "import torch"` works, else undefined. */
export async function torchVersion(python: string = SYSTEM_PYTHON): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)(
      python,
      ['-c', 'import torch; print(torch.__version__)'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/**
 * glibc's malloc settings that keep freed memory in the process: blocks up to 32 MiB (the
 * most it allows) come from the heap instead of their own mapping, and the heap is not
 * trimmed below 1 GiB. With the defaults, each of PyTorch's step temporaries of the first
 * layer's size (400 KB) is mapped, faulted in page by page and unmapped again; on virtual
 * machines where a page fault is dear (this project's 2-vCPU machines since 2026-12-08) that
 * took most of its step: 49,400 against 167,700 samples/s on the reference task. The
 * PyTorch tuning guide's advice for CPU training (an allocator that keeps memory: jemalloc or
 * TCMalloc) does the same.
 */
export const KEEP_FREED_MEMORY: Readonly<Record<string, string>> = Object.freeze({
  MALLOC_MMAP_THRESHOLD_: String(32 * 1024 * 1024),
  MALLOC_TRIM_THRESHOLD_: String(1024 * 1024 * 1024),
});

/** The label of a PyTorch row. */
export function pytorchLabel(threads: number, keepFreedMemory: boolean): string {
  return `PyTorch ×${threads}${keepFreedMemory ? ', memory kept' : ''}`;
}

/** Trains with PyTorch; 'skipped' without torch, 'failed' when the script fails. */
export async function runPytorch(args: PytorchRunArgs): Promise<PeerRun> {
  const python = args.python ?? SYSTEM_PYTHON;
  const threads = args.threads ?? 1;
  const keep = args.keepFreedMemory === true;
  const identity = { runner: 'pytorch', label: pytorchLabel(threads, keep) } as const;
  if ((await torchVersion(python)) === undefined) {
    return { ...identity, status: 'skipped', reason: PYTORCH_MISSING };
  }
  let reply: PytorchReply;
  try {
    reply = (await runJsonChild({
      command: python,
      args: [
        PYTORCH_SCRIPT,
        JSON.stringify({ dataDir: args.dataDir, task: REFERENCE_TASK, threads }),
      ],
      // The same thread count for every pool torch or its BLAS might start.
      env: {
        OMP_NUM_THREADS: String(threads),
        OPENBLAS_NUM_THREADS: String(threads),
        MKL_NUM_THREADS: String(threads),
        ...(keep ? KEEP_FREED_MEMORY : {}),
      },
      log: (line) => args.log?.(`  [pytorch] ${line}`),
    })) as PytorchReply;
  } catch (error) {
    return {
      ...identity,
      status: 'failed',
      reason: error instanceof Error ? error.message : String(error),
    };
  }
  return {
    ...identity,
    status: 'ok',
    examples: reply.examples,
    steps: stepsPerEpoch(reply.examples, REFERENCE_TASK.batchSize) * REFERENCE_TASK.epochs,
    trainSeconds: reply.trainSeconds,
    samplesPerSecond: (reply.examples * REFERENCE_TASK.epochs) / reply.trainSeconds,
    loss: reply.loss,
    accuracy: reply.accuracy,
    note: `${pytorchNote(reply)}${keep ? '; glibc keeps freed memory (MALLOC_MMAP_THRESHOLD_ 32 MiB, MALLOC_TRIM_THRESHOLD_ 1 GiB)' : ''}`,
    details: {
      torch: reply.version,
      threads: reply.threads,
      blas: reply.blas.join(', '),
      keepFreedMemory: keep,
    },
  };
}
