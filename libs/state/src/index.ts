export * from './state-store';
export * from './memory-state-store';
