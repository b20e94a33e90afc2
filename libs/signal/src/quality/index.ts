export * from './lead-checks';
export * from './signal-quality';
