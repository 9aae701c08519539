/**
 * The run folder's lock: released by `release()`, and by the process exiting while it is
 * held — a second Ctrl-C ends `train` with `process.exit(130)` — together with the
 * exiting process's own checkpoint temp files (never another live writer's).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collect } from '../testing/run-cli.js';
import { tempFolder } from '../testing/temp.js';
import { lockRunFolder } from './run-lock.js';

const tmp = tempFolder('tessera-run-lock-');
afterAll(() => tmp.cleanup());

const LOCK = '.tessera-train.lock';
/** The built module (tests run after `npm run build`), for a child process to import. */
const BUILT = new URL('../../dist/train/run-lock.js', import.meta.url).href;

describe('lockRunFolder', () => {
  it('holds the pid until release(), and stops listening for exit then', () => {
    const dir = join(tmp.dir, 'released');
    mkdirSync(dir);
    const listeners = process.listenerCount('exit');
    const lock = lockRunFolder(dir);
    expect(readFileSync(join(dir, LOCK), 'utf8')).toBe(`${process.pid}\n`);
    expect(process.listenerCount('exit')).toBe(listeners + 1);
    lock.release();
    expect(existsSync(join(dir, LOCK))).toBe(false);
    expect(process.listenerCount('exit')).toBe(listeners);
  });

  it('goes with the process that exits holding it, and so do its own temp files', async () => {
    const dir = join(tmp.dir, 'exited');
    const checkpoints = join(dir, 'checkpoints');
    mkdirSync(checkpoints, { recursive: true });
    // A temp file of another live writer (this test's process) must stay.
    const other = tmp.file(join('exited', 'checkpoints', `.best.tsr.${process.pid}.0a0b.tmp`), '');
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { writeFileSync } from 'node:fs';
         import { join } from 'node:path';
         const { lockRunFolder } = await import(${JSON.stringify(BUILT)});
         const [dir, checkpoints] = process.argv.slice(1);
         lockRunFolder(dir, { tempFilesIn: [checkpoints] });
         // A checkpoint being written when the second Ctrl-C comes.
         writeFileSync(join(checkpoints, '.latest.tsr.' + process.pid + '.c0ffee.tmp'), 'partial');
         process.exit(130);`,
        dir,
        checkpoints,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const result = await collect(child);
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toBe('');
    expect(existsSync(join(dir, LOCK))).toBe(false);
    expect(readdirSync(checkpoints)).toEqual([other.split('/').at(-1)]);
  });
});
