-- Makes the bot's user, or keeps it, unless a person already holds its name.
-- KEYS[1] the user hash; ARGV[1] name, ARGV[2] creation time (ms). Returns 1 when the hash is the bot's.
if redis.call('HEXISTS', KEYS[1], 'name') == 1 and redis.call('HGET', KEYS[1], 'bot') ~= '1' then
  return 0
end
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'guest', '0', 'bot', '1')
redis.call('HSETNX', KEYS[1], 'created', ARGV[2])
return 1
