package dev.parley.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * One long-lived Lettuce connection for commands issued without waiting for each reply: scripts
 * whose replies complete futures, and batches of commands awaited together. Spring's
 * {@code executePipelined} opens a new TCP connection to Redis per call when connections are not
 * pooled, which costs more than the commands themselves. On a Redis Cluster it is Lettuce's
 * cluster connection, which sends each command to the master of its key's slot.
 */
@Component
public class RedisAsync implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RedisAsync.class);

	/** Just above the connection factory's phase (0): stops after every user, before the client closes. */
	private static final int PHASE = 1;

	private final LettuceConnectionFactory connectionFactory;

	private final Duration timeout;

	private volatile StatefulConnection<String, String> connection;

	private volatile RedisClusterAsyncCommands<String, String> commands;

	private volatile Boolean sharded;

	private volatile boolean running;

	public RedisAsync(LettuceConnectionFactory connectionFactory,
			@Value("${spring.data.redis.timeout:5s}") Duration timeout) {
		this.connectionFactory = connectionFactory;
		this.timeout = timeout;
	}

	/** Connects on first use; throws when Redis cannot be reached. */
	public RedisClusterAsyncCommands<String, String> commands() {
		RedisClusterAsyncCommands<String, String> current = commands;
		if (current == null) {
			synchronized (this) {
				if (commands == null) {
					connect(connectionFactory.getRequiredNativeClient());
				}
				current = commands;
			}
		}
		return current;
	}

	private void connect(AbstractRedisClient client) {
		if (client instanceof RedisClusterClient cluster) {
			StatefulRedisClusterConnection<String, String> opened = cluster.connect(StringCodec.UTF8);
			connection = opened;
			commands = opened.async();
		}
		else {
			StatefulRedisConnection<String, String> opened = ((RedisClient) client).connect(StringCodec.UTF8);
			connection = opened;
			commands = opened.async();
		}
	}

	/** Whether Redis is a Cluster, where one script or multi-key command may touch only one slot. */
	public boolean isCluster() {
		return connectionFactory.isClusterAware();
	}

	/**
	 * Whether channels use sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}), which sends a
	 * message only to the shard that owns its channel's slot: on a Cluster, and on any Redis 7 or
	 * later. Redis 6 (the embedded one) has only classic pub/sub. Asked once, when first needed.
	 */
	public boolean shardedPubSub() {
		Boolean known = sharded;
		if (known == null) {
			known = isCluster() || majorVersion() >= 7;
			sharded = known;
		}
		return known;
	}

	private int majorVersion() {
		String info = await(commands().info("server"));
		return info.lines()
			.filter(line -> line.startsWith("redis_version:"))
			.map(line -> line.substring("redis_version:".length()).trim())
			.mapToInt(version -> Integer.parseInt(version.substring(0, version.indexOf('.'))))
			.findFirst()
			.orElse(0);
	}

	/**
	 * Keys of one group may go in one script: on a Cluster, those of one slot (their hash tag's);
	 * on a single Redis, all keys are one group.
	 */
	public int slotGroup(String key) {
		return isCluster() ? SlotHash.getSlot(key) : 0;
	}

	/**
	 * Runs a script by its digest, sending its source only when this Redis does not know it yet
	 * (first use, or after a restart or SCRIPT FLUSH).
	 */
	public <T> CompletableFuture<T> eval(RedisScript<?> script, ScriptOutputType type, String[] keys,
			String... args) {
		return eval(commands(), script, type, keys, args);
	}

	private <T> CompletableFuture<T> eval(RedisClusterAsyncCommands<String, String> commands, RedisScript<?> script,
			ScriptOutputType type, String[] keys, String... args) {
		return commands.<T>evalsha(script.getSha1(), type, keys, args)
			.toCompletableFuture()
			.exceptionallyCompose(error -> isNoScript(error)
					? commands.<T>eval(script.getScriptAsString(), type, keys, args).toCompletableFuture()
					: CompletableFuture.failedFuture(error));
	}

	/**
	 * Like {@link #eval}, then waits ({@code WAIT}) until {@code replicas} replicas have what the
	 * script wrote, for at most {@code timeout}; fails when fewer did. WAIT counts the writes of the
	 * connection it is sent on, so on a Cluster both go to the master of the first key's slot, over
	 * that master's own connection.
	 */
	public <T> CompletableFuture<T> evalReplicated(RedisScript<?> script, ScriptOutputType type, String[] keys,
			String[] args, int replicas, Duration timeout) {
		return masterOf(keys[0]).thenCompose(master -> this.<T>eval(master, script, type, keys, args)
			.thenCompose(result -> master.waitForReplication(replicas, timeout.toMillis())
				.toCompletableFuture()
				.thenApply(replicated -> {
					if (replicated < replicas) {
						throw new ReplicationTimeoutException(replicated, replicas, timeout);
					}
					return result;
				})));
	}

	private CompletableFuture<RedisClusterAsyncCommands<String, String>> masterOf(String key) {
		RedisClusterAsyncCommands<String, String> current = commands();
		if (!(connection instanceof StatefulRedisClusterConnection<String, String> cluster)) {
			return CompletableFuture.completedFuture(current);
		}
		RedisClusterNode master = cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
		if (master == null) {
			return CompletableFuture.failedFuture(new IllegalStateException("no master serves the slot of " + key));
		}
		return cluster.getConnectionAsync(master.getNodeId()).thenApply(StatefulRedisConnection::async);
	}

	/** Fewer replicas than asked for had a write within the time allowed. */
	public static final class ReplicationTimeoutException extends RuntimeException {

		ReplicationTimeoutException(long replicated, int replicas, Duration timeout) {
			super(replicated + " of " + replicas + " replicas had the write within " + timeout);
		}

	}

	private static boolean isNoScript(Throwable error) {
		Throwable cause = error instanceof CompletionException ? error.getCause() : error;
		return cause instanceof RedisNoScriptException;
	}

	/**
	 * The reply, or a failure once Redis has not answered within the client's timeout: for a caller
	 * that does not wait, as {@link #awaitAll} would have it.
	 */
	public <T> CompletableFuture<T> within(CompletableFuture<T> reply) {
		return reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Waits for one command's reply, as {@link #awaitAll} does. */
	public <T> T await(CompletionStage<T> reply) {
		return awaitAll(List.of(reply.toCompletableFuture())).get(0);
	}

	/** Sends to a shard channel without waiting for the reply; a failure is logged. */
	public void spublish(String channel, String payload) {
		commands().spublish(channel, payload).exceptionally(error -> {
			log.warn("Publishing to {} failed: {}", channel, error.toString());
			return null;
		});
	}

	/** Waits for commands already sent, together: one round trip for the batch. */
	public <T> List<T> awaitAll(List<? extends CompletableFuture<? extends T>> replies) {
		try {
			CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisSystemException("interrupted while waiting for Redis", ex);
		}
		catch (TimeoutException ex) {
			throw new QueryTimeoutException("Redis did not answer within " + timeout, ex);
		}
		catch (ExecutionException ex) {
			throw new RedisSystemException("Redis failed: " + ex.getCause().getMessage(), ex.getCause());
		}
		return replies.stream().<T>map(CompletableFuture::join).toList();
	}

	@Override
	public void start() {
		running = true;
		if (isCluster()) {
			connectToEveryMaster();
		}
	}

	/**
	 * Lettuce connects to a Cluster's nodes on first use, and with {@code REJECT_COMMANDS} refuses
	 * the commands that come while such a connection is still opening (since Lettuce 7.5): the first
	 * requests to each master after a start would fail. So this connection and Spring's shared one
	 * open theirs to every master before the app takes traffic. A master that cannot be reached now
	 * is connected to on first use, as before.
	 */
	private void connectToEveryMaster() {
		List<CompletableFuture<?>> opening = new ArrayList<>();
		try {
			commands();
			opening.addAll(toEveryMaster((StatefulRedisClusterConnection<?, ?>) connection));
			try (RedisClusterConnection spring = connectionFactory.getClusterConnection()) {
				if (spring.getNativeConnection() instanceof RedisAdvancedClusterAsyncCommands<?, ?> shared) {
					opening.addAll(toEveryMaster(shared.getStatefulConnection()));
				}
			}
			CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException | ExecutionException | TimeoutException ex) {
			log.warn("Could not connect to every master of the Redis Cluster yet: {}", ex.toString());
		}
	}

	private static List<CompletableFuture<?>> toEveryMaster(StatefulRedisClusterConnection<?, ?> cluster) {
		List<CompletableFuture<?>> opening = new ArrayList<>();
		for (RedisClusterNode node : cluster.getPartitions()) {
			if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
				opening.add(cluster.getConnectionAsync(node.getNodeId()).toCompletableFuture());
			}
		}
		return opening;
	}

	@Override
	public synchronized void stop() {
		running = false;
		if (connection != null) {
			connection.close();
			connection = null;
			commands = null;
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
