// The launcher lives in @aicrn/kafka (the distributed pipeline benchmark starts the mock too);
// tests keep importing it from here.
export { MockKafkaCluster, mockClusterBinary } from '@aicrn/kafka';
