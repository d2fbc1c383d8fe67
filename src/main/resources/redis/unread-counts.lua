-- Counts the messages after each read mark, and of those the ones that mention the user (as they are
-- now: an edit may have added or taken away the mention), at most a cap each: only the counts cross
-- the wire.
-- KEYS for each room its stream then the stream's edits, all in one slot (on a single Redis: any);
-- ARGV[1] the cap, ARGV[2] the user's id, then for each stream the id of the last message read there,
-- or '' for none.
-- Returns two counts per stream: unread, and unread mentioning the user.
local mention = '"' .. ARGV[2] .. '"'

local function mentions_user(json)
  -- a quote inside the text is escaped: this is the message's own "mentions" list
  local list = string.match(json, '"mentions":%[([^%]]*)%]')
  return list ~= nil and string.find(list, mention, 1, true) ~= nil
end

local counts = {}
for i = 1, #KEYS / 2 do
  local last = ARGV[i + 2]
  local from = last ~= '' and ('(' .. last) or '-'
  local entries = redis.call('XRANGE', KEYS[2 * i - 1], from, '+', 'COUNT', ARGV[1])
  local mentions = 0
  if #entries > 0 then
    local ids = {}
    for e, entry in ipairs(entries) do ids[e] = entry[1] end
    local edited = redis.call('HMGET', KEYS[2 * i], unpack(ids))
    for e, entry in ipairs(entries) do
      local json = edited[e]
      if not json then
        local fields = entry[2]
        for f = 1, #fields, 2 do
          if fields[f] == 'd' then json = fields[f + 1] end
        end
      end
      if json and mentions_user(json) then mentions = mentions + 1 end
    end
  end
  counts[#counts + 1] = #entries
  counts[#counts + 1] = mentions
end
return counts
