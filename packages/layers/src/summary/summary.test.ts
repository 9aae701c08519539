import { tf } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearSession, input, layers, model, sequential } from '../index.js';
import { columnWidths, formatBytes, formatCount, wrapText } from './format.js';
import { summaryLines, summaryText } from './summary.js';

beforeEach(() => {
  clearSession();
});

/** One table row of the default sequential layout (content widths 35, 28, 15). */
const row = (a: string, b: string, c: string) =>
  `│ ${a.padEnd(35)} │ ${b.padEnd(28)} │ ${c.padStart(15)} │`;
const TOP = `┏${'━'.repeat(37)}┳${'━'.repeat(30)}┳${'━'.repeat(17)}┓`;
const HEAD = `┃ ${'Layer (type)'.padEnd(35)} ┃ ${'Output Shape'.padEnd(28)} ┃ ${'Param #'.padStart(15)} ┃`;
const UNDER = `┡${'━'.repeat(37)}╇${'━'.repeat(30)}╇${'━'.repeat(17)}┩`;
const SEP = `├${'─'.repeat(37)}┼${'─'.repeat(30)}┼${'─'.repeat(17)}┤`;
const BOTTOM = `└${'─'.repeat(37)}┴${'─'.repeat(30)}┴${'─'.repeat(17)}┘`;

describe('summary', () => {
  it('course: my_model (l1 5, l2 3, y 1 on 4 inputs) prints the Keras table with 47 parameters', () => {
    const m = sequential(
      [
        layers.dense({ units: 5, activation: 'relu', name: 'l1' }),
        layers.dense({ units: 3, activation: 'relu', name: 'l2' }),
        layers.dense({ units: 1, name: 'y' }),
      ],
      { name: 'my_model' },
    );
    const x = tf.ones([2, 4]);
    m.apply(x).dispose();
    const printed: string[] = [];
    m.summary((line) => printed.push(line));
    expect(printed).toEqual([
      'Model: "my_model"',
      TOP,
      HEAD,
      UNDER,
      row('l1 (Dense)', '(None, 5)', '25'),
      SEP,
      row('l2 (Dense)', '(None, 3)', '18'),
      SEP,
      row('y (Dense)', '(None, 1)', '4'),
      BOTTOM,
      ' Total params: 47 (188.00 B)',
      ' Trainable params: 47 (188.00 B)',
      ' Non-trainable params: 0 (0.00 B)',
    ]);
    for (const line of printed.slice(1, 10)) expect([...line].length).toBe(88);
    x.dispose();
    m.dispose();
  });

  it('course: totals 31 for l1 Dense(2) on 4 inputs, Dense(3), Dense(3)', () => {
    const m = sequential([
      layers.dense({ units: 2, name: 'l1', inputShape: [4] }),
      layers.dense({ units: 3 }),
      layers.dense({ units: 3 }),
    ]);
    const lines = summaryLines(m);
    expect(lines).toContain(row('l1 (Dense)', '(None, 2)', '10'));
    expect(lines).toContain(row('dense (Dense)', '(None, 3)', '9'));
    expect(lines).toContain(row('dense_1 (Dense)', '(None, 3)', '12'));
    expect(lines.slice(-3)).toEqual([
      ' Total params: 31 (124.00 B)',
      ' Trainable params: 31 (124.00 B)',
      ' Non-trainable params: 0 (0.00 B)',
    ]);
    m.dispose();
  });

  it('course: the MNIST net totals 101,770 (397.54 KB)', () => {
    const m = sequential([
      layers.flatten({ inputShape: [28, 28] }),
      layers.dense({ units: 128, activation: 'relu' }),
      layers.dense({ units: 10 }),
    ]);
    const lines = summaryLines(m);
    expect(lines).toContain(row('flatten (Flatten)', '(None, 784)', '0'));
    expect(lines).toContain(row('dense (Dense)', '(None, 128)', '100,480'));
    expect(lines).toContain(row('dense_1 (Dense)', '(None, 10)', '1,290'));
    expect(lines).toContain(' Total params: 101,770 (397.54 KB)');
    expect(lines).toContain(' Trainable params: 101,770 (397.54 KB)');
    m.dispose();
  });

  it('counts frozen layers as non-trainable', () => {
    const m = sequential([layers.dense({ units: 2, inputShape: [3] }), layers.dense({ units: 1 })]);
    (m.layers[0] as (typeof m.layers)[0]).trainable = false;
    const lines = summaryLines(m);
    expect(lines.slice(-3)).toEqual([
      ' Total params: 11 (44.00 B)',
      ' Trainable params: 3 (12.00 B)',
      ' Non-trainable params: 8 (32.00 B)',
    ]);
    m.dispose();
  });

  it('shows "?" and "0 (unbuilt)" before a sequential model is built', () => {
    const m = sequential([layers.dense({ units: 2, name: 'd' })], { name: 'later' });
    expect(summaryLines(m)).toContain(row('d (Dense)', '?', '0 (unbuilt)'));
  });

  it('adds "Connected to" for a functional model with branches', () => {
    const a = input({ shape: [4], name: 'a' });
    const h = layers.dense({ units: 3, name: 'h' }).apply(a);
    const g = layers.dense({ units: 3, name: 'g' }).apply(a);
    const s = layers.add({ name: 's' }).apply([h, g]);
    const m = model({ inputs: a, outputs: s, name: 'branchy' });
    const text = summaryText(m);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Model: "branchy"');
    for (const line of lines.slice(1, -3)) expect([...line].length).toBe(108);
    const widths = columnWidths(108, [0.3, 0.56, 0.74, 1]);
    expect(widths).toEqual([28, 25, 16, 26]);
    const frow = (p: string, q: string, r: string, c: string) =>
      `│ ${p.padEnd(28)} │ ${q.padEnd(25)} │ ${r.padStart(16)} │ ${c.padEnd(26)} │`;
    expect(lines).toContain(frow('a (InputLayer)', '(None, 4)', '0', '-'));
    expect(lines).toContain(frow('h (Dense)', '(None, 3)', '15', 'a[0][0]'));
    expect(lines).toContain(frow('s (Add)', '(None, 3)', '0', 'h[0][0], g[0][0]'));
    expect(lines.at(-3)).toBe(' Total params: 30 (120.00 B)');
    m.dispose();
  });

  it('wraps long cells inside their column', () => {
    const m = sequential([
      layers.dense({ units: 2, name: 'a_rather_long_layer_name_for_this_column', inputShape: [2] }),
    ]);
    const lines = summaryLines(m, { lineLength: 60 });
    for (const line of lines.slice(1, -3)) expect([...line].length).toBe(60);
    expect(lines.some((l) => l.includes('(Dense)'))).toBe(true);
    m.dispose();
  });
});

describe('summary formatting helpers', () => {
  it('formatCount groups thousands', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(101770)).toBe('101,770');
    expect(formatCount(1234567)).toBe('1,234,567');
  });

  it('formatBytes uses 1024 steps and two decimals', () => {
    expect(formatBytes(0)).toBe('0.00 B');
    expect(formatBytes(188)).toBe('188.00 B');
    expect(formatBytes(1024)).toBe('1.00 KB');
    expect(formatBytes(407080)).toBe('397.54 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.00 MB');
  });

  it('wrapText breaks at spaces, then inside long words', () => {
    expect(wrapText('input_layer (InputLayer)', 14)).toEqual(['input_layer', '(InputLayer)']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('', 4)).toEqual(['']);
  });
});
