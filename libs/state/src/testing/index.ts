export * from './state-store-contract';
