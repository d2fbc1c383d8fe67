-- Counts a wrong password for one login; the count lasts for the lockout from the first one.
-- KEYS[1] the counter; ARGV[1] the lockout (ms). Returns the count.
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return failures
