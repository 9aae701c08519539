import { svgToPng } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { CHART_PNG_ZOOM, curvePanels, learningCurvesSvg } from './learning-curves.js';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function polylines(svg: string): string[][] {
  return [...svg.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1]!.split(' '));
}

describe('curvePanels', () => {
  it('pairs each quantity with its validation series, loss first', () => {
    const panels = curvePanels({
      accuracy: [0.5],
      val_accuracy: [0.4],
      loss: [1],
      val_loss: [2],
      mae: [3],
    });
    expect(panels.map((p) => p.name)).toEqual(['loss', 'accuracy', 'mae']);
    expect(panels[0]).toEqual({ name: 'loss', train: [1], validation: [2] });
    expect(panels[2]!.validation).toBeUndefined();
  });
});

describe('learningCurvesSvg', () => {
  const history = {
    loss: [1.2, 0.6, 0.3],
    val_loss: [1.3, 0.8, 0.5],
    accuracy: [0.5, 0.8, 0.9],
    val_accuracy: [0.4, 0.7, 0.85],
  };
  const svg = learningCurvesSvg({ epochs: [1, 2, 3], history, title: 'iris <test> & co' });

  it('draws one line per series with one point per epoch', () => {
    const lines = polylines(svg);
    expect(lines).toHaveLength(4);
    for (const points of lines) expect(points).toHaveLength(3);
    expect(svg.match(/<circle /g)).toHaveLength(12);
  });

  it('places points by value: a falling loss goes down the page (SVG y grows downward)', () => {
    const [train] = polylines(svg);
    const ys = train!.map((p) => Number(p.split(',')[1]));
    const xs = train!.map((p) => Number(p.split(',')[0]));
    expect(ys[0]!).toBeLessThan(ys[1]!);
    expect(ys[1]!).toBeLessThan(ys[2]!);
    // Epochs are evenly spaced.
    expect(xs[1]! - xs[0]!).toBeCloseTo(xs[2]! - xs[1]!, 6);
  });

  it('puts the y axis on nice ticks around the data and escapes text', () => {
    // loss values span 0.3..1.3 -> step 0.2 -> ticks 0.2 … 1.4
    expect(svg).toContain('>0.2</text>');
    expect(svg).toContain('>1.4</text>');
    expect(svg).toContain('iris &lt;test&gt; &amp; co');
    expect(svg).not.toContain('<test>');
  });

  it('breaks a line at a non-finite value instead of drawing through it', () => {
    const broken = learningCurvesSvg({
      epochs: [1, 2, 3, 4],
      history: { loss: [1, 0.5, Number.NaN, 0.2] },
    });
    expect(polylines(broken).map((p) => p.length)).toEqual([2]);
    expect(broken.match(/<circle /g)).toHaveLength(3);
  });

  it('labels the x axis at the first and the last epoch', () => {
    const ten = learningCurvesSvg({
      epochs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      history: { loss: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1] },
    });
    const labels = [...ten.matchAll(/text-anchor="middle" font-size="11">(\d+)<\/text>/g)].map(
      (m) => Number(m[1]),
    );
    expect(labels).toEqual([1, 2, 4, 6, 8, 10]);
  });

  it('handles a single epoch and an empty history', () => {
    expect(
      learningCurvesSvg({ epochs: [1], history: { loss: [0.7] } }).match(/<circle /g),
    ).toHaveLength(1);
    expect(learningCurvesSvg({ epochs: [], history: {} })).toContain('no epochs recorded');
  });

  it('is well-formed SVG that renders to a PNG at twice its size', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="840" height="354"')).toBe(
      true,
    );
    const png = svgToPng(svg, { zoom: CHART_PNG_ZOOM });
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: 1680, height: 708 });
  });
});
