export * from './state-store-contract';
export * from './sample-state';
