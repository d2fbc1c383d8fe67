-- Reads a range of one stream (a room's or a conversation's) as its messages are now: an edited
-- message with its current JSON tail. Deleted messages are gone from the stream. One stream's slot.
--
-- KEYS[1] the stream, KEYS[2] its edits (message id -> the current JSON tail, or '' once deleted).
-- ARGV[1] 'asc' (XRANGE from ARGV[2] to ARGV[3]) or 'desc' (XREVRANGE from ARGV[3] down to ARGV[2]),
-- ARGV[4] the most entries.
-- Returns { id, tail, sending connection ('' when none) } for each entry, flat, in the order read.
local entries
if ARGV[1] == 'asc' then
  entries = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[3], 'COUNT', ARGV[4])
else
  entries = redis.call('XREVRANGE', KEYS[1], ARGV[3], ARGV[2], 'COUNT', ARGV[4])
end
local edited = redis.call('EXISTS', KEYS[2]) == 1
local result = {}
for _, entry in ipairs(entries) do
  local id, fields = entry[1], entry[2]
  local tail, connection = '', ''
  for i = 1, #fields, 2 do
    if fields[i] == 'd' then tail = fields[i + 1] elseif fields[i] == 'c' then connection = fields[i + 1] end
  end
  if edited then
    local current = redis.call('HGET', KEYS[2], id)
    if current and current ~= '' then tail = current end
  end
  result[#result + 1] = id
  result[#result + 1] = tail
  result[#result + 1] = connection
end
return result
