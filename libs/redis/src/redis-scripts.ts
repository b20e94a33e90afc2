/**
 * Lua scripts for the writes that must be atomic: a reader never sees a measurement in the trend but
 * not as latest, nor an alert stored but not fanned out, and a replayed event is refused as a whole.
 */

/**
 * KEYS: bed hash, trend zset, trend values hash, beds set.
 * ARGV: measurement JSON, window_id, window_start_ms, bed_id, retention ms, max points, channel.
 */
export const RECORD_MEASUREMENT = `
local start = tonumber(ARGV[3])
redis.call('ZADD', KEYS[2], start, ARGV[2])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[8])
local latest = tonumber(redis.call('HGET', KEYS[1], 'latest_start_ms'))
if (not latest) or start >= latest then
  redis.call('HSET', KEYS[1], 'latest', ARGV[1], 'latest_start_ms', ARGV[3])
  latest = start
end
local function drop(ids)
  for i = 1, #ids, 500 do
    local chunk = {}
    for j = i, math.min(i + 499, #ids) do chunk[#chunk + 1] = ids[j] end
    redis.call('ZREM', KEYS[2], unpack(chunk))
    redis.call('HDEL', KEYS[3], unpack(chunk))
  end
end
drop(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. string.format('%d', latest - tonumber(ARGV[5]))))
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[6])
if excess > 0 then drop(redis.call('ZRANGE', KEYS[2], 0, excess - 1)) end
redis.call('SADD', KEYS[4], ARGV[4])
redis.call('PUBLISH', ARGV[7], ARGV[1])
return 1
`;

/**
 * KEYS: event mark, alert hash, bed hash, alerts index, bed alerts index, beds set, alert stream.
 * ARGV: alert JSON, alert_id, state, bed_id, raised_ms, updated_ms, mark TTL ms, active (1|0),
 *       channel, stream max length, cleared retention ms.
 * Returns 0 (nothing done) when the event id was seen before.
 */
export const SAVE_ALERT_EVENT = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[7]) then return 0 end
local current = tonumber(redis.call('HGET', KEYS[2], 'updated_ms'))
-- Keep the newest state when events arrive out of order (a redelivery); the event still fans out.
if (not current) or tonumber(ARGV[6]) >= current then
  redis.call('HSET', KEYS[2], 'data', ARGV[1], 'state', ARGV[3], 'bed_id', ARGV[4], 'raised_ms', ARGV[5], 'updated_ms', ARGV[6])
  if ARGV[8] == '1' then
    redis.call('PERSIST', KEYS[2])
    redis.call('HSET', KEYS[3], 'alert:' .. ARGV[2], ARGV[5])
  else
    redis.call('PEXPIRE', KEYS[2], ARGV[11])
    redis.call('HDEL', KEYS[3], 'alert:' .. ARGV[2])
  end
  redis.call('ZADD', KEYS[4], ARGV[5], ARGV[2])
  redis.call('ZADD', KEYS[5], ARGV[5], ARGV[2])
end
redis.call('SADD', KEYS[6], ARGV[4])
redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[10], '*', 'alert', ARGV[1])
redis.call('PUBLISH', ARGV[9], ARGV[1])
return 1
`;

/**
 * The newest `limit` trend points with window_start_ms >= since, oldest first.
 * KEYS: trend zset, trend values hash. ARGV: since, limit.
 */
export const READ_TREND = `
local ids = redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #ids == 0 then return {} end
-- HMGET in chunks: Lua's unpack() fails beyond about 8000 values.
local values = {}
for i = 1, #ids, 1000 do
  local chunk = {}
  for j = i, math.min(i + 999, #ids) do chunk[#chunk + 1] = ids[j] end
  local part = redis.call('HMGET', KEYS[2], unpack(chunk))
  for j = 1, #chunk do values[i + j - 1] = part[j] end
end
local ordered = {}
for i = #ids, 1, -1 do
  if values[i] then ordered[#ordered + 1] = values[i] end
end
return ordered
`;
