// `npm run example -- <name>` runs examples/<name>.ts with tsx's ESM loader. Only the ESM
// loader: the trainer's worker threads inherit it, and one module loader keeps a single
// copy of each @tessera package in every thread.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('../examples/', import.meta.url).pathname;
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const name = process.argv[2];
if (name === undefined || !existsSync(join(dir, `${name}.ts`))) {
  const got = name === undefined ? 'no name' : `"${name}"`;
  console.error(`error: expected an example name, one of: ${names.join(', ')}. Received: ${got}`);
  process.exit(2);
}
const loader = import.meta.resolve('tsx/esm');
const run = spawnSync(
  process.execPath,
  ['--import', loader, join(dir, `${name}.ts`), ...process.argv.slice(3)],
  {
    stdio: 'inherit',
  },
);
process.exit(run.status ?? 1);
