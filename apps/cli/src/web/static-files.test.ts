import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../testing/temp.js';
import { contentType, resolveStaticFile } from './static-files.js';

const tmp = tempFolder('tessera-static-');
afterAll(() => tmp.cleanup());
const root = join(tmp.dir, 'site');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'page.html'), '<p>');
writeFileSync(join(root, 'assets', 'app.js'), '1');
writeFileSync(join(tmp.dir, 'secret.txt'), 'no');
symlinkSync(join(tmp.dir, 'secret.txt'), join(root, 'link.txt'));

describe('resolveStaticFile', () => {
  it('finds the files of the folder', () => {
    expect(resolveStaticFile(root, '/page.html')).toMatch(/site[/\\]page\.html$/);
    expect(resolveStaticFile(root, '/assets/app.js')).toMatch(/app\.js$/);
    expect(resolveStaticFile(root, '/assets%2Fapp.js')).toMatch(/app\.js$/);
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/..%5csecret.txt',
    '/assets/../../secret.txt',
    '/link.txt',
    '/assets',
    '/',
    '/%00page.html',
    '/%E0%A4%A',
    '/C:/Windows/win.ini',
    '/missing.html',
  ])('refuses %s', (path) => {
    expect(resolveStaticFile(root, path)).toBeUndefined();
  });

  it('names the content types of a build', () => {
    expect(contentType('a.js')).toBe('text/javascript; charset=utf-8');
    expect(contentType('a.HTML')).toBe('text/html; charset=utf-8');
    expect(contentType('a.bin')).toBe('application/octet-stream');
  });
});
