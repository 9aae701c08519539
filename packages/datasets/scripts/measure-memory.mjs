// Resident memory of MNIST-train held once and read by 1, 2 and 4 worker threads.
//
//   npm run build -w @tessera/datasets
//   node packages/datasets/scripts/measure-memory.mjs
//
// Each configuration runs in a fresh child process (so one run's freed memory cannot hide
// the next run's growth): load MNIST-train into shared memory, start N workers, let every
// worker read all 47,040,000 bytes (44.9 MiB) of pixels (so each page is really mapped), then read
// process.memoryUsage().rss. Three worker modes:
//   idle:   the worker imports @tessera/datasets but gets no dataset (thread overhead alone);
//   attach: the worker runs Dataset.attach(description) — the trainer's way;
//   copy:   the worker copies the pixels (what a non-shared dataset would cost), as a control
//           that the measurement does see per-worker copies.
// The cost of the data per worker is rss(attach) - rss(idle); it should be ~0, against
// ~45 MiB per worker for `copy`.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Dataset, loadMnist } from '@tessera/datasets';

const MB = 1024 * 1024;
const self = fileURLToPath(import.meta.url);

function sumBytes(bytes) {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum += bytes[i];
  return sum;
}

function settle() {
  globalThis.gc?.();
  globalThis.gc?.();
}

async function child(mode, workers) {
  settle();
  const before = process.memoryUsage().rss;
  const train = loadMnist({ split: 'train', shared: true });
  const expected = sumBytes(train.features);
  settle();
  const loaded = process.memoryUsage().rss;
  const description = train.describe();
  const threads = [];
  const sums = [];
  for (let i = 0; i < workers; i++) {
    const worker = new Worker(self, { workerData: { mode, description } });
    threads.push(worker);
    sums.push(
      new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
    );
  }
  const seen = await Promise.all(sums);
  if (mode !== 'idle' && !seen.every((s) => s === expected)) {
    throw new Error(`a worker read a different pixel sum: ${seen} vs ${expected}`);
  }
  settle();
  const withWorkers = process.memoryUsage().rss;
  for (const worker of threads) worker.postMessage('exit');
  await Promise.all(threads.map((w) => new Promise((resolve) => w.once('exit', resolve))));
  process.stdout.write(
    JSON.stringify({
      mode,
      workers,
      before,
      loaded,
      withWorkers,
      datasetBytes: train.features.byteLength,
    }),
  );
}

function worker() {
  const { mode, description } = workerData;
  let sum = 0;
  let keep;
  if (mode === 'attach') {
    keep = Dataset.attach(description);
    sum = sumBytes(keep.features);
  } else if (mode === 'copy') {
    keep = new Uint8Array(Dataset.attach(description).features);
    sum = sumBytes(keep);
  }
  parentPort.postMessage(sum);
  parentPort.once('message', () => {
    keep = undefined;
    process.exit(0);
  });
}

function parent() {
  const rows = [];
  for (const workers of [0, 1, 2, 4]) {
    for (const mode of workers === 0 ? ['attach'] : ['idle', 'attach', 'copy']) {
      const out = execFileSync(
        process.execPath,
        ['--expose-gc', self, '--child', mode, String(workers)],
        {
          encoding: 'utf8',
        },
      );
      rows.push(JSON.parse(out));
    }
  }
  const fmt = (bytes) => (bytes / MB).toFixed(1).padStart(8);
  const base = rows[0];
  console.log(`MNIST-train pixels: ${(base.datasetBytes / MB).toFixed(1)} MiB (uint8, shared)`);
  console.log(
    `rss before loading: ${fmt(base.before)} MiB; after loading: ${fmt(base.loaded)} MiB`,
  );
  console.log('');
  console.log('workers  mode    rss MiB  vs no workers  data cost per worker (vs idle)');
  for (const row of rows) {
    const idle = rows.find((r) => r.workers === row.workers && r.mode === 'idle');
    const growth = row.withWorkers - base.withWorkers;
    const perWorker =
      idle && row.workers > 0 ? (row.withWorkers - idle.withWorkers) / row.workers : 0;
    console.log(
      `${String(row.workers).padStart(7)}  ${row.mode.padEnd(6)} ${fmt(row.withWorkers)} ${fmt(growth)}       ${row.mode === 'idle' ? '       -' : fmt(perWorker)}`,
    );
  }
}

if (!isMainThread) {
  worker();
} else if (process.argv[2] === '--child') {
  await child(process.argv[3], Number(process.argv[4]));
} else {
  parent();
}
