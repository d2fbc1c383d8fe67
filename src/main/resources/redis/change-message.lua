-- Edits or deletes a stored message of one stream (a room's or a conversation's), records the change
-- and, for a room, publishes it. One stream's slot.
--
-- KEYS[1] the stream, KEYS[2] its edits (message id -> the current JSON tail, or '' once deleted),
-- KEYS[3] its changes (a stream of the edited/deleted events: m the message id, d the event, h the
-- stream's newest message id when the change was made, which orders the change among the messages
-- even when both got the same id in their own streams, in one millisecond), and for
-- a room KEYS[4] its members, of whom those among ARGV[12] (user ids, 'a,b', '' for none) that the new
-- text mentions go in the message and the event as "mentions".
-- ARGV[1] 'edit' or 'delete', ARGV[2] the message id, ARGV[3] the acting user's id, ARGV[4] '1' when
-- that user may delete anyone's message here, ARGV[5] the new text as a JSON string (edit), ARGV[6]
-- the event's JSON up to its id, ARGV[7] the acting user's JSON, ARGV[8] the channel to publish the
-- event on ('' for none), ARGV[9] the envelope prefix, ARGV[10] the publish command, ARGV[11] the
-- stream's length bound, which the changes stream keeps too.
-- Returns { the change's time (ms), the event's JSON, and for a delete the message's JSON tail as it
-- was (for its files) }, or '!not_found', '!forbidden'.
local stream, edits, changes = KEYS[1], KEYS[2], KEYS[3]
local kind, id, actor, anyone = ARGV[1], ARGV[2], ARGV[3], ARGV[4] == '1'
local length = tonumber(ARGV[11])

local entry = redis.call('XRANGE', stream, id, id)
if #entry == 0 then return { '!not_found' } end
local fields = entry[1][2]
local tail
for i = 1, #fields, 2 do
  if fields[i] == 'd' then tail = fields[i + 1] end
end
-- the tail is the message's JSON after its id: '","from":{...},...,"text":"..."'
local author = cjson.decode('{"id":"' .. tail .. '}').from.id
if author ~= actor and not (kind == 'delete' and anyone) then return { '!forbidden' } end

local newest = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)[1][1]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local event
if kind == 'edit' then
  local mentions = ''
  if KEYS[4] then
    local found = {}
    for candidate in string.gmatch(ARGV[12], '[^,]+') do
      if redis.call('SISMEMBER', KEYS[4], candidate) == 1 then found[#found + 1] = '"' .. candidate .. '"' end
    end
    if #found > 0 then mentions = ',"mentions":[' .. table.concat(found, ',') .. ']' end
  end
  local current = redis.call('HGET', edits, id) or tail
  local text = string.find(current, ',"text":', 1, true)
  local now_text = ',"text":' .. ARGV[5] .. mentions .. ',"edited":' .. now
  redis.call('HSET', edits, id, string.sub(current, 1, text - 1) .. now_text)
  event = ARGV[6] .. id .. '"' .. now_text .. ',"by":' .. ARGV[7] .. '}'
else
  redis.call('XDEL', stream, id)
  redis.call('HSET', edits, id, '')
  event = ARGV[6] .. id .. '","by":' .. ARGV[7] .. '}'
end
redis.call('XADD', changes, 'MAXLEN', '~', length, '*', 'm', id, 'd', event, 'h', newest)

-- edits of messages trimmed off the stream go too, in one pass once there are twice as many as it holds
if redis.call('HLEN', edits) > 2 * length then
  local oldest = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)
  local first = #oldest > 0 and oldest[1][1] or '18446744073709551615-18446744073709551615'
  local fm, fs = string.match(first, '^(%d+)-(%d+)$')
  for _, key in ipairs(redis.call('HKEYS', edits)) do
    local m, s = string.match(key, '^(%d+)-(%d+)$')
    if #m < #fm or (#m == #fm and (m < fm or (m == fm and (#s < #fs or (#s == #fs and s < fs))))) then
      redis.call('HDEL', edits, key)
    end
  end
end

if ARGV[8] ~= '' then
  redis.call(ARGV[10], ARGV[8], ARGV[9] .. event)
end
return { now, event, kind == 'delete' and tail or '' }
