/**
 * The README's commands, run in order exactly as written: every line of every ```sh block
 * (a trailing `\` joins the next line). `tessera` commands run in a fresh folder that sees
 * the repository's node_modules/ and examples/ (what a clone's root has), so nothing they
 * write lands in the repository; `npm run …` commands run at the repository root.
 *
 * Skipped, each run by CI as a step of its own: `npm ci`, `npm start`, `npm test` (this test
 * is part of it), `npm run typecheck` and `npm run lint`. Commands that serve a page until
 * Ctrl-C, or need PyTorch, are shown in ```text blocks and are not commands to run in a row.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliResult, collect } from '../src/testing/run-cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SKIPPED = /^npm (ci|start|test|run typecheck|run lint)\b/;

/** The commands of the README's ```sh blocks, in order, continuation lines joined. */
function readmeCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
}

const cwd = mkdtempSync(join(tmpdir(), 'tessera-readme-'));
symlinkSync(join(ROOT, 'node_modules'), join(cwd, 'node_modules'));
symlinkSync(join(ROOT, 'examples'), join(cwd, 'examples'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function sh(command: string): Promise<CliResult> {
  const where = command.startsWith('npm ') ? ROOT : cwd;
  return collect(spawn('bash', ['-c', command], { cwd: where, stdio: ['ignore', 'pipe', 'pipe'] }));
}

describe('README commands', () => {
  const commands = readmeCommands(README);

  it('are the ones this test expects to find', () => {
    expect(commands[0]).toBe(
      "npm ci && npm start     # install, build, and train the course's MNIST network on all cores",
    );
    expect(commands.filter((c) => c.startsWith('npx tessera ')).length).toBeGreaterThanOrEqual(10);
    expect(commands.some((c) => c.startsWith('npm run example -- '))).toBe(true);
  });

  it('all succeed, in order, as written', async () => {
    const ran: string[] = [];
    for (const command of commands) {
      if (SKIPPED.test(command)) continue;
      const result = await sh(command);
      expect(result.code, `${command}\n${result.stderr}`).toBe(0);
      ran.push(command);
      if (command.includes('--json')) {
        expect(JSON.parse(result.stdout.trim())).toMatchObject({ command: 'train' });
      }
    }
    expect(ran.length).toBeGreaterThanOrEqual(12);
    // What the commands claim to write is there.
    const labels = readFileSync(join(cwd, 'labels.csv'), 'utf8').trim().split('\n');
    const flowers = readFileSync(join(ROOT, 'examples', 'flowers.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(labels).toHaveLength(flowers.length);
    expect(labels[0]!.split(',').at(-1)).toBe('label');
    expect(readFileSync(join(cwd, 'model.svg'), 'utf8')).toContain('<svg');
    expect(JSON.parse(readFileSync(join(cwd, 'web-model', 'model.json'), 'utf8'))).toHaveProperty(
      'modelTopology',
    );
    for (const run of ['mnist', 'iris', 'custom'])
      expect(
        readFileSync(join(cwd, 'runs', run, 'checkpoints', 'best.tsr')).length,
      ).toBeGreaterThan(0);
  }, 900_000);
});
