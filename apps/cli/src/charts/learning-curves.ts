/**
 * Learning curves as one SVG: a panel per quantity (loss first, then each metric), each
 * plotting the training value per epoch against the validation value when there is one.
 * A pure function of the history: the caller writes the file or renders a PNG.
 *
 * ```ts
 * const svg = learningCurvesSvg({ epochs: [1, 2, 3], history: { loss: [...], val_loss: [...] } });
 * ```
 */
import { CHART_FONT, escapeXml, px } from './svg.js';
import { epochTicks, formatTick, niceTicks } from './ticks.js';

/** Pixels per SVG unit of the learning curves' PNG (twice the SVG's size, for sharp text). */
export const CHART_PNG_ZOOM = 2;

/** What to draw. */
export interface LearningCurvesArgs {
  /** Epoch numbers shown on the x axis (1-based), one per recorded epoch. */
  epochs: readonly number[];
  /** Keras-style logs: `loss`, `accuracy`, `val_loss`, `val_accuracy`, … one value per epoch. */
  history: Readonly<Record<string, readonly number[]>>;
  /** Heading above the panels. */
  title?: string;
}

/** One panel: a quantity with its training and validation series. */
export interface CurvePanel {
  /** Quantity name ('loss', 'accuracy', 'mae'). */
  name: string;
  /** Training values per epoch (absent when only validation was logged). */
  train: readonly number[] | undefined;
  /** Validation values per epoch, when logged. */
  validation: readonly number[] | undefined;
}

const PANEL_WIDTH = 420;
const PANEL_HEIGHT = 318;
const MARGIN = { left: 64, right: 18, top: 38, bottom: 66 };
const HEADER = 36;
const COLUMNS = 2;
const COLORS = { train: '#1f6fb4', validation: '#e8730c' };

/** Groups history keys into panels: `x` and `val_x` share one; loss comes first. */
export function curvePanels(history: Readonly<Record<string, readonly number[]>>): CurvePanel[] {
  const names: string[] = [];
  for (const key of Object.keys(history)) {
    const base = key.startsWith('val_') ? key.slice(4) : key;
    if (!names.includes(base)) names.push(base);
  }
  names.sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
  return names.map((name) => ({ name, train: history[name], validation: history[`val_${name}`] }));
}

