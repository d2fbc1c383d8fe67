-- Removes a connection, and the expired ones. One user's slot.
-- KEYS[1] the user's connections; ARGV[1] connection id (or '' for none), ARGV[2] now (ms).
-- Returns 1 when the user has no live connection left, else 0.
if ARGV[1] ~= '' then redis.call('ZREM', KEYS[1], ARGV[1]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
return redis.call('ZCARD', KEYS[1]) == 0 and 1 or 0
