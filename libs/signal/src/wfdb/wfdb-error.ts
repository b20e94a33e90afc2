/** What went wrong reading a WFDB record or annotation file. */
export type WfdbErrorCode = 'not_found' | 'parse' | 'unsupported_format' | 'truncated' | 'mismatch' | 'invalid_sample_rate';

/** A WFDB file that cannot be read as asked; the message names the file and the problem. */
export class WfdbError extends Error {
  constructor(
    readonly code: WfdbErrorCode,
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'WfdbError';
  }
}
