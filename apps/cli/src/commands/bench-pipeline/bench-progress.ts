import type { PipelineBenchmarkProgress } from '@aicrn/pipeline';

/** One line of progress on stderr (stdout is reserved for the report). */
export function note(line: string): void {
  process.stderr.write(`aicrn bench pipeline: ${line}\n`);
}

/** Progress lines of either mode: when the waveforms are ready, then every few seconds of the run. */
export function progressLines(beds: number, startedMs: number, rssOf: string): (p: PipelineBenchmarkProgress) => void {
  return (p) => {
    if (p.phase === 'generating') {
      if (p.windows_in === beds) note(`synthesised ${p.windows_in} bed waveforms in ${((Date.now() - startedMs) / 1000).toFixed(1)} s`);
      return;
    }
    note(`${p.phase} t=${p.elapsed_s}s in=${p.windows_in} measured=${p.windows_measured} rss=${p.rss_mb}MB${rssOf ? ` (${rssOf})` : ''}`);
  };
}
