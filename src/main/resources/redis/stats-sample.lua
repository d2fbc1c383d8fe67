-- Appends one instance's numbers to the console's history and drops what is older than the span kept.
-- Exact trimming: a sample leaves once it is out of the span, so the bound holds however few are written.
-- KEYS[1] the history stream; ARGV[1] the oldest entry id kept (epoch ms), ARGV[2] the instance,
-- ARGV[3..6] connections, messages, deliveries, refused. Returns the number of entries left.
redis.call('XADD', KEYS[1], 'MINID', ARGV[1], '*', 'i', ARGV[2], 'c', ARGV[3], 'm', ARGV[4], 'd', ARGV[5], 'r', ARGV[6])
return redis.call('XLEN', KEYS[1])
