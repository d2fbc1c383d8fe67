-- Removes a connection, and the expired ones; when none is left, records when the user was last seen.
-- One user's slot. KEYS[1] the user's connections, KEYS[2] the user's hash; ARGV[1] connection id
-- (or '' for none), ARGV[2] now (ms).
-- Returns 1 when the user has no live connection left, else 0.
if ARGV[1] ~= '' then redis.call('ZREM', KEYS[1], ARGV[1]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
-- never a field of a user that is gone: that would leave half a user behind
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('HSET', KEYS[2], 'seen', ARGV[2]) end
return 1
