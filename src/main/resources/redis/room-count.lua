-- Publishes the number of the room's members online as one count event, unless one was published
-- within the last ARGV[1] ms (by any instance): at most one a second per room, however many
-- instances hold its members.
-- KEYS[1] the room's online set, KEYS[2] the room's count marker; one room's slot.
-- ARGV[1] the marker's life (ms); ARGV[2] the channel; ARGV[3] the payload up to the count,
-- ARGV[4] what follows the count; ARGV[5] the publish command.
-- Returns 1 when published, 0 when one went out too recently (try again later).
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return 0 end
local online = redis.call('ZCARD', KEYS[1])
redis.call(ARGV[5], ARGV[2], ARGV[3] .. online .. ARGV[4])
return 1
