package dev.parley.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.ScriptOutputType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
import dev.parley.history.MessageFormat;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Group commit for messages: while one script call is on its way to Redis, the messages that
 * arrive meanwhile wait, and the next call stores and publishes all of them. A busy server pays
 * Redis's per-call cost (a read, a script call, a reply, a write on each side, and caches gone
 * cold while the app ran) once per batch instead of once per message. One batch at a time on one
 * connection keeps the messages in the order they arrived.
 * <p>
 * The round trip alone makes batches of a few messages; so once a batch carried more than one
 * (the server is busy), the next waits up to {@code parley.store.linger} for {@link #LINGER_TARGET}
 * messages before it goes. After a batch of one (a quiet server) the next message goes at once.
 */
@Component
class StoreBatcher {

	/** The most messages in one script call, so that one call never holds Redis for long. */
	static final int MAX_BATCH = 128;

	/** A lingering batch goes as soon as this many messages wait. */
	static final int LINGER_TARGET = 32;

	/** Before a private message's id: every live connection of its recipient is on this instance. */
	static final String HERE = "+";

	/** Each message's first argument, which says how many follow and how its keys are used. */
	static final String ROOM = "r";

	static final String PRIVATE = "p";

	/**
	 * Stores and publishes each message of the batch. What every message of a batch shares comes
	 * once, first: KEYS muted; ARGV now (ms, for connections' expiry), the room and conversation
	 * history lengths, the offline queue's length and TTL (ms), and the prefix of this instance's
	 * connection ids. Then, per message, its kind and three (room) or six (private) keys, and after
	 * its kind 4 (room) or 7 (private) arguments. Returns one result per message, its new id or an
	 * error code after '!'. A message that fails inside Redis fails alone: the others are kept and
	 * answered. A sender muted until a time still to come gets '!muted'; while nobody is muted, no
	 * sender is looked up.
	 * Room: KEYS room, members, history; ARGV user, frame head, frame tail, channel.
	 * Private: KEYS conversation, recipient's connections, recipient's offline queue, sender's and
	 * recipient's conversation lists, sender's connections; ARGV tail, recipient's channel, sender's
	 * channel, the envelope prefixes for the recipient's and for the sender's other connections, the
	 * sender and the recipient. Connections count while their expiry is after now. When every live
	 * connection of the recipient is on this instance, nothing is published for the recipient: the id
	 * comes back after {@link #HERE}, for this instance to deliver. The sender's copy is published only
	 * when the sender has another connection, since the sending one gets it with its ack. The stream
	 * entry names the sending connection (field c), which a replay after a lost subscription leaves
	 * out as the live delivery did.
	 */
	private static final RedisScript<?> STORE_MESSAGES = RedisScript.of("""
			local clock = redis.call('TIME')
			local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
			local live = '(' .. ARGV[1]
			local here = ARGV[6]
			local anyMuted = redis.call('EXISTS', KEYS[1]) == 1
			local function muted(user)
			  if not anyMuted then return false end
			  local untilMs = redis.call('ZSCORE', KEYS[1], user)
			  return untilMs and tonumber(untilMs) > now
			end
			local function onlyHere(connections)
			  for i = 1, #connections do
			    if string.sub(connections[i], 1, #here) ~= here then return false end
			  end
			  return true
			end
			local function room(k, a)
			  local open = redis.call('HGET', KEYS[k], 'open')
			  if not open then return '!not_found' end
			  if open == '0' then return '!forbidden' end
			  if redis.call('SISMEMBER', KEYS[k + 1], ARGV[a]) == 0 then return '!not_member' end
			  if muted(ARGV[a]) then return '!muted' end
			  local id = redis.call('XADD', KEYS[k + 2], 'MAXLEN', '~', ARGV[2], '*', 'd', ARGV[a + 2])
			  local ts = string.match(id, '^(%d+)')
			  redis.call('PUBLISH', ARGV[a + 3], DELIVER_TO_ALL .. ARGV[a + 1] .. id .. ARGV[a + 2] .. ',"ts":' .. ts .. '}')
			  return id
			end
			local function private(k, a)
			  if muted(ARGV[a + 5]) then return '!muted' end
			  local id = redis.call('XADD', KEYS[k], 'MAXLEN', '~', ARGV[3], '*', 'd', ARGV[a], 'c', string.sub(ARGV[a + 4], 2, -2))
			  local ts = string.match(id, '^(%d+)')
			  local json = PRIVATE_HEAD .. id .. ARGV[a] .. ',"ts":' .. ts .. '}'
			  local result = id
			  local connections = redis.call('ZRANGEBYSCORE', KEYS[k + 1], live, '+inf')
			  if #connections == 0 then
			    redis.call('RPUSH', KEYS[k + 2], json)
			    redis.call('LTRIM', KEYS[k + 2], -tonumber(ARGV[4]), -1)
			    redis.call('PEXPIRE', KEYS[k + 2], ARGV[5])
			  elseif onlyHere(connections) then
			    result = HERE_MARK .. id
			  else
			    redis.call('PUBLISH', ARGV[a + 1], ARGV[a + 3] .. json)
			  end
			  if ARGV[a + 1] ~= ARGV[a + 2] and redis.call('ZCOUNT', KEYS[k + 5], live, '+inf') > 1 then
			    redis.call('PUBLISH', ARGV[a + 2], ARGV[a + 4] .. json)
			  end
			  redis.call('ZADD', KEYS[k + 3], ts, ARGV[a + 6])
			  redis.call('ZADD', KEYS[k + 4], ts, ARGV[a + 5])
			  return result
			end
			local results = {}
			local a = 7
			local k = 2
			while k <= #KEYS do
			  local isRoom = ARGV[a] == 'r'
			  local ok, result = pcall(isRoom and room or private, k, a + 1)
			  results[#results + 1] = ok and result or '!unavailable'
			  a = a + (isRoom and 5 or 8)
			  k = k + (isRoom and 3 or 6)
			end
			return results""".replace("DELIVER_TO_ALL", lua(Envelope.DELIVER_TO_ALL))
		.replace("PRIVATE_HEAD", lua(MessageFormat.privateHead()))
		.replace("HERE_MARK", lua(HERE)));

	private static final Logger log = LoggerFactory.getLogger(StoreBatcher.class);

	private record Store(String kind, String[] keys, String[] args, CompletableFuture<String> result) {
	}

	private enum State {

		IDLE, LINGERING, IN_FLIGHT

	}

	private final ConcurrentLinkedQueue<Store> waiting = new ConcurrentLinkedQueue<>();

	private final AtomicInteger waitingCount = new AtomicInteger();

	/** LINGERING: the linger timer sends the next batch; IN_FLIGHT: the batch's reply does. */
	private final AtomicReference<State> state = new AtomicReference<>(State.IDLE);

	private volatile int lastBatchSize;

	private final RedisAsync async;

	private final boolean lingers;

	private final Executor afterLinger;

	/** The arguments every batch starts with, after now: limits and this instance's connection prefix. */
	private final List<String> limits;

	@Autowired
	StoreBatcher(RedisAsync async, InstanceId instance, ParleyProperties properties) {
		this(async, instance, properties.store().linger(), properties);
	}

	StoreBatcher(RedisAsync async, InstanceId instance, Duration linger, ParleyProperties properties) {
		this.async = async;
		this.lingers = !linger.isNegative() && !linger.isZero();
		this.afterLinger = CompletableFuture.delayedExecutor(linger.toNanos(), TimeUnit.NANOSECONDS, Runnable::run);
		this.limits = List.of(Integer.toString(properties.history().maxPerRoom()),
				Integer.toString(properties.history().maxPerConversation()),
				Integer.toString(properties.offline().maxPerUser()),
				Long.toString(properties.offline().ttl().toMillis()), instance.connectionPrefix());
	}

	/** A Lua string literal of {@code text}. */
	private static String lua(String text) {
		return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'";
	}

	/**
	 * Completes, on the Redis I/O thread, with the message's id or its error code after '!';
	 * exceptionally when Redis could not be reached or failed the whole batch.
	 */
	CompletableFuture<String> store(String kind, String[] keys, String... args) {
		Store store = new Store(kind, keys, args, new CompletableFuture<>());
		waiting.add(store);
		if (waitingCount.incrementAndGet() >= LINGER_TARGET) {
			endLinger();
		}
		else {
			sendWaiting();
		}
		return store.result();
	}

	private void sendWaiting() {
		while (!waiting.isEmpty() && state.get() == State.IDLE) {
			if (shouldLinger()) {
				if (state.compareAndSet(State.IDLE, State.LINGERING)) {
					afterLinger.execute(this::endLinger);
				}
				return;
			}
			if (state.compareAndSet(State.IDLE, State.IN_FLIGHT) && sendBatch()) {
				return;
			}
		}
	}

	private boolean shouldLinger() {
		return lingers && lastBatchSize > 1 && waitingCount.get() < LINGER_TARGET;
	}

	/**
	 * Sends a lingering batch now: its time is up, or enough messages wait. A timer left from an
	 * earlier linger may end a later one early, which only sends that batch sooner.
	 */
	private void endLinger() {
		if (!state.compareAndSet(State.LINGERING, State.IN_FLIGHT) || !sendBatch()) {
			sendWaiting();
		}
	}

	/** Sends what waits, up to {@link #MAX_BATCH}; when nothing went out, the state is IDLE again. */
	private boolean sendBatch() {
		List<Store> batch = takeBatch();
		lastBatchSize = batch.size();
		if (!batch.isEmpty() && send(batch)) {
			return true;
		}
		state.set(State.IDLE);
		return false;
	}

	private List<Store> takeBatch() {
		List<Store> batch = new ArrayList<>();
		Store store;
		while (batch.size() < MAX_BATCH && (store = waiting.poll()) != null) {
			waitingCount.decrementAndGet();
			batch.add(store);
		}
		return batch;
	}

	/** Returns false when nothing went out: the batch has failed already. */
	private boolean send(List<Store> batch) {
		List<String> keys = new ArrayList<>(1 + batch.size() * 6);
		List<String> args = new ArrayList<>(1 + limits.size() + batch.size() * 8);
		keys.add(RedisKeys.MUTED);
		args.add(Long.toString(System.currentTimeMillis()));
		args.addAll(limits);
		for (Store store : batch) {
			Collections.addAll(keys, store.keys());
			args.add(store.kind());
			Collections.addAll(args, store.args());
		}
		CompletableFuture<List<Object>> results;
		try {
			results = async.eval(STORE_MESSAGES, ScriptOutputType.MULTI, keys.toArray(String[]::new),
					args.toArray(String[]::new));
		}
		catch (RuntimeException ex) {
			log.warn("Redis is unreachable", ex);
			batch.forEach(store -> store.result().completeExceptionally(ex));
			return false;
		}
		results.whenComplete((ids, error) -> {
			// the next batch goes out before this one's senders are answered
			state.set(State.IDLE);
			sendWaiting();
			complete(batch, ids, error);
		});
		return true;
	}

	private static void complete(List<Store> batch, List<Object> ids, Throwable error) {
		for (int i = 0; i < batch.size(); i++) {
			CompletableFuture<String> result = batch.get(i).result();
			if (error != null) {
				result.completeExceptionally(error);
			}
			else {
				result.complete((String) ids.get(i));
			}
		}
	}

}
