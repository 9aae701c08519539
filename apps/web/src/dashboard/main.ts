/**
 * The training dashboard: one snapshot of the run on load, then the server pushes new
 * snapshots as Server-Sent Events (a few per second at most) while the run trains.
 */
import { byId, element, getJson } from '../shared/api.js';
import { drawLineChart, type Series } from './line-chart.js';

/** What the server sends (GET api/dashboard, and each `snapshot` event). */
export interface DashboardSnapshot {
  title: string;
  status: 'waiting' | 'training' | 'finished' | 'stopped';
  /** Epochs completed or in progress, counted from 1 (0 before the first). */
  epoch: number;
  epochs: number | null;
  /** Per batch: x in epochs (fractional) and the batch's logs. */
  batches: Array<{ x: number; logs: Record<string, number> }>;
  /** Per finished epoch: its logs (loss, metrics, val_…). */
  epochLogs: Array<Record<string, number>>;
  samplesPerSecond: number | null;
  perWorker: number[];
  etaSeconds: number | null;
  learningRate: number | null;
  checkpoints: string[];
}

const COLORS = { batch: '#9fb3e6', train: '#3867d6', validation: '#eb3b5a' };

function seriesOf(s: DashboardSnapshot, key: string): Series[] {
  const perBatch = s.batches
    .filter((b) => Number.isFinite(b.logs[key]))
    .map((b) => [b.x, b.logs[key]!] as const);
  const perEpoch = (name: string): Array<readonly [number, number]> =>
    s.epochLogs.flatMap((logs, i) =>
      Number.isFinite(logs[name]) ? [[i + 1, logs[name]!] as const] : [],
    );
  return [
    { name: `${key} per batch`, color: COLORS.batch, points: perBatch, thin: true },
    { name: `${key} per epoch`, color: COLORS.train, points: perEpoch(key) },
    { name: `val_${key}`, color: COLORS.validation, points: perEpoch(`val_${key}`) },
  ];
}

function formatRate(v: number | null): string {
  return v === null ? '–' : Math.round(v).toLocaleString('en-US');
}

function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s}s`;
}

function render(s: DashboardSnapshot): void {
  byId('title').textContent = `Tessera dashboard — ${s.title}`;
  byId('epoch').textContent = String(s.epoch);
  byId('epochs').textContent = s.epochs === null ? '?' : String(s.epochs);
  byId('status').textContent = s.status;
  byId('rate').textContent = formatRate(s.samplesPerSecond);
  byId('per-worker').textContent =
    s.perWorker.length === 0 ? '–' : s.perWorker.map((v) => formatRate(v)).join(' · ');
  byId('eta').textContent = s.status === 'training' ? formatEta(s.etaSeconds) : '–';
  byId('lr').textContent = s.learningRate === null ? '–' : s.learningRate.toPrecision(3);
  drawLineChart(byId<HTMLCanvasElement>('loss-chart'), seriesOf(s, 'loss'), 'epoch');
  drawLineChart(byId<HTMLCanvasElement>('accuracy-chart'), seriesOf(s, 'accuracy'), 'epoch');
  byId('checkpoints').replaceChildren(...s.checkpoints.map((c) => element('li', '', c)));
  document.body.dataset['status'] = s.status;
}

async function main(): Promise<void> {
  byId<HTMLImageElement>('diagram').src = 'api/model.svg';
  render(await getJson<DashboardSnapshot>('api/dashboard'));
  const events = new EventSource('api/events');
  events.addEventListener('snapshot', (e) =>
    render(JSON.parse((e as MessageEvent<string>).data) as DashboardSnapshot),
  );
  events.addEventListener('end', () => events.close());
}

main().catch((err: unknown) => {
  byId('status').textContent = `error: ${err instanceof Error ? err.message : String(err)}`;
});
