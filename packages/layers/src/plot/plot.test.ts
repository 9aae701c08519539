import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { FormatError, ValueError } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearSession, input, layers, model, sequential } from '../index.js';
import { plotModel } from './dot.js';
import { plotModelToFile, renderDot, svgToPng } from './render.js';

beforeEach(() => {
  clearSession();
});

function myModel() {
  return sequential(
    [
      input({ shape: [4] }),
      layers.dense({ units: 5, activation: 'relu', name: 'l1' }),
      layers.dense({ units: 3, activation: 'relu', name: 'l2' }),
      layers.dense({ units: 1, name: 'y' }),
    ],
    { name: 'my_model' },
  );
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('plotModel (DOT)', () => {
  it('has a node per layer and an edge per connection, with the requested details', () => {
    const m = myModel();
    const dot = plotModel(m, {
      showShapes: true,
      showLayerActivations: true,
      showTrainable: true,
      rankdir: 'LR',
      dpi: 120,
    });
    expect(dot.startsWith('digraph "my_model" {')).toBe(true);
    expect(dot).toContain('rankdir=LR, dpi=120');
    expect(dot).toContain('<b>l1</b> (Dense)');
    expect(dot).toContain('<b>input_layer</b> (InputLayer)');
    expect(dot).toContain('Output shape: (None, 5)');
    expect(dot).toContain('Input shape: (None, 5)');
    expect(dot).toContain('Activation: relu');
    expect(dot).toContain('Trainable: True');
    expect(dot.match(/->/g)?.length).toBe(3);
    const bare = plotModel(m, { showLayerNames: false });
    expect(bare).not.toContain('l1');
    expect(bare).not.toContain('Output shape');
    expect(bare).toContain('<b>Dense</b>');
    m.dispose();
  });

  it('draws both edges into a join and escapes names', () => {
    const a = input({ shape: [2], name: 'a<&>' });
    const b = input({ shape: [2], name: 'b' });
    const m = model({ inputs: [a, b], outputs: layers.add({ name: 'sum' }).apply([a, b]) });
    const dot = plotModel(m);
    expect(dot).toContain('a&lt;&amp;&gt;');
    expect(dot).toContain('layer_0 -> layer_2;');
    expect(dot).toContain('layer_1 -> layer_2;');
    m.dispose();
  });

  it('rejects bad options', () => {
    const m = myModel();
    expect(() => plotModel(m, { rankdir: 'XY' as 'TB' })).toThrow(ValueError);
    expect(() => plotModel(m, { rankdir: 'XY' as 'TB' })).toThrow('Received: rankdir="XY"');
    expect(() => plotModel(m, { dpi: 0 })).toThrow('Received: dpi=0');
    m.dispose();
  });
});

describe('rendering', () => {
  it('renders SVG that parses and contains the layer names', async () => {
    const m = myModel();
    const svg = await renderDot(plotModel(m, { showShapes: true }), 'svg');
    expect(svg).toMatch(/<svg[\s>]/);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    for (const name of ['l1', 'l2', 'y', 'Dense', '(None, 5)']) expect(svg).toContain(name);
    const parsed = new Resvg(svg);
    expect(parsed.width).toBeGreaterThan(50);
    expect(parsed.height).toBeGreaterThan(parsed.width);
    m.dispose();
  });

  it('renders a PNG with the PNG signature and a size that follows dpi', async () => {
    const m = myModel();
    const small = await renderDot(plotModel(m, { dpi: 72 }), 'png');
    const large = await renderDot(plotModel(m, { dpi: 144 }), 'png');
    expect(Array.from(small.slice(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const s = pngSize(small);
    const l = pngSize(large);
    expect(s.width).toBeGreaterThan(60);
    expect(s.height).toBeGreaterThan(200);
    expect(Math.abs(l.width / s.width - 2)).toBeLessThan(0.05);
    expect(large.length).toBeGreaterThan(small.length);
    m.dispose();
  });

  it('svgToPng: zoom pixels per viewBox unit, a FormatError for text that is not SVG', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10" viewBox="0 0 40 10"><text x="1" y="9">a</text></svg>';
    expect(pngSize(svgToPng(svg))).toEqual({ width: 40, height: 10 });
    expect(pngSize(svgToPng(svg, { zoom: 2 }))).toEqual({ width: 80, height: 20 });
    expect(() => svgToPng('not svg')).toThrow(FormatError);
    expect(() => svgToPng(svg, { zoom: 0 })).toThrow(
      'svgToPng: zoom must be positive. Received: zoom=0',
    );
  });

  it('writes .dot, .svg and .png files, and refuses other extensions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-plot-'));
    const m = myModel();
    try {
      await plotModelToFile(m, join(dir, 'm.dot'));
      await plotModelToFile(m, join(dir, 'm.svg'), { showShapes: true });
      await plotModelToFile(m, join(dir, 'm.png'));
      expect((await readFile(join(dir, 'm.dot'), 'utf8')).startsWith('digraph')).toBe(true);
      expect(await readFile(join(dir, 'm.svg'), 'utf8')).toContain('(None, 3)');
      expect(Array.from((await readFile(join(dir, 'm.png'))).subarray(1, 4))).toEqual([80, 78, 71]);
      await expect(plotModelToFile(m, join(dir, 'm.gif'))).rejects.toThrow('Received: path=');
      await expect(renderDot('digraph {', 'svg')).rejects.toThrow(ValueError);
    } finally {
      await rm(dir, { recursive: true, force: true });
      m.dispose();
    }
  });
});
