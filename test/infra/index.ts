export * from './test-infra';
export { MockKafkaCluster, mockClusterBinary } from './kafka-mock';
export { RedisProcess } from './redis-process';
export { dockerEngine } from './docker-engine';
export { freePort } from './free-port';
export { bundleChild } from './bundle-child';
