-- Puts a user in the directory under their id and their name, replacing the name they had there.
-- KEYS[1] the directory (a sorted set read by lexical range), KEYS[2] its names (id -> name); one slot.
-- ARGV[1] the user's id, ARGV[2] their lower-case name. Returns 1.
local id, name = ARGV[1], ARGV[2]
local before = redis.call('HGET', KEYS[2], id)
if before and before ~= name then redis.call('ZREM', KEYS[1], before .. '\0' .. id) end
redis.call('ZADD', KEYS[1], 0, id .. '\0' .. id, 0, name .. '\0' .. id)
redis.call('HSET', KEYS[2], id, name)
return 1
