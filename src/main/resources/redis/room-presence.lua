-- Records a member coming (a join, coming online) or going (a leave, going offline) in the room's
-- set of members online, and, while at most ARGV[3] are online, publishes the presence event.
-- KEYS[1] the room's online set (all scores 0, read by lexical range); one room's slot.
-- ARGV[1] '1' coming, '0' going; ARGV[2] the user's id; ARGV[3] the most online for single events;
-- ARGV[4] the room's channel; ARGV[5] the event's pub/sub payload; ARGV[6] the publish command.
-- Returns the number online after the change, negated when the event was not published.
if ARGV[1] == '1' then
  redis.call('ZADD', KEYS[1], 0, ARGV[2])
else
  redis.call('ZREM', KEYS[1], ARGV[2])
end
local online = redis.call('ZCARD', KEYS[1])
if online > tonumber(ARGV[3]) then return -online end
redis.call(ARGV[6], ARGV[4], ARGV[5])
return online
