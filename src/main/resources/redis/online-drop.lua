-- Drops a user from the online set unless a connection made meanwhile extended their entry.
-- KEYS[1] the online set; ARGV[1] user id, ARGV[2] the latest expiry (ms) that may still be dropped.
-- Returns 1 when the user was dropped.
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) > tonumber(ARGV[2]) then return 0 end
return redis.call('ZREM', KEYS[1], ARGV[1])