/** Polyline segments through the finite points (a non-finite value breaks the line). */
function segments(points: Array<[number, number] | undefined>): Array<Array<[number, number]>> {
  const out: Array<Array<[number, number]>> = [];
  let current: Array<[number, number]> = [];
  for (const p of points) {
    if (p === undefined) {
      if (current.length > 0) out.push(current);
      current = [];
    } else {
      current.push(p);
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

function panelSvg(panel: CurvePanel, epochs: readonly number[], x0: number, y0: number): string {
  const plotW = PANEL_WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const left = x0 + MARGIN.left;
  const top = y0 + MARGIN.top;
  const series = [
    { label: 'training', values: panel.train, color: COLORS.train, dash: '' },
    {
      label: 'validation',
      values: panel.validation,
      color: COLORS.validation,
      dash: ' stroke-dasharray="6 4"',
    },
  ].filter(
    (s): s is { label: string; values: readonly number[]; color: string; dash: string } =>
      s.values !== undefined,
  );
  const finite = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  const yTicks = niceTicks(
    finite.length > 0 ? Math.min(...finite) : 0,
    finite.length > 0 ? Math.max(...finite) : 1,
    5,
  );
  const firstEpoch = epochs[0] ?? 1;
  const lastEpoch = epochs[epochs.length - 1] ?? firstEpoch;
  const xLo = lastEpoch > firstEpoch ? firstEpoch : firstEpoch - 1;
  const xHi = lastEpoch > firstEpoch ? lastEpoch : firstEpoch + 1;
  const xs = (e: number): number => left + ((e - xLo) / (xHi - xLo)) * plotW;
  const ys = (v: number): number =>
    top + plotH - ((v - yTicks.min) / (yTicks.max - yTicks.min)) * plotH;

  const parts: string[] = [];
  parts.push(`<g class="panel" data-name="${escapeXml(panel.name)}">`);
  parts.push(
    `<text x="${px(x0 + PANEL_WIDTH / 2)}" y="${px(y0 + 22)}" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(panel.name)}</text>`,
  );
  for (const v of yTicks.values) {
    const y = ys(v);
    parts.push(
      `<line x1="${px(left)}" y1="${px(y)}" x2="${px(left + plotW)}" y2="${px(y)}" stroke="#e4e4e4"/>`,
    );
    parts.push(
      `<text x="${px(left - 6)}" y="${px(y + 4)}" text-anchor="end" font-size="11">${formatTick(v, yTicks.step)}</text>`,
    );
  }
  for (const e of epochTicks(firstEpoch, lastEpoch)) {
    const x = xs(e);
    parts.push(
      `<line x1="${px(x)}" y1="${px(top + plotH)}" x2="${px(x)}" y2="${px(top + plotH + 4)}" stroke="#555"/>`,
    );
    parts.push(
      `<text x="${px(x)}" y="${px(top + plotH + 17)}" text-anchor="middle" font-size="11">${e}</text>`,
    );
  }
  parts.push(
    `<rect x="${px(left)}" y="${px(top)}" width="${px(plotW)}" height="${px(plotH)}" fill="none" stroke="#555"/>`,
  );
  parts.push(
    `<text x="${px(left + plotW / 2)}" y="${px(top + plotH + 36)}" text-anchor="middle" font-size="12">epoch</text>`,
  );
  for (const s of series) {
    const points = s.values.map((v, i): [number, number] | undefined =>
      Number.isFinite(v) && epochs[i] !== undefined ? [xs(epochs[i]!), ys(v)] : undefined,
    );
    for (const seg of segments(points)) {
      if (seg.length > 1) {
        const d = seg.map(([x, y]) => `${px(x)},${px(y)}`).join(' ');
        parts.push(
          `<polyline points="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash}/>`,
        );
      }
      for (const [x, y] of seg)
        parts.push(`<circle cx="${px(x)}" cy="${px(y)}" r="3" fill="${s.color}"/>`);
    }
  }
  // The legend sits under the axis, where no data can hide it.
  series.forEach((s, i) => {
    const lx = left + plotW / 2 - 105 + i * 115;
    const ly = top + plotH + 56;
    parts.push(
      `<line x1="${px(lx)}" y1="${px(ly - 4)}" x2="${px(lx + 22)}" y2="${px(ly - 4)}" stroke="${s.color}" stroke-width="2"${s.dash}/>`,
    );
    parts.push(`<text x="${px(lx + 28)}" y="${px(ly)}" font-size="11">${s.label}</text>`);
  });
  parts.push('</g>');
  return parts.join('\n');
}

/** The whole picture as SVG text; see the module comment. */
export function learningCurvesSvg(args: LearningCurvesArgs): string {
  const panels = curvePanels(args.history);
  const columns = Math.max(1, Math.min(COLUMNS, panels.length));
  const rows = Math.max(1, Math.ceil(panels.length / columns));
  const width = columns * PANEL_WIDTH;
  const height = HEADER + rows * PANEL_HEIGHT;
  const title = args.title ?? 'Learning curves';
  const body = panels.map((panel, i) =>
    panelSvg(
      panel,
      args.epochs,
      (i % columns) * PANEL_WIDTH,
      HEADER + Math.floor(i / columns) * PANEL_HEIGHT,
    ),
  );
  if (panels.length === 0) {
    body.push(
      `<text x="${px(width / 2)}" y="${px(HEADER + PANEL_HEIGHT / 2)}" text-anchor="middle" font-size="13">no epochs recorded</text>`,
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${CHART_FONT}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${px(width / 2)}" y="24" text-anchor="middle" font-size="17">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
