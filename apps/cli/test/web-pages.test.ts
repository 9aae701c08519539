/**
 * The two pages in real headless Chromium, served by the built `tessera` command:
 * the playground draws digits stroke by stroke on an MNIST model and reads the
 * predictions, sets iris features and reads the class; the dashboard's epoch advances
 * while `train --dashboard` runs. Screenshots go to a temp folder (TESSERA_TEST_OUTPUT keeps them).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium, screenshotFolder } from '../src/testing/browser.js';
import { runBin, runInProcess } from '../src/testing/run-cli.js';
import { startServing } from '../src/testing/serve-process.js';
import { tempFolder } from '../src/testing/temp.js';
import { DIGIT_STROKES } from './fixtures/digit-strokes.js';

const tmp = tempFolder('tessera-web-');
const TEST_OUTPUT = screenshotFolder(join(tmp.dir, 'screenshots'));
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  tmp.cleanup();
});

async function train(args: string[], out: string): Promise<string> {
  const result = await runBin(['train', ...args, '--seed', '1', '--out', out]);
  expect(result.code, result.stderr).toBe(0);
  return join(out, 'checkpoints', 'latest.tsr');
}

/** Draws the strokes of a digit on the canvas with the mouse, stroke by stroke. */
async function drawDigit(page: Page, digit: number): Promise<void> {
  const box = (await page.getByTestId('draw').boundingBox())!;
  const margin = box.width * 0.15;
  const at = ([x, y]: [number, number]): [number, number] => [
    box.x + margin + x * (box.width - 2 * margin),
    box.y + margin + y * (box.height - 2 * margin),
  ];
  for (const stroke of DIGIT_STROKES[digit]!) {
    await page.mouse.move(...at(stroke[0]!));
    await page.mouse.down();
    for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps: 3 });
    await page.mouse.up();
  }
}

describe('tessera serve: the playground', () => {
  it('reads digits drawn stroke by stroke on an MNIST model', async () => {
    const checkpoint = await train(
      ['--model', 'mnist-mlp', '--dataset', 'mnist', '--epochs', '2', '--workers', '2'],
      join(tmp.dir, 'mnist'),
    );
    const served = await startServing(['serve', '--checkpoint', checkpoint, '--port', '0']);
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const outside: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(served.url)) outside.push(r.url());
      });
      await page.goto(served.url);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      const read: string[] = [];
      for (let digit = 0; digit <= 9; digit++) {
        await page.getByTestId('clear').click();
        await expect.poll(() => page.getByTestId('prediction').textContent()).toBe('–');
        await drawDigit(page, digit);
        await page.waitForTimeout(150);
        read.push((await page.getByTestId('prediction').textContent()) ?? '');
        if (digit === 3) await page.screenshot({ path: join(TEST_OUTPUT, 'playground-mnist.png') });
      }
      const right = read.filter((label, digit) => label === String(digit)).length;
      expect(right, `read ${read.join(' ')}`).toBeGreaterThanOrEqual(8);
      const bars = page.getByTestId('probabilities').locator('.bar-row');
      expect(await bars.count()).toBe(10);
      expect(outside).toEqual([]);
      await page.close();
    } finally {
      expect(await served.stop()).toBe(0);
    }
  }, 300_000);

  it('predicts iris from one input per feature', async () => {
    const checkpoint = await train(
      ['--model', 'iris-mlp', '--dataset', 'iris', '--epochs', '60', '--workers', '1'],
      join(tmp.dir, 'iris'),
    );
    const served = await startServing(['serve', '--checkpoint', checkpoint, '--port', '0']);
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
      await page.goto(served.url);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      const set = async (values: number[]): Promise<string> => {
        const names = ['SepalLength', 'SepalWidth', 'PetalLength', 'PetalWidth'];
        for (const [i, name] of names.entries())
          await page.getByTestId(`feature-${name}`).fill(String(values[i]));
        return (await page.getByTestId('prediction').textContent()) ?? '';
      };
      expect(await set([5.1, 3.5, 1.4, 0.2])).toBe('setosa');
      expect(await set([6.9, 3.1, 5.4, 2.1])).toBe('virginica');
      await page.screenshot({ path: join(TEST_OUTPUT, 'playground-iris.png'), fullPage: true });
      await page.close();
    } finally {
      expect(await served.stop()).toBe(0);
    }
  }, 180_000);
});

describe('tessera serve: a model with the normalization and noise layers', () => {
  it('loads in the page and predicts what tessera predict does', async () => {
    const module = fileURLToPath(new URL('./fixtures/normalized-model.mjs', import.meta.url));
    const checkpoint = await train(
      ['--model', module, '--dataset', 'iris', '--epochs', '20', '--workers', '1'],
      join(tmp.dir, 'iris-normalized'),
    );
    const samples = [
      [5.1, 3.5, 1.4, 0.2],
      [6.0, 2.7, 5.1, 1.6],
      [6.9, 3.1, 5.4, 2.1],
    ];
    const names = ['SepalLength', 'SepalWidth', 'PetalLength', 'PetalWidth'];
    const csv = tmp.file(
      'normalized-rows.csv',
      `${[names.join(','), ...samples.map((r) => r.join(','))].join('\n')}\n`,
    );
    const predicted = await runBin(['predict', '--checkpoint', checkpoint, '--input', csv]);
    expect(predicted.code, predicted.stderr).toBe(0);
    const labels = predicted.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',').at(-1));
    const served = await startServing(['serve', '--checkpoint', checkpoint, '--port', '0']);
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(served.url);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      const read: string[] = [];
      for (const values of samples) {
        for (const [i, name] of names.entries())
          await page.getByTestId(`feature-${name}`).fill(String(values[i]));
        read.push((await page.getByTestId('prediction').textContent()) ?? '');
      }
      expect(read).toEqual(labels);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      expect(await served.stop()).toBe(0);
    }
  }, 180_000);
});

