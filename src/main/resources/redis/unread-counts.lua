-- Counts the messages after each read mark, at most a cap each: only the counts cross the wire.
-- KEYS the rooms' streams, all in one slot (on a single Redis: any); ARGV[1] the cap, then for each
-- stream the id of the last message read there, or '' for none.
-- Returns one count per stream.
local counts = {}
for i = 1, #KEYS do
  local last = ARGV[i + 1]
  local from = last ~= '' and ('(' .. last) or '-'
  counts[i] = #redis.call('XRANGE', KEYS[i], from, '+', 'COUNT', ARGV[1])
end
return counts
