/**
 * Once per test run, builds src/ into a private folder for the tests' worker threads, so
 * they load plain JavaScript instead of each compiling src/*.ts through tsx (about a second
 * per thread, at every pool start). The build is of the sources as they stand when the run
 * starts, and again before each rerun in watch mode, so no test runs stale worker code (the
 * reason the workers no longer load dist/). test/fixtures/worker-from-source.mjs finds it
 * through TESSERA_TEST_WORKER, which the test processes inherit; without it (a test run
 * some other way), the fixture compiles src/worker.ts through tsx as before.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

const run = promisify(execFile);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  // Inside the package, so the build's bare imports (@tessera/layers, …) resolve as dist's do;
  // one folder per run, so two runs side by side never read each other's half-written files.
  const out = join(root, 'node_modules', '.cache', 'tessera-test-worker', String(process.pid));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const build = async (): Promise<void> => {
    await rm(out, { recursive: true, force: true });
    // The package's own build settings; type errors are typecheck's job, not the tests'.
    await run(
      process.execPath,
      [
        tsc,
        '-p',
        'tsconfig.build.json',
        '--outDir',
        out,
        '--noCheck',
        '--declaration',
        'false',
        '--declarationMap',
        'false',
        '--sourceMap',
        'false',
      ],
      { cwd: root },
    );
  };
  await build();
  process.env['TESSERA_TEST_WORKER'] = pathToFileURL(join(out, 'worker.js')).href;
  project.onTestsRerun(build);
  return () => rm(out, { recursive: true, force: true });
}
