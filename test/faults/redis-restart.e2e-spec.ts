import { describeRedisRestart } from './support/redis-restart-scenario';

// Redis without persistence crashes and comes back empty: see support/redis-restart-scenario.ts.
describeRedisRestart(false);
