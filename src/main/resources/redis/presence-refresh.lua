-- Extends the expiry of connections, all in one slot (on a single Redis: any).
-- KEYS the connection sets; ARGV[1] the new expiry (ms), ARGV[2] the sets' TTL (ms), then one
-- connection id per key. Returns how many were extended.
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[1], ARGV[i + 2])
  redis.call('PEXPIRE', KEYS[i], ARGV[2])
end
return #KEYS
