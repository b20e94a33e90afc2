export * from './wfdb-error';
export * from './header';
export * from './signal-formats';
export * from './record';
export * from './annotations';
