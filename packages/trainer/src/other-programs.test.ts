import { describe, expect, it, vi } from 'vitest';

// The machine's and this process's CPU ticks, as each test sets them.
const files = { machine: '', process: '', missing: false };
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    readFileSync: (path: string, encoding: string) => {
      if (path !== '/proc/stat' && path !== '/proc/self/stat')
        return fs.readFileSync(path, encoding as 'latin1');
      if (files.missing) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return path === '/proc/stat' ? files.machine : files.process;
    },
  };
});
const { OTHER_PROGRAMS_SHARE, OtherProgramsWatch, readTicks } = await import('./other-programs.js');

/** /proc/stat with the given busy parts and idle time (user nice system idle iowait irq softirq steal …). */
function machine(user: number, system: number, idle: number, steal = 0): string {
  return `cpu  ${user} 0 ${system} ${idle} 0 0 0 ${steal} 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\nintr 1\n`;
}

/** /proc/self/stat of a process whose name holds spaces and a parenthesis, with utime and stime. */
function processStat(utime: number, stime: number): string {
  const fields = ['S', ...Array.from({ length: 10 }, (_, i) => String(i + 1)), utime, stime, 0, 0];
  return `4242 (node (a) b) ${fields.join(' ')} 20 0 9\n`;
}

describe('readTicks', () => {
  it('reads the busy and total time of the machine and the time of this process', () => {
    files.machine = machine(100, 50, 850, 30);
    files.process = processStat(70, 10);
    // Busy: user + nice + system + irq + softirq; total adds idle and iowait, not steal.
    expect(readTicks()).toEqual({ busy: 150, total: 1000, own: 80 });
  });

  it('is null where the files cannot be read or make no sense', () => {
    files.missing = true;
    expect(readTicks()).toBeNull();
    files.missing = false;
    files.machine = 'intr 1\n';
    expect(readTicks()).toBeNull();
    files.machine = machine(100, 50, 850);
    files.process = '4242 (node) S 1 2';
    expect(readTicks()).toBeNull();
  });
});

describe('OtherProgramsWatch', () => {
  it('is 0 the first time, then the share of the time since that other processes used', () => {
    const watch = new OtherProgramsWatch();
    files.machine = machine(1000, 0, 1000);
    files.process = processStat(500, 0);
    expect(watch.sample()).toBe(0);
    // 200 ticks pass: 160 busy, of which this process 60: others used 100 of 200.
    files.machine = machine(1150, 10, 1040);
    files.process = processStat(550, 10);
    expect(watch.sample()).toBeCloseTo(0.5, 12);
    // 200 more, all busy, all this process's (its workers and V8's compiler threads).
    files.machine = machine(1350, 10, 1040);
    files.process = processStat(750, 10);
    expect(watch.sample()).toBe(0);
  });

  it('is busy above OTHER_PROGRAMS_SHARE only', () => {
    const watch = new OtherProgramsWatch();
    files.machine = machine(0, 0, 0);
    files.process = processStat(0, 0);
    watch.sample();
    const others = Math.round(OTHER_PROGRAMS_SHARE * 1000);
    files.machine = machine(others, 0, 1000 - others);
    expect(watch.busy()).toBe(false);
    files.machine = machine(2 * others + 1, 0, 2000 - 2 * others - 1);
    expect(watch.busy()).toBe(true);
  });

  it('says 0 when no tick passed and where nothing can be read', () => {
    const watch = new OtherProgramsWatch();
    files.machine = machine(10, 0, 10);
    files.process = processStat(0, 0);
    watch.sample();
    expect(watch.sample()).toBe(0);
    files.missing = true;
    expect(watch.sample()).toBe(0);
    expect(watch.busy()).toBe(false);
    files.missing = false;
  });
});
