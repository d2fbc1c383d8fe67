-- Counts the messages after each read mark, and of those the ones that mention the user, at most a
-- cap each: only the counts cross the wire.
-- KEYS the rooms' streams, all in one slot (on a single Redis: any); ARGV[1] the cap, ARGV[2] the
-- user's id, then for each stream the id of the last message read there, or '' for none.
-- Returns two counts per stream: unread, and unread mentioning the user.
local mention = '"' .. ARGV[2] .. '"'
local counts = {}
for i = 1, #KEYS do
  local last = ARGV[i + 2]
  local from = last ~= '' and ('(' .. last) or '-'
  local entries = redis.call('XRANGE', KEYS[i], from, '+', 'COUNT', ARGV[1])
  local mentions = 0
  for _, entry in ipairs(entries) do
    local fields = entry[2]
    for f = 1, #fields, 2 do
      if fields[f] == 'd' then
        -- a quote inside the text is escaped: this is the message's own "mentions" list
        local list = string.match(fields[f + 1], '"mentions":%[([^%]]*)%]')
        if list and string.find(list, mention, 1, true) then mentions = mentions + 1 end
      end
    end
  end
  counts[#counts + 1] = #entries
  counts[#counts + 1] = mentions
end
return counts
