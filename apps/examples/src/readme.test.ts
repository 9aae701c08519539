import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_DIR } from './run-example.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('shows only TypeScript that is an example file, so what it shows is what the tests run', () => {
    const blocks = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    const files = readdirSync(EXAMPLES_DIR)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(EXAMPLES_DIR, f), 'utf8'));
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(files).toContain(block);
  });

  it('names every example it lists and runs them with npm run example', () => {
    for (const f of readdirSync(EXAMPLES_DIR).filter((n) => n.endsWith('.ts'))) {
      expect(README).toContain(`\`${f.slice(0, -3)}\``);
    }
    expect(README).toContain('npm run example -- ');
  });
});
