package dev.parley.messaging;

import java.util.concurrent.CompletableFuture;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;

import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
import dev.parley.ws.GracefulShutdown;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * What crosses instances besides stored messages, said as what it means: tell a user, close a
 * user's connections, a user joined or left a room, tell a room, tell everyone. Each becomes an
 * {@link Envelope} on a room's, a user's or the all-instances channel. And this instance's
 * subscriptions, per channel, for the hub, which must {@link #register} before the first one.
 */
@Component
public class PubSubGateway implements SmartLifecycle {

	private final StringRedisTemplate redis;

	private final RedisAsync async;

	private final LettuceConnectionFactory connectionFactory;

	private volatile Subscriptions.Listener listener;

	/** Opened at the first subscription or publish. */
	private volatile Subscriptions subscriptions;

	private volatile boolean running;

	PubSubGateway(StringRedisTemplate redis, RedisAsync async, LettuceConnectionFactory connectionFactory) {
		this.redis = redis;
		this.async = async;
		this.connectionFactory = connectionFactory;
	}

	/** Where what arrives goes: called on a Redis I/O thread, which must not block. */
	public synchronized void register(Subscriptions.Listener listener) {
		if (this.listener != null) {
			throw new IllegalStateException("a listener is registered already");
		}
		this.listener = listener;
	}

	/** A frame to every connection of the room's members, except {@code excludeUserId}'s (when not null). */
	public void tellRoom(String slug, String excludeUserId, String json) {
		publish(RedisKeys.roomChannel(slug), Envelope.deliver(excludeUserId, json));
	}

	/** A frame to every connection of the user. */
	public void tellUser(String userId, String json) {
		publish(RedisKeys.userChannel(userId), new Envelope(Envelope.DELIVER, "", json).encode());
	}

	/** A frame to every connection on every instance. */
	public void tellEveryone(String json) {
		publish(RedisKeys.ALL_CHANNEL, Envelope.deliver(null, json));
	}

	/** Closes every connection of the user with this code and reason. */
	public void closeUser(String userId, int code, String reason) {
		publish(RedisKeys.userChannel(userId), new Envelope(Envelope.CLOSE, Integer.toString(code), reason).encode());
	}

	/** Closes the user's connections opened by the HTTP session whose key is {@code sessionKey}. */
	public void loggedOut(String userId, String sessionKey) {
		publish(RedisKeys.userChannel(userId), new Envelope(Envelope.LOGGED_OUT, sessionKey, "").encode());
	}

	/** The user became a member of the room: their connections on every instance receive it from now on. */
	public void roomJoined(String userId, String slug) {
		publish(RedisKeys.userChannel(userId), new Envelope(Envelope.JOINED, slug, "").encode());
	}

	/** The user stopped being a member: their connections get {@code frameJson} first (when not empty), then nothing more of it. */
	public void roomLeft(String userId, String slug, String frameJson) {
		publish(RedisKeys.userChannel(userId), new Envelope(Envelope.LEFT, slug, frameJson).encode());
	}

	/** Tells every instance to read the list of muted users again. */
	public void mutesChanged() {
		publish(RedisKeys.ALL_CHANNEL, new Envelope(Envelope.MUTES_CHANGED, "", "").encode());
	}

	/** Completes when Redis has confirmed the subscription, so nothing published after it is missed. */
	public CompletableFuture<Void> subscribe(String channel) {
		return subscriptions().subscribe(channel);
	}

	public void unsubscribe(String channel) {
		subscriptions().unsubscribe(channel);
	}

	private void publish(String channel, String payload) {
		subscriptions().publish(channel, payload);
	}

	/**
	 * A pub/sub connection per master on a Cluster, where classic pub/sub would copy every message
	 * to every node; one otherwise.
	 */
	private Subscriptions subscriptions() {
		Subscriptions current = subscriptions;
		if (current == null) {
			synchronized (this) {
				if (subscriptions == null) {
					if (listener == null) {
						throw new IllegalStateException("no hub is registered with the pub/sub gateway yet");
					}
					AbstractRedisClient client = connectionFactory.getRequiredNativeClient();
					subscriptions = client instanceof RedisClusterClient cluster
							? new ShardedSubscriptions(cluster, async, listener)
							: new ClassicSubscriptions((RedisClient) client, redis, async, listener);
				}
				current = subscriptions;
			}
		}
		return current;
	}

	@Override
	public void start() {
		running = true;
	}

	/** The connection factory closes its client when stopped, so the pub/sub connections go first. */
	@Override
	public synchronized void stop() {
		running = false;
		if (subscriptions != null) {
			subscriptions.close();
			subscriptions = null;
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Stops after {@link GracefulShutdown} has closed the connections, before the Redis client. */
	@Override
	public int getPhase() {
		return GracefulShutdown.PHASE - 1;
	}

}
