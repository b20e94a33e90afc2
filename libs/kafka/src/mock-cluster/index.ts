export * from './mock-cluster-binary';
export * from './mock-kafka-cluster';
