-- Creates a user in one step, or nothing when the id is taken: a name is never stored without
-- the rest of the account, whatever happens to the connection meanwhile.
-- KEYS[1] the user's hash; ARGV[1] its TTL in ms, 0 for none; ARGV[2...] field, value pairs.
-- Returns 1 when created, 0 when the id is taken.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
if ARGV[1] ~= '0' then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return 1
