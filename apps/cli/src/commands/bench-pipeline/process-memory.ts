import { readFileSync } from 'node:fs';

/** Resident set size from the text of /proc/<pid>/status (the `VmRSS:  123 kB` line), in kB. */
export function parseVmRssKb(status: string): number | null {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) : null;
}

/** A process's resident set size in MB; null once it has exited (or where /proc does not exist). */
export function readRssMb(pid: number): number | null {
  try {
    const kb = parseVmRssKb(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb === null ? null : kb / 1024;
  } catch {
    return null;
  }
}

/**
 * Samples the RSS of a few named processes on a timer: the latest total (what a progress line and
 * the benchmark's own samples show) and each process's maximum. Reading /proc is cheap and does not
 * disturb the processes measured.
 */
export class MemorySampler {
  private readonly maxMb = new Map<string, number>();
  private latestTotalMb = 0;
  private maxTotal = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pids: Record<string, number>,
    private readonly intervalMs = 500,
    private readonly read: (pid: number) => number | null = readRssMb,
  ) {
    for (const name of Object.keys(pids)) this.maxMb.set(name, 0);
  }

  /** Takes a first sample at once; throws when a process cannot be measured (gone, or no /proc). */
  start(): void {
    for (const [name, pid] of Object.entries(this.pids)) {
      if (this.read(pid) === null) throw new Error(`cannot read the memory of ${name} (pid ${pid}) from /proc/${pid}/status: the distributed benchmark needs Linux /proc and a running process`);
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  sample(): void {
    let total = 0;
    for (const [name, pid] of Object.entries(this.pids)) {
      const mb = this.read(pid);
      if (mb === null) continue;
      total += mb;
      this.maxMb.set(name, Math.max(this.maxMb.get(name)!, mb));
    }
    this.latestTotalMb = total;
    this.maxTotal = Math.max(this.maxTotal, total);
  }

  /** Sum over the processes at the latest sample. */
  totalMb(): number {
    return this.latestTotalMb;
  }

  /** Highest sum seen at one sample. */
  maxTotalMb(): number {
    return this.maxTotal;
  }

  /** Each process's highest RSS, rounded to MB. */
  maxByName(): Record<string, number> {
    return Object.fromEntries([...this.maxMb].map(([name, mb]) => [name, Math.round(mb)]));
  }
}
