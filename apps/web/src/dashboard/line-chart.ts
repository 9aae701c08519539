/** One line of a chart: its legend name, colour and (x, y) points. */
export interface Series {
  name: string;
  color: string;
  points: ReadonlyArray<readonly [number, number]>;
  /** Thin, for the noisy per-batch values. */
  thin?: boolean;
}

function niceRange(lo: number, hi: number): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

/** Draws the series on the canvas: axes with min/max labels, lines, a legend. */
export function drawLineChart(
  canvas: HTMLCanvasElement,
  series: readonly Series[],
  xLabel: string,
): void {
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  const { width, height } = canvas;
  const left = 52;
  const bottom = height - 28;
  const top = 24;
  const right = width - 12;
  ctx.clearRect(0, 0, width, height);
  const all = series.flatMap((s) => s.points);
  const [x0, x1] = niceRange(
    Math.min(0, ...all.map((p) => p[0])),
    Math.max(1, ...all.map((p) => p[0])),
  );
  const [y0, y1] = niceRange(Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1])));
  const sx = (x: number): number => left + ((x - x0) / (x1 - x0)) * (right - left);
  const sy = (y: number): number => bottom - ((y - y0) / (y1 - y0)) * (bottom - top);
  ctx.strokeStyle = '#99a';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(left, top);
  ctx.lineTo(left, bottom);
  ctx.lineTo(right, bottom);
  ctx.stroke();
  ctx.fillStyle = '#556';
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillText(y1.toPrecision(3), 4, top + 4);
  ctx.fillText(y0.toPrecision(3), 4, bottom);
  ctx.fillText(xLabel, (left + right) / 2 - 16, height - 8);
  ctx.fillText(x1.toFixed(1), right - 24, height - 8);
  let legendX = left + 4;
  for (const s of series) {
    if (s.points.length === 0) continue;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = s.thin === true ? 1 : 2.2;
    ctx.beginPath();
    for (const [i, [x, y]] of s.points.entries()) {
      if (i === 0) ctx.moveTo(sx(x), sy(y));
      else ctx.lineTo(sx(x), sy(y));
    }
    if (s.points.length === 1) ctx.arc(sx(s.points[0]![0]), sy(s.points[0]![1]), 2, 0, Math.PI * 2);
    ctx.stroke();
    ctx.fillStyle = s.color;
    ctx.fillRect(legendX, 8, 10, 4);
    ctx.fillStyle = '#334';
    ctx.fillText(s.name, legendX + 14, 14);
    legendX += 20 + ctx.measureText(s.name).width;
  }
}
