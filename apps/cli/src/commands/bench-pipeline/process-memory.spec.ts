import { MemorySampler, parseVmRssKb, readRssMb } from './process-memory';

const STATUS = ['Name:\tnode', 'VmPeak:\t 1200000 kB', 'VmHWM:\t  210000 kB', 'VmRSS:\t  204800 kB', 'RssAnon:\t  150000 kB', 'Threads:\t11'].join('\n');

describe('process memory', () => {
  it('reads VmRSS (kB) from /proc/<pid>/status text, not VmHWM or RssAnon', () => {
    expect(parseVmRssKb(STATUS)).toBe(204800);
    expect(parseVmRssKb('Name:\tkthreadd\nState:\tS (sleeping)\n')).toBeNull();
  });

  it('measures a live process in MB and gives null for one that does not exist', () => {
    const own = readRssMb(process.pid);
    expect(own).not.toBeNull();
    // Within 20 % of Node's own figure (they are sampled a moment apart).
    expect(Math.abs(own! - process.memoryUsage.rss() / 2 ** 20)).toBeLessThan(0.2 * own!);
    expect(readRssMb(2 ** 22 + 12345)).toBeNull();
  });

  it('keeps the latest sum, the highest sum and each process maximum; an exited process counts 0', () => {
    const rss: Record<number, Array<number | null>> = { 11: [100, 300, 120], 22: [50, 60, null] };
    let i = 0;
    const sampler = new MemorySampler({ ingestion: 11, inference: 22 }, 60_000, (pid) => rss[pid][i]);
    sampler.start();
    expect(sampler.totalMb()).toBe(150);
    for (i = 1; i < 3; i++) sampler.sample();
    sampler.stop();
    expect(sampler.totalMb()).toBe(120);
    expect(sampler.maxTotalMb()).toBe(360);
    expect(sampler.maxByName()).toEqual({ ingestion: 300, inference: 60 });
  });

  it('refuses to start when a process cannot be measured', () => {
    expect(() => new MemorySampler({ alerting: 33 }, 60_000, () => null).start()).toThrow(/alerting \(pid 33\).*\/proc/);
  });
});
