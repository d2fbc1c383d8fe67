-- Registers a connection and takes the user's queued private messages. One user's slot.
-- KEYS[1] the user's connections, KEYS[2] the user's offline queue;
-- ARGV[1] connection id, ARGV[2] its expiry (ms), ARGV[3] now (ms), ARGV[4] the connections' TTL (ms).
-- Returns { 1 if the user had no live connection before else 0, queued private messages... }.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
local first = redis.call('ZCARD', KEYS[1]) == 0
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local queued = redis.call('LRANGE', KEYS[2], 0, -1)
redis.call('DEL', KEYS[2])
table.insert(queued, 1, first and 1 or 0)
return queued
