-- Adds a push API key unless the console already holds the most keys allowed, or this digest.
-- KEYS[1] the keys hash; ARGV[1] the most keys, ARGV[2] the key's digest, ARGV[3] its record.
-- Returns 1 when added.
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
return redis.call('HSETNX', KEYS[1], ARGV[2], ARGV[3])
