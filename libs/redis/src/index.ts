export * from './redis-config';
export * from './redis-keys';
export * from './redis-state-store';
