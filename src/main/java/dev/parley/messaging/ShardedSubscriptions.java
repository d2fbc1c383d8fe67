package dev.parley.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;

/**
 * Sharded pub/sub on a Redis Cluster: each channel is subscribed ({@code SSUBSCRIBE}) on the master
 * that owns its slot, over one pub/sub connection per master, and published ({@code SPUBLISH}) to
 * that shard only, so a message travels to the instances that subscribed there and no further.
 * <p>
 * A master that dies leaves its channels without a subscription until its replica is promoted.
 * Lettuce does not move them, so every {@link #CHECK_EVERY} this checks where each channel's slot is
 * served now (asking the Cluster again while a master's connection is down), subscribes there, and
 * tells the listener the channel was subscribed again, for it to replay what the channel missed; a
 * master that handed its slots over and is still up is unsubscribed from once the new one confirms.
 * A subscription Lettuce restores on a master that came back is reported the same way. Lettuce
 * restores a connection's shard channels in one {@code SSUBSCRIBE}, which a master refuses
 * ({@code CROSSSLOT}) when they span several of its slots: so the channels of a master that came
 * back and were not confirmed since it went down are subscribed again one by one.
 */
final class ShardedSubscriptions implements Subscriptions {

	private static final Logger log = LoggerFactory.getLogger(ShardedSubscriptions.class);

	static final Duration CHECK_EVERY = Duration.ofMillis(500);

	private static final int OPENING_RETRIES = 10;

