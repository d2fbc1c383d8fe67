-- Records a user's new browser session, keeping only the newest, and keeps the list as long as a remembered login.
-- KEYS[1] the user's sessions ZSET; ARGV[1] epoch ms of the login, ARGV[2] the session id, ARGV[3] the most kept,
-- ARGV[4] the TTL in seconds. Returns how many are kept.
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
redis.call('EXPIRE', KEYS[1], ARGV[4])
return redis.call('ZCARD', KEYS[1])
