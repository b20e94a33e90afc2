import { describeRedisRestart } from './support/redis-restart-scenario';

// Redis with AOF (appendfsync always) crashes and comes back with its data: see support/redis-restart-scenario.ts.
describeRedisRestart(true);
