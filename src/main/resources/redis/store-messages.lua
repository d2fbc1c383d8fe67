-- Stores and publishes a batch of messages whose keys all sit in one slot (on a single Redis: any),
-- in the order given. A command that fails inside Redis fails alone: the others are kept and answered.
--
-- ARGV[1..7], shared by the batch: the room history length, the conversation history length, the
-- offline queue's length and TTL (ms), the prefix of this instance's connection ids, the envelope
-- prefix that delivers to every connection of a channel, and the publish command ('PUBLISH', or
-- 'SPUBLISH' for sharded pub/sub). Then each command: its kind, then its arguments; its keys follow
-- the previous command's in KEYS.
--
-- r, a room message. KEYS room, members, history; ARGV user, frame head, frame tail, channel, the user
--   ids its text mentions ('a,b', '' for none). Those that are members go in the frame (and the
--   stored tail) as "mentions". Returns the new id, or '!not_found', '!forbidden' (closed), '!not_member'.
-- a, a private message's entry in its conversation. KEYS conversation; ARGV tail, sending connection.
--   Returns the new id. The entry names the sending connection (field c), which a replay after a
--   lost subscription leaves out, as the live delivery did.
-- d, a stored private message to its recipient. KEYS recipient's connections, offline queue and
--   conversations; ARGV the frame, the recipient's channel, the envelope prefix, the sender, the time
--   (ms). Queued when the recipient has no live connection; not published when every live connection
--   is on this instance (returns 'here', for this instance to deliver); published otherwise ('ok').
-- p, a whole private message, where its conversation, recipient and sender share a slot group (on a
--   single Redis, always): the three steps below in one. KEYS conversation, recipient's connections,
--   offline queue and conversations, sender's connections and conversations; ARGV tail, sending
--   connection, frame head, recipient's channel and envelope prefix, sender's channel and envelope
--   prefix, sender, recipient. Returns the new id, after '+' when it is left to this instance.
-- s, a stored private message to its sender's other connections. KEYS sender's connections and
--   conversations; ARGV the frame, the sender's channel, the envelope prefix, the recipient, the
--   time (ms). Published only when the sender has another live connection. Returns 'ok'.
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local live = '(' .. now
local roomLength, conversationLength, offlineLength, offlineTtl = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local here, toAll, publish = ARGV[5], ARGV[6], ARGV[7]

local function onlyHere(connections)
  for i = 1, #connections do
    if string.sub(connections[i], 1, #here) ~= here then return false end
  end
  return true
end

-- ',"mentions":[...]' for the candidates that are members, '' when none is
local function mentioned(members, candidates)
  -- most messages mention no one: no table, no iterator for them
  if candidates == '' then return '' end
  local found = {}
  for candidate in string.gmatch(candidates, '[^,]+') do
    if redis.call('SISMEMBER', members, candidate) == 1 then found[#found + 1] = '"' .. candidate .. '"' end
  end
  return #found == 0 and '' or (',"mentions":[' .. table.concat(found, ',') .. ']')
end

local function room(k, a)
  local open = redis.call('HGET', KEYS[k], 'open')
  if not open then return '!not_found' end
  if open == '0' then return '!forbidden' end
  if redis.call('SISMEMBER', KEYS[k + 1], ARGV[a]) == 0 then return '!not_member' end
  local tail = ARGV[a + 2] .. mentioned(KEYS[k + 1], ARGV[a + 4])
  local id = redis.call('XADD', KEYS[k + 2], 'MAXLEN', '~', roomLength, '*', 'd', tail)
  local ts = string.match(id, '^(%d+)')
  redis.call(publish, ARGV[a + 3], toAll .. ARGV[a + 1] .. id .. tail .. ',"ts":' .. ts .. '}')
  return id
end

local function append(k, a)
  return redis.call('XADD', KEYS[k], 'MAXLEN', '~', conversationLength, '*', 'd', ARGV[a], 'c', ARGV[a + 1])
end

local function deliverTo(k, json, channel, prefix, partner, ts)
  local result = 'ok'
  local connections = redis.call('ZRANGEBYSCORE', KEYS[k], live, '+inf')
  if #connections == 0 then
    redis.call('RPUSH', KEYS[k + 1], json)
    redis.call('LTRIM', KEYS[k + 1], -tonumber(offlineLength), -1)
    redis.call('PEXPIRE', KEYS[k + 1], offlineTtl)
  elseif onlyHere(connections) then
    result = 'here'
  else
    redis.call(publish, channel, prefix .. json)
  end
  redis.call('ZADD', KEYS[k + 2], ts, partner)
  return result
end

local function copyTo(k, json, channel, prefix, partner, ts)
  if redis.call('ZCOUNT', KEYS[k], live, '+inf') > 1 then
    redis.call(publish, channel, prefix .. json)
  end
  redis.call('ZADD', KEYS[k + 1], ts, partner)
  return 'ok'
end

local function deliver(k, a)
  return deliverTo(k, ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4])
end

local function copy(k, a)
  return copyTo(k, ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4])
end

local function whole(k, a)
  local id = append(k, a)
  local ts = string.match(id, '^(%d+)')
  local json = ARGV[a + 2] .. id .. ARGV[a] .. ',"ts":' .. ts .. '}'
  local sender, recipient = ARGV[a + 7], ARGV[a + 8]
  local where = deliverTo(k + 1, json, ARGV[a + 3], ARGV[a + 4], sender, ts)
  if sender ~= recipient then
    copyTo(k + 4, json, ARGV[a + 5], ARGV[a + 6], recipient, ts)
  end
  return where == 'here' and ('+' .. id) or id
end

local kinds = {
  r = { run = room, keys = 3, args = 5 },
  a = { run = append, keys = 1, args = 2 },
  d = { run = deliver, keys = 3, args = 5 },
  s = { run = copy, keys = 2, args = 5 },
  p = { run = whole, keys = 6, args = 9 },
}
local results = {}
local a = 8
local k = 1
while k <= #KEYS do
  local kind = kinds[ARGV[a]]
  local ok, result = pcall(kind.run, k, a + 1)
  results[#results + 1] = ok and result or '!unavailable'
  a = a + 1 + kind.args
  k = k + kind.keys
end
return results
