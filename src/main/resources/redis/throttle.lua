-- Counts one request in the current window of its client address.
-- KEYS[1] the counter; ARGV[1] the window (ms).
-- Returns { the count in this window, the window's time left (ms) }.
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return { count, redis.call('PTTL', KEYS[1]) }
