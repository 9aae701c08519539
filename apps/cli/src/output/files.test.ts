import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IOError } from '@tessera/core';
import { afterAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../testing/temp.js';
import { claimRunFolder, defaultRunFolder } from './files.js';

const tmp = tempFolder('tessera-run-folder-');
afterAll(() => tmp.cleanup());

describe('the default run folder', () => {
  const now = new Date('2026-05-01T12:30:05.123Z');
  const stamp = '2026-05-01T12-30-05';

  it('is runs/<timestamp>, made with runs/ when that is missing', async () => {
    expect(defaultRunFolder(now)).toBe(join('runs', stamp));
    const base = join(tmp.dir, 'fresh');
    mkdirSync(base);
    expect(await claimRunFolder(now, base)).toEqual({
      dir: join(base, 'runs', stamp),
      runsMade: join(base, 'runs'),
    });
    expect(existsSync(join(base, 'runs', stamp))).toBe(true);
  });

  it('gets a suffix when a run of the same second has it', async () => {
    const base = join(tmp.dir, 'taken');
    mkdirSync(join(base, 'runs', stamp), { recursive: true });
    mkdirSync(join(base, 'runs', `${stamp}-2`));
    // runs/ was there already: it is not this run's to remove.
    expect(await claimRunFolder(now, base)).toEqual({ dir: join(base, 'runs', `${stamp}-3`) });
  });

  it('is never the same for runs started at once', async () => {
    const base = join(tmp.dir, 'together');
    mkdirSync(base);
    const folders = await Promise.all(Array.from({ length: 6 }, () => claimRunFolder(now, base)));
    expect(new Set(folders).size).toBe(6);
    expect(readdirSync(join(base, 'runs')).sort()).toEqual(
      [stamp, ...[2, 3, 4, 5, 6].map((n) => `${stamp}-${n}`)].sort(),
    );
  });

  it('names the folder when runs/ cannot be made', async () => {
    const base = join(tmp.dir, 'blocked');
    mkdirSync(base);
    writeFileSync(join(base, 'runs'), 'a file where the folder would go');
    await expect(claimRunFolder(now, base)).rejects.toThrow(IOError);
    await expect(claimRunFolder(now, base)).rejects.toThrow(
      new RegExp(`--out .*runs.${stamp}: cannot write to this folder`),
    );
  });
});