describe('the server serves only its own files', () => {
  it('refuses path traversal, other methods, and a port in use', async () => {
    const checkpoint = await train(
      ['--model', 'iris-mlp', '--dataset', 'iris', '--epochs', '1', '--workers', '1'],
      join(tmp.dir, 'iris-small'),
    );
    const served = await startServing(['serve', '--checkpoint', checkpoint, '--port', '0']);
    try {
      const status = async (path: string): Promise<number> =>
        (await fetch(served.url.replace(/\/$/, '') + path)).status;
      // fetch() normalises `..` segments; raw requests keep them.
      const raw = (path: string): Promise<number> =>
        new Promise((resolve, reject) => {
          const url = new URL(served.url);
          import('node:http').then(({ request }) => {
            const req = request(
              { host: url.hostname, port: url.port, path, method: 'GET' },
              (res) => {
                res.resume();
                resolve(res.statusCode ?? 0);
              },
            );
            req.on('error', reject);
            req.end();
          }, reject);
        });
      for (const path of [
        '/../../etc/passwd',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/..%2f..%2fetc%2fpasswd',
        '/%2E%2E%5C%2E%2E%5Cetc%5Cpasswd',
        '/assets/../../package.json',
        '//etc/passwd',
        '/%252e%252e/etc/passwd',
        '/%00',
      ])
        expect([path, await raw(path)]).toEqual([path, 404]);
      expect(await status('/')).toBe(200);
      expect(await status('/api/playground')).toBe(200);
      expect((await fetch(served.url, { method: 'POST' })).status).toBe(405);
      const port = new URL(served.url).port;
      const second = await runBin(['serve', '--checkpoint', checkpoint, '--port', port]);
      expect(second.code).toBe(2);
      expect(second.stderr).toBe(
        `error: port ${port} is already in use on 127.0.0.1; choose another with --port\n`,
      );
    } finally {
      expect(await served.stop()).toBe(0);
    }
    expect(served.stdout()).toMatch(/Stopped\.\n$/);
  }, 120_000);

  it('warns when asked to listen beyond this machine', async () => {
    const checkpoint = join(tmp.dir, 'iris-small', 'checkpoints', 'latest.tsr');
    const served = await startServing([
      'serve',
      '--checkpoint',
      checkpoint,
      '--port',
      '0',
      '--host',
      '0.0.0.0',
    ]);
    await new Promise((r) => setTimeout(r, 200));
    expect(await served.stop()).toBe(0);
    expect(served.stderr()).toMatch(/^warning: listening on 0\.0\.0\.0: other machines/);
  }, 60_000);
});

describe('the training dashboard', () => {
  it('shows the epoch advance while train --dashboard runs, then serves the finished run', async () => {
    const out = join(tmp.dir, 'dash');
    const training = await startServing([
      'train',
      '--model',
      'iris-mlp',
      '--dataset',
      'iris',
      '--epochs',
      '400',
      '--workers',
      '1',
      '--batch-size',
      '8',
      '--dashboard',
      '--port',
      '0',
      '--out',
      out,
    ]);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(training.url);
    const epoch = async (): Promise<number> =>
      Number(await page.getByTestId('epoch').textContent());
    await expect.poll(epoch, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    const first = await epoch();
    await expect.poll(epoch, { timeout: 60_000 }).toBeGreaterThan(first);
    await expect(page.getByTestId('loss-chart').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(TEST_OUTPUT, 'dashboard-live.png'), fullPage: true });
    await page.close();
    expect(await training.exited).toBe(0);

    const served = await startServing(['dashboard', out, '--port', '0']);
    try {
      const done = await browser.newPage();
      await done.goto(served.url);
      await expect
        .poll(() => done.getByTestId('epoch').textContent(), { timeout: 30_000 })
        .toBe('400');
      expect(await done.locator('#status').textContent()).toBe('finished');
      expect(await done.getByTestId('checkpoints').locator('li').count()).toBeGreaterThan(0);
      await done.close();
    } finally {
      expect(await served.stop()).toBe(0);
    }
  }, 240_000);
});

describe('the page commands refuse bad input with one line', () => {
  it.each([
    [
      ['train', '--model', 'iris-mlp', '--dataset', 'iris', '--port', '7000'],
      /^error: --port and --host set up the dashboard: add --dashboard/,
    ],
    [
      ['dashboard', '/nonexistent-tessera-run'],
      /^error: \/nonexistent-tessera-run: no such run folder/,
    ],
    [
      ['serve', '--checkpoint', 'x.tsr', '--port', '70000'],
      /^error: .*port number in \[0, 65535\]/,
    ],
    [
      ['serve', '--checkpoint', '/nonexistent-tessera.tsr', '--port', '0'],
      /^error: .*nonexistent-tessera\.tsr/,
    ],
  ])('%j', async (args, message) => {
    const result = await runInProcess(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
