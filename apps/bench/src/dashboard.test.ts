import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dashboardTable } from './dashboard.js';
import { dashboardUrl, SnapshotCounter, tesseraBin } from './tasks/cli-train.js';

describe('dashboard bench', () => {
  it('counts snapshot events however the stream is cut into chunks', () => {
    const stream =
      'event: snapshot\ndata: {"epoch":1}\n\nevent: snapshot\ndata: {}\n\nevent: end\ndata: {}\n\n';
    for (const size of [1, 3, 7, stream.length]) {
      const counter = new SnapshotCounter();
      for (let i = 0; i < stream.length; i += size) counter.push(stream.slice(i, i + size));
      expect(counter.count).toBe(2);
    }
  });

  it('runs the built tessera command', () => {
    expect(tesseraBin()).toMatch(/cli[\\/]dist[\\/]bin\.js$/);
    expect(existsSync(tesseraBin())).toBe(true);
  });

  it('finds the dashboard URL the train command prints', () => {
    expect(dashboardUrl('Dashboard: http://127.0.0.1:40123/')).toBe('http://127.0.0.1:40123/');
    expect(dashboardUrl('Epoch 1/3 - 1.2s')).toBeUndefined();
  });

  it('tabulates medians, ranges, pushes and the ratio of medians', () => {
    const lines = dashboardTable({
      command: 'tessera train --model mnist-mlp --dataset mnist --epochs 3',
      without: [100_000, 120_000, 110_000],
      with: [99_000, 90_000, 121_000],
      snapshots: [12, 10, 14],
    });
    expect(lines[0]).toContain('tessera train --model mnist-mlp');
    expect(lines.find((l) => l.startsWith('without'))).toMatch(/110,000\s+100,000–120,000\s+3\s+—/);
    expect(lines.find((l) => l.startsWith('with '))).toMatch(/99,000\s+90,000–121,000\s+3\s+12/);
    expect(lines[lines.length - 1]).toBe('with/without: 0.900× (medians)');
  });
});
