-- Deletes what a user's slot holds for the user, but the user hash itself.
-- KEYS[1] the user hash, then the user's other keys; ARGV[1] 'gone' to do nothing while the user hash
-- exists (the id was claimed again), 'claimed' to purge anyway.
-- Returns 1 when it purged.
if ARGV[1] == 'gone' and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
return 1
