import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import { expectFault, HANG_TIMEOUT_MS } from './testing/faults.js';
import { blobs, faultProbe, probedClassifier, registerFaultProbe } from './testing/fixtures.js';

registerFaultProbe();

describe('fit: faults in workers', () => {
  it('a worker that throws fails the step and keeps the weights of the step before', async () => {
    await expectFault(1000, /injected fault/, { stepwise: true });
  });

  it('a worker thread that exits fails the step the same way', async () => {
    await expectFault(2000, /exit/i, { stepwise: true });
  });

  it('a worker that hangs past stepTimeoutMs is stopped and named', async () => {
    await expectFault(3000, /no answer within stepTimeoutMs=5000 ms/, {
      stepTimeoutMs: HANG_TIMEOUT_MS,
      stepwise: true,
    });
  });

  it('names a custom function the workers cannot resolve, and how to register it', async () => {
    const model = probedClassifier().make();
    await expect(fit(model, blobs(40), { workers: 2, epochs: 1 })).rejects.toThrow(
      /worker \d failed \(starting\): the worker could not rebuild the model: .*fault_probe.*customObjects/s,
    );
  });

  it('lets the process exit by itself after a hung worker', () => {
    const script = fileURLToPath(new URL('../test/fixtures/hang-then-exit.mjs', import.meta.url));
    const result = spawnSync(process.execPath, [script, faultProbe], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toMatch(/^rejected: fit: worker 1 failed at step 3/);
    expect(result.status).toBe(0);
  });
});
