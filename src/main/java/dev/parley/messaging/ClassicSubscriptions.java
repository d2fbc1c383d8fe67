package dev.parley.messaging;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Pub/sub on one Redis (or the master Sentinel names): one connection, which Lettuce reconnects
 * and subscribes again to every channel. A confirmation nobody asked for is such a restored
 * subscription. Sharded ({@code SSUBSCRIBE}/{@code SPUBLISH}) on Redis 7 and later, classic on
 * Redis 6: on one server both reach the same subscribers, and sharded keeps the same commands as a
 * Cluster uses.
 */
final class ClassicSubscriptions implements Subscriptions {

	private static final Logger log = LoggerFactory.getLogger(ClassicSubscriptions.class);

	private final RedisClient client;

	private final StringRedisTemplate redis;

	private final Listener listener;

	private final boolean sharded;

	private final RedisAsync async;

	private volatile StatefulRedisPubSubConnection<String, String> connection;

	/**
	 * Channels whose subscription this instance asked for and Redis has not confirmed yet. A
	 * confirmation for any other channel is Lettuce restoring the subscriptions of a pub/sub
	 * connection it reconnected: the channel may have missed messages meanwhile. Lettuce keeps the
	 * channels it restores; a set of them here too would cost an entry per idle connection (each
	 * user has a channel), and the hub ignores a restored channel it no longer holds.
	 */
	private final Set<String> awaitingConfirmation = ConcurrentHashMap.newKeySet();

	ClassicSubscriptions(RedisClient client, StringRedisTemplate redis, RedisAsync async, Listener listener) {
		this.client = client;
		this.redis = redis;
		this.async = async;
		this.listener = listener;
		this.sharded = async.shardedPubSub();
	}

	@Override
	public CompletableFuture<Void> subscribe(String channel) {
		StatefulRedisPubSubConnection<String, String> current = connection();
		awaitingConfirmation.add(channel);
		var confirmed = sharded ? current.async().ssubscribe(channel) : current.async().subscribe(channel);
		return confirmed.toCompletableFuture().handle((ignored, error) -> {
			if (error != null) {
				awaitingConfirmation.remove(channel);
				throw error instanceof CompletionException completion ? completion : new CompletionException(error);
			}
			return null;
		});
	}

	@Override
	public void unsubscribe(String channel) {
		awaitingConfirmation.remove(channel);
		if (sharded) {
			connection().async().sunsubscribe(channel);
		}
		else {
			connection().async().unsubscribe(channel);
		}
	}

	@Override
	public void publish(String channel, String payload) {
		if (sharded) {
			async.spublish(channel, payload);
		}
		else {
			redis.convertAndSend(channel, payload);
		}
	}

	private StatefulRedisPubSubConnection<String, String> connection() {
		StatefulRedisPubSubConnection<String, String> current = connection;
		if (current == null) {
			synchronized (this) {
				if (connection == null) {
					connection = connect();
				}
				current = connection;
			}
		}
		return current;
	}

	private StatefulRedisPubSubConnection<String, String> connect() {
		StatefulRedisPubSubConnection<String, String> opened = client.connectPubSub(StringCodec.UTF8);
		opened.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				dispatch(channel, message);
			}

			@Override
			public void smessage(String channel, String message) {
				dispatch(channel, message);
			}

			@Override
			public void subscribed(String channel, long count) {
				confirmed(channel);
			}

			@Override
			public void ssubscribed(String channel, long count) {
				confirmed(channel);
			}
		});
		awaitingConfirmation.add(RedisKeys.ALL_CHANNEL);
		if (sharded) {
			opened.sync().ssubscribe(RedisKeys.ALL_CHANNEL);
		}
		else {
			opened.sync().subscribe(RedisKeys.ALL_CHANNEL);
		}
		return opened;
	}

	private void dispatch(String channel, String message) {
		try {
			listener.message(channel, message);
		}
		catch (RuntimeException ex) {
			log.warn("Dropped a message on {} that could not be dispatched", channel, ex);
		}
	}

	private void confirmed(String channel) {
		if (!awaitingConfirmation.remove(channel)) {
			listener.resubscribed(channel);
		}
	}

	@Override
	public synchronized void close() {
		if (connection != null) {
			connection.close();
			connection = null;
		}
	}

}
