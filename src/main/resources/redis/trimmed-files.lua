-- The files listed with a message stream's messages (KEYS[2], RedisKeys.filesOf) whose messages
-- are gone from the stream (KEYS[1]): older than its oldest message, which its length bound kept,
-- or every one when it holds none (its room deleted). Takes at most ARGV[1] of them off the list
-- and returns them, for their bytes to go. In one script, so that a message stored meanwhile is
-- either in the stream, its files kept, or not listed yet.
local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
local before = '+inf'
if #first > 0 then
  before = '(' .. string.match(first[1][1], '^(%d+)')
end
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', before, 'LIMIT', 0, tonumber(ARGV[1]))
if #ids > 0 then
  redis.call('ZREM', KEYS[2], unpack(ids))
end
return ids
