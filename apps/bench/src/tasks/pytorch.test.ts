import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bandImages } from '../testing/bands.js';
import { writeMnistFiles } from './mnist-files.js';
import {
  describeBlas,
  KEEP_FREED_MEMORY,
  PYTORCH_MISSING,
  pytorchLabel,
  pytorchNote,
  runPytorch,
  SYSTEM_PYTHON,
} from './pytorch.js';
import type { CompletedRun } from './result.js';

function torchInstalled(): boolean {
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('runPytorch', () => {
  it('skips with the install hint when the interpreter has no torch', async () => {
    const run = await runPytorch({ dataDir: tmpdir(), python: '/nonexistent/python3' });
    expect(run).toEqual({
      runner: 'pytorch',
      label: 'PyTorch ×1',
      status: 'skipped',
      reason: PYTORCH_MISSING,
    });
    expect(PYTORCH_MISSING).toBe('not installed (apt-get install python3-torch)');
    const kept = await runPytorch({
      dataDir: tmpdir(),
      python: '/nonexistent/python3',
      threads: 2,
      keepFreedMemory: true,
    });
    expect(kept).toMatchObject({ label: 'PyTorch ×2, memory kept', status: 'skipped' });
  });

  it('labels the rows and names the malloc settings that keep freed memory', () => {
    expect(pytorchLabel(1, false)).toBe('PyTorch ×1');
    expect(pytorchLabel(4, true)).toBe('PyTorch ×4, memory kept');
    // glibc takes at most 32 MiB as the threshold for a block of its own mapping.
    expect(KEEP_FREED_MEMORY).toEqual({
      MALLOC_MMAP_THRESHOLD_: '33554432',
      MALLOC_TRIM_THRESHOLD_: '1073741824',
    });
  });

  // Runs only where Debian's python3-torch is installed; tests never install it.
  it.skipIf(!torchInstalled())('trains the reference network on one thread', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-pytorch-'));
    try {
      const { images, labels } = bandImages(1280);
      await writeMnistFiles({ dir, images, labels, pixels: 784 });
      const runs = [
        await runPytorch({ dataDir: dir }),
        await runPytorch({ dataDir: dir, keepFreedMemory: true }),
      ];
      for (const run of runs) {
        expect(run.status, run.status === 'ok' ? '' : run.reason).toBe('ok');
        if (run.status !== 'ok') return;
        expect(run.examples).toBe(1280);
        expect(run.steps).toBe(10);
        expect(run.details?.['threads']).toBe(1);
        expect(run.accuracy).toBeGreaterThan(0.6);
        expect(run.loss).toBeLessThan(1.6); // chance: ln 10 ≈ 2.30
        expect(run.note).toMatch(/^torch \S+, 1 thread, /);
      }
      // The same seed and steps: only the allocator's settings differ.
      const [plain, kept] = runs as CompletedRun[];
      expect(kept!.loss).toBe(plain!.loss);
      expect(kept!.details?.['keepFreedMemory']).toBe(true);
      expect(kept!.note).toMatch(/glibc keeps freed memory/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('describeBlas and pytorchNote', () => {
  it('names the BLAS from the mapped library paths', () => {
    expect(describeBlas(['/usr/lib/x86_64-linux-gnu/blas/libblas.so.3'])).toBe(
      'reference BLAS (netlib)',
    );
    expect(
      describeBlas([
        '/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3',
        '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so',
      ]),
    ).toBe('OpenBLAS');
    expect(describeBlas(['/opt/intel/libmkl_rt.so.2'])).toBe('MKL');
    expect(describeBlas([])).toBe('no BLAS library mapped');
    expect(describeBlas(['/x/libfooblas.so'])).toBe('unknown BLAS (/x/libfooblas.so)');
  });

  it('says what ran, and how to get OpenBLAS when the reference BLAS ran', () => {
    expect(pytorchNote({ version: '1.13.0', threads: 1, blas: ['/a/openblas/libblas.so.3'] })).toBe(
      'torch 1.13.0, 1 thread, OpenBLAS',
    );
    expect(
      pytorchNote({ version: '1.13.0', threads: 2, blas: ['/usr/lib/blas/libblas.so.3'] }),
    ).toBe(
      'torch 1.13.0, 2 threads, reference BLAS (netlib); OpenBLAS would be much faster (apt-get install libopenblas0-pthread)',
    );
  });
});
