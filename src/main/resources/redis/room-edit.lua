-- Changes a room's name and topic only when the room exists, so that an edit never creates a half room.
-- KEYS[1] the room hash; ARGV[1] name, ARGV[2] topic. Returns 1 when changed, 0 when there is no such room.
if redis.call('HEXISTS', KEYS[1], 'name') == 0 then return 0 end
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'topic', ARGV[2])
return 1
