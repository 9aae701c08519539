/**
 * Ctrl-C handling through a child process (signals go to the whole process): the first
 * SIGINT aborts the signal and the run goes on to stop itself; a second one, or any after
 * `quitAtOnce()`, ends the process at once with 130 through `process.exit`, so the exit
 * listeners (the run folder's lock) still run.
 */
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { collect } from '../testing/run-cli.js';
import { tempFolder } from '../testing/temp.js';

const tmp = tempFolder('tessera-interrupt-');
afterAll(() => tmp.cleanup());

/** The built module (tests run after `npm run build`), for a child process to import. */
const BUILT = new URL('../../dist/train/interrupt.js', import.meta.url).href;

/** Runs `body` in a child with `handler` installed; it prints lines, then idles until killed. */
async function child(body: string): Promise<{ code: number; stdout: string }> {
  const proc = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { InterruptHandler } = await import(${JSON.stringify(BUILT)});
       const handler = new InterruptHandler(() => console.log('notified')).install();
       // A signal sent to oneself reaches the listener a moment later, not at a fixed turn.
       const handled = async () => { while (!handler.signal.aborted) await new Promise((r) => setTimeout(r, 1)); };
       process.on('exit', (code) => console.log('exit listener ran, code ' + code));
       ${body}
       setTimeout(() => { console.log('not stopped'); process.exit(0); }, 5000);`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const result = await collect(proc);
  return { code: result.code, stdout: result.stdout };
}

describe('InterruptHandler', () => {
  it('aborts its signal at the first Ctrl-C and tells, without ending the process', async () => {
    const result = await child(
      `process.kill(process.pid, 'SIGINT');
       await handled();
       console.log('aborted ' + handler.signal.aborted);
       process.exit(0);`,
    );
    expect(result.stdout).toBe('notified\naborted true\nexit listener ran, code 0\n');
    expect(result.code).toBe(0);
  });

  it('ends the process with 130 at the second, running the exit listeners', async () => {
    const result = await child(
      `process.kill(process.pid, 'SIGINT');
       await handled();
       process.kill(process.pid, 'SIGINT');`,
    );
    expect(result.stdout).toBe('notified\nexit listener ran, code 130\n');
    expect(result.code).toBe(130);
  });

  it('ends the process at the first once quitAtOnce() was called', async () => {
    const result = await child(
      `handler.quitAtOnce();
       process.kill(process.pid, 'SIGINT');`,
    );
    expect(result.stdout).toBe('exit listener ran, code 130\n');
    expect(result.code).toBe(130);
  });
});
