export * from './message-bus';
export * from './in-memory-bus';
export * from './partitioner';
