-- Takes a user out of the directory: both entries and their name.
-- KEYS[1] the directory, KEYS[2] its names; one slot. ARGV[1] the user's id. Returns 1.
local id = ARGV[1]
local name = redis.call('HGET', KEYS[2], id)
redis.call('ZREM', KEYS[1], id .. '\0' .. id)
if name then redis.call('ZREM', KEYS[1], name .. '\0' .. id) end
redis.call('HDEL', KEYS[2], id)
return 1
