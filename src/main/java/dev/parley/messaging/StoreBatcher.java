package dev.parley.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import io.lettuce.core.ScriptOutputType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.chat.InstanceId;
import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.config.RedisScripts;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Group commit for messages: while one script call is on its way to Redis, the commands that
 * arrive meanwhile wait, and the next call runs all of them ({@code redis/store-messages.lua}). A
 * busy server pays Redis's per-call cost (a read, a script call, a reply, a write on each side, and
 * caches gone cold while the app ran) once per batch instead of once per message.
 * <p>
 * A script may touch one Cluster slot only, so commands queue in a lane per slot group
 * ({@link RedisAsync#slotGroup}): on a single Redis, one lane for all, as before the Cluster; on a
 * Cluster, one per slot, so a busy room's messages still share batches. One batch at a time per
 * lane keeps its commands in the order they arrived.
 * <p>
 * The round trip alone makes batches of a few messages; so once a lane's batch carried more than one
 * (the server is busy), its next waits up to {@code parley.store.linger} for {@link #LINGER_TARGET}
 * commands before it goes. After a batch of one (a quiet server) the next command goes at once.
 */
@Component
class StoreBatcher {

	/** The most commands in one script call, so that one call never holds Redis for long. */
	static final int MAX_BATCH = 128;

	/** A lingering batch goes as soon as this many commands wait. */
	static final int LINGER_TARGET = 32;

	private static final RedisScript<List> STORE_MESSAGES = RedisScripts.load("store-messages", List.class);

	private static final Logger log = LoggerFactory.getLogger(StoreBatcher.class);

	private record Store(StoreCommand command, CompletableFuture<String> result) {
	}

	private enum State {

		IDLE, LINGERING, IN_FLIGHT

	}

	private final Map<Integer, Lane> lanes = new ConcurrentHashMap<>();

	private final RedisAsync async;

	private final boolean lingers;

	private final Executor afterLinger;

	/** The arguments every batch starts with, but the publish command: limits, connection prefix, envelope prefix. */
	private final List<String> header;

	private final int replicas;

	private final Duration replicaTimeout;

	/** Per batch, never per message: what the metrics read (batches, the stores in them, their round trips). */
	private final LongAdder batches = new LongAdder();

	private final LongAdder batched = new LongAdder();

	private final LongAdder roundTripNanos = new LongAdder();

	@Autowired
	StoreBatcher(RedisAsync async, InstanceId instance, ParleyProperties properties) {
		this(async, instance, properties.store().linger(), properties);
	}

	StoreBatcher(RedisAsync async, InstanceId instance, Duration linger, ParleyProperties properties) {
		this.async = async;
		this.replicas = properties.store().replicas();
		this.replicaTimeout = properties.store().replicaTimeout();
		this.lingers = !linger.isNegative() && !linger.isZero();
		this.afterLinger = CompletableFuture.delayedExecutor(linger.toNanos(), TimeUnit.NANOSECONDS, Runnable::run);
		this.header = List.of(Integer.toString(properties.history().maxPerRoom()),
				Integer.toString(properties.history().maxPerConversation()),
				Integer.toString(properties.offline().maxPerUser()),
				Long.toString(properties.offline().ttl().toMillis()), instance.connectionPrefix(),
				Envelope.DELIVER_TO_ALL);
	}

	/**
	 * Completes, on the Redis I/O thread, with the command's reply (an id, 'ok', 'here') or its error
	 * code after '!'; exceptionally when Redis could not be reached or failed the whole batch.
	 */
	CompletableFuture<String> store(StoreCommand command) {
		return lanes.computeIfAbsent(async.slotGroup(command.keys()[0]), group -> new Lane()).store(command);
	}

	long batches() {
		return batches.sum();
	}

	long batchedStores() {
		return batched.sum();
	}

	double roundTripSeconds() {
		return roundTripNanos.sum() / 1e9;
	}

	/** Whether these keys may go in one script: always on a single Redis, when they share a slot on a Cluster. */
	boolean inOneGroup(String... keys) {
		int group = async.slotGroup(keys[0]);
		for (String key : keys) {
			if (async.slotGroup(key) != group) {
				return false;
			}
		}
		return true;
	}

	/** The commands of one slot group, and the one batch of them in flight. */
	private final class Lane {

		private final ConcurrentLinkedQueue<Store> waiting = new ConcurrentLinkedQueue<>();

		private final AtomicInteger waitingCount = new AtomicInteger();

		/** LINGERING: the linger timer sends the next batch; IN_FLIGHT: the batch's reply does. */
		private final AtomicReference<State> state = new AtomicReference<>(State.IDLE);

		private volatile int lastBatchSize;

		CompletableFuture<String> store(StoreCommand command) {
			Store store = new Store(command, new CompletableFuture<>());
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
		 * Sends a lingering batch now: its time is up, or enough commands wait. A timer left from an
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
			CompletableFuture<List<Object>> results;
			long started = System.nanoTime();
			try {
				results = evaluate(batch);
			}
			catch (RuntimeException ex) {
				log.warn("Redis is unreachable", ex);
				batch.forEach(store -> store.result().completeExceptionally(ex));
				return false;
			}
			results.whenComplete((replies, error) -> {
				batches.increment();
				batched.add(batch.size());
				roundTripNanos.add(System.nanoTime() - started);
				// the next batch goes out before this one's senders are answered
				state.set(State.IDLE);
				sendWaiting();
				complete(batch, replies, error);
			});
			return true;
		}

	}

	/** With {@code parley.store.replicas}, a batch is answered once that many replicas have it. */
	private CompletableFuture<List<Object>> evaluate(List<Store> batch) {
		List<String> keys = new ArrayList<>(batch.size() * 3);
		List<String> args = new ArrayList<>(header.size() + 1 + batch.size() * 6);
		args.addAll(header);
		args.add(async.shardedPubSub() ? "SPUBLISH" : "PUBLISH");
		for (Store store : batch) {
			Collections.addAll(keys, store.command().keys());
			args.add(store.command().kind());
			Collections.addAll(args, store.command().args());
		}
		String[] keyArray = keys.toArray(String[]::new);
		String[] argArray = args.toArray(String[]::new);
		return replicas == 0 ? async.eval(STORE_MESSAGES, ScriptOutputType.MULTI, keyArray, argArray)
				: async.evalReplicated(STORE_MESSAGES, ScriptOutputType.MULTI, keyArray, argArray, replicas,
						replicaTimeout);
	}

	private static void complete(List<Store> batch, List<Object> replies, Throwable error) {
		for (int i = 0; i < batch.size(); i++) {
			CompletableFuture<String> result = batch.get(i).result();
			if (error != null) {
				result.completeExceptionally(error);
			}
			else {
				result.complete((String) replies.get(i));
			}
		}
	}

}