	private static final Executor RETRY = CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS);

	private final RedisClusterClient client;

	private final RedisAsync async;

	private final Listener listener;

	private final StatefulRedisClusterPubSubConnection<String, String> cluster;

	/** Channel → id of the master it is subscribed on (or being subscribed on). */
	private final Map<String, String> homes = new ConcurrentHashMap<>();

	/** Master id → its pub/sub connection, with this instance's listener on it. */
	private final Map<String, CompletableFuture<StatefulRedisPubSubConnection<String, String>>> nodes = new ConcurrentHashMap<>();

	/** Channels whose subscription was asked for and not confirmed yet: any other confirmation is a restored one. */
	private final Set<String> awaitingConfirmation = ConcurrentHashMap.newKeySet();

	/** Channel → when Redis last confirmed its subscription (System.nanoTime). */
	private final Map<String, Long> confirmed = new ConcurrentHashMap<>();

	/** Master id → when its connection was first seen down, until it has been up again for a check. */
	private final Map<String, Long> down = new ConcurrentHashMap<>();

	/** Master id → when its connection, seen down before, was first seen up again. */
	private final Map<String, Long> back = new ConcurrentHashMap<>();

	private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "sharded-pubsub-check");
		thread.setDaemon(true);
		return thread;
	});

	ShardedSubscriptions(RedisClusterClient client, RedisAsync async, Listener listener) {
		this.client = client;
		this.async = async;
		this.listener = listener;
		this.cluster = client.connectPubSub(StringCodec.UTF8);
		subscribe(RedisKeys.ALL_CHANNEL);
		checker.scheduleWithFixedDelay(this::rehomeSafely, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@Override
	public CompletableFuture<Void> subscribe(String channel) {
		String master = masterOf(channel);
		homes.put(channel, master);
		awaitingConfirmation.add(channel);
		return ssubscribe(master, channel).whenComplete((ignored, error) -> {
			if (error != null) {
				awaitingConfirmation.remove(channel);
				// no master recorded: tried again at the next check, unless the caller unsubscribes
				homes.replace(channel, master, "");
			}
		});
	}

	@Override
	public void unsubscribe(String channel) {
		confirmed.remove(channel);
		String master = homes.remove(channel);
		awaitingConfirmation.remove(channel);
		// empty: its subscription failed, so there is nothing to undo (and no node to ask)
		if (master != null && !master.isEmpty()) {
			node(master).thenAccept(connection -> connection.async().sunsubscribe(channel));
		}
	}

	@Override
	public void publish(String channel, String payload) {
		async.spublish(channel, payload);
	}

	private CompletableFuture<Void> ssubscribe(String master, String channel) {
		return ssubscribe(master, channel, OPENING_RETRIES);
	}

	/**
	 * A node's pub/sub connection is opened on first use, and with {@code REJECT_COMMANDS} Lettuce
	 * (since 7.5) refuses what comes while it is still opening (see RedisAsync): the first
	 * subscription on each master after a start could fail so. Tried again a few times, 100 ms
	 * apart, well within the caller's wait.
	 */
	private CompletableFuture<Void> ssubscribe(String master, String channel, int retries) {
		CompletableFuture<Void> subscribed = node(master)
			.thenCompose(connection -> connection.async().ssubscribe(channel).toCompletableFuture());
		return retries == 0 ? subscribed
				: subscribed.exceptionallyComposeAsync(error -> ssubscribe(master, channel, retries - 1), RETRY);
	}

	private String masterOf(String channel) {
		RedisClusterNode master = client.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
		if (master == null) {
			throw new IllegalStateException("no master serves the slot of " + channel + " now");
		}
		return master.getNodeId();
	}

	/** Fails, rather than throws, for a node that has left the Cluster since its id was read. */
	private CompletableFuture<StatefulRedisPubSubConnection<String, String>> node(String nodeId) {
		return nodes.compute(nodeId, (id, known) -> known != null && !known.isCompletedExceptionally() ? known
				: connect(id));
	}

	private CompletableFuture<StatefulRedisPubSubConnection<String, String>> connect(String nodeId) {
		try {
			return cluster.getConnectionAsync(nodeId).thenApply(connection -> {
				connection.addListener(new NodeListener());
				return connection;
			});
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private void rehomeSafely() {
		try {
			rehome();
		}
		catch (RuntimeException ex) {
			log.debug("Could not check where channels are served: {}", ex.toString());
		}
	}

	/**
	 * Subscribes each channel again whose slot another master serves now, or whose master's
	 * connection could not be opened; asks the Cluster first when a master is unreachable.
	 */
	private void rehome() {
		nodes.values().removeIf(CompletableFuture::isCompletedExceptionally);
		resubscribeWhereRestoringFailed();
		if (nodes.values().stream().anyMatch(ShardedSubscriptions::isDown)) {
			client.refreshPartitions();
		}
		homes.forEach((channel, home) -> {
			String master = masterOf(channel);
			boolean lost = !nodes.containsKey(home);
			if ((lost || !master.equals(home)) && homes.replace(channel, home, master)) {
				log.info("Subscribing to {} again, on master {}", channel, master);
				ssubscribe(master, channel).whenComplete((ignored, error) -> {
					if (error != null) {
						// no master recorded: tried again at the next check
						homes.replace(channel, master, "");
					}
					else if (!lost) {
						leave(home, channel);
					}
				});
			}
		});
		nodes.entrySet().removeIf(entry -> {
			boolean unused = isDown(entry.getValue()) && !homes.containsValue(entry.getKey());
			if (unused) {
				entry.getValue().thenAccept(StatefulRedisPubSubConnection::closeAsync);
			}
			return unused;
		});
	}

	/**
	 * For each master seen down, then up again for a whole check (time for Lettuce's own restoring to
	 * be confirmed): its channels not confirmed since it went down, one by one.
	 */
	private void resubscribeWhereRestoringFailed() {
		long now = System.nanoTime();
		nodes.forEach((id, node) -> {
			if (isDown(node)) {
				down.putIfAbsent(id, now);
				back.remove(id);
				return;
			}
			if (!node.isDone() || !down.containsKey(id)) {
				return;
			}
			long upAt = back.computeIfAbsent(id, ignored -> now);
			if (now - upAt < CHECK_EVERY.toNanos()) {
				return;
			}
			long since = down.remove(id);
			back.remove(id);
			homes.forEach((channel, home) -> {
				if (home.equals(id) && confirmed.getOrDefault(channel, Long.MIN_VALUE) - since < 0) {
					log.info("Subscribing to {} again on master {}, which came back", channel, id);
					ssubscribe(id, channel);
				}
			});
		});
	}

	/**
	 * Ends the subscription on a node that no longer serves the channel's slot: a master that became
	 * a replica still passes the shard's messages on, and each would come twice.
	 */
	private void leave(String node, String channel) {
		CompletableFuture<StatefulRedisPubSubConnection<String, String>> connection = nodes.get(node);
		if (connection != null && connection.isDone() && !isDown(connection)) {
			connection.join().async().sunsubscribe(channel);
		}
	}

	private static boolean isDown(CompletableFuture<StatefulRedisPubSubConnection<String, String>> node) {
		return node.isCompletedExceptionally() || (node.isDone() && !node.join().isOpen());
	}

	@Override
	public void close() {
		checker.shutdownNow();
		cluster.close();
	}

	/** One per master connection: which master sent a message does not matter, its channel does. */
	private final class NodeListener extends RedisPubSubAdapter<String, String> {

		@Override
		public void smessage(String channel, String message) {
			try {
				listener.message(channel, message);
			}
			catch (RuntimeException ex) {
				log.warn("Dropped a message on {} that could not be dispatched", channel, ex);
			}
		}

		@Override
		public void ssubscribed(String channel, long count) {
			confirmed.put(channel, System.nanoTime());
			if (!awaitingConfirmation.remove(channel) && homes.containsKey(channel)) {
				listener.resubscribed(channel);
			}
		}

	}

}
