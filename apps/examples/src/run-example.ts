/**
 * Runs one example the way `npm run example -- <name>` does (scripts/example.mjs), from a
 * fresh temporary folder so files it writes (checkpoints) never land in the repository.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The repository's examples/ folder. */
export const EXAMPLES_DIR = new URL('../../../examples/', import.meta.url).pathname;

// tsx's ESM loader only, as scripts/example.mjs uses it.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;

/** What an example printed and how it ended. */
export interface ExampleRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs examples/<name>.ts with the MNIST example shortened (TESSERA_EXAMPLE_QUICK=1). */
export async function runExample(name: string): Promise<ExampleRun> {
  const cwd = mkdtempSync(join(tmpdir(), `tessera-example-${name}-`));
  try {
    const child = spawn(
      process.execPath,
      ['--import', TSX_LOADER, join(EXAMPLES_DIR, `${name}.ts`)],
      { cwd, env: { ...process.env, TESSERA_EXAMPLE_QUICK: '1' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stdout, stderr };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** The number after `label` in `text` (e.g. "test accuracy: 0.93"). */
export function numberAfter(text: string, label: string): number {
  const at = text.indexOf(label);
  if (at < 0) throw new Error(`expected "${label}" in the output. Received:\n${text}`);
  const match = /-?\d+(\.\d+)?/.exec(text.slice(at + label.length));
  if (match === null) throw new Error(`expected a number after "${label}". Received:\n${text}`);
  return Number(match[0]);
}
