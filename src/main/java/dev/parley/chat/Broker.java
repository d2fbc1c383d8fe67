package dev.parley.chat;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisKeys;
import dev.parley.history.MessageFormat;
import dev.parley.user.User;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Stores and publishes. A message is appended to its stream and published to its channel in one
 * step, a Lua script that {@link StoreBatcher} runs for every message waiting, so a stored message
 * is always published and the id in the published frame is the stream id. Subscriptions are per
 * channel: an instance subscribes only to the rooms and users its own connections need.
 */
@Component
public class Broker implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(Broker.class);

	/** A stored private message: its id and the frame every connection of both users gets. */
	public record StoredPrivate(String id, OutboundFrame frame) {
	}

	/** What the store script answers for a message from a muted user. */
	private static final String MUTED = "!muted";

	private final StringRedisTemplate redis;

	private final LettuceConnectionFactory connectionFactory;

	private final StoreBatcher batcher;

	private final MessageFormat format;

	private final FanOut fanOut;

	private final ParleyProperties properties;

	private final MessageCounters counters;

	private volatile StatefulRedisPubSubConnection<String, String> pubSub;

	/** Every channel subscribed to now, so that a new pub/sub connection restores them all. */
	private final Set<String> channels = ConcurrentHashMap.newKeySet();

	/**
	 * Channels whose subscription this instance asked for and Redis has not confirmed yet. A
	 * confirmation for any other channel is Lettuce restoring the subscriptions of a pub/sub
	 * connection it reconnected: the channel may have missed messages meanwhile.
	 */
	private final Set<String> awaitingConfirmation = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	/** Messages sent to Redis and not answered yet: past {@code parley.limits.pending-stores}, new ones are shed. */
	private final AtomicInteger pendingStores = new AtomicInteger();

	private final FailureLog storeFailures = new FailureLog(log, "Storing a message failed");

	private volatile BiConsumer<String, String> listener = (channel, message) -> {
	};

	private volatile LocalDelivery localDelivery = (userId, id, frame, exceptConnection) -> {
	};

	private volatile Consumer<String> resubscribed = channel -> {
	};

	/** Delivers a stored private message's frame to this instance's connections of a user, but one. */
	@FunctionalInterface
	interface LocalDelivery {

		void deliver(String userId, String id, OutboundFrame frame, String exceptConnection);

	}

	Broker(StringRedisTemplate redis, LettuceConnectionFactory connectionFactory, StoreBatcher batcher,
			MessageFormat format, FanOut fanOut, MessageCounters counters, ParleyProperties properties) {
		this.redis = redis;
		this.fanOut = fanOut;
		this.connectionFactory = connectionFactory;
		this.batcher = batcher;
		this.format = format;
		this.properties = properties;
		this.counters = counters;
	}

	private CompletableFuture<String> busy() {
		counters.refused();
		return CompletableFuture
			.failedFuture(new ChatException(ErrorCode.UNAVAILABLE, "the server is busy, try again").asFailure());
	}

	/**
	 * Where received messages go: (channel, payload); and private messages that were not published,
	 * since every live connection of their recipient is on this instance; and the channels whose
	 * subscription was restored after the pub/sub connection had been lost. All are called on the
	 * Redis I/O thread, which must not block.
	 */
	void listen(BiConsumer<String, String> listener, LocalDelivery localDelivery, Consumer<String> resubscribed) {
		this.listener = listener;
		this.localDelivery = localDelivery;
		this.resubscribed = resubscribed;
	}

	/**
	 * Stores and publishes without holding the caller's thread: the message goes out with the others
	 * waiting, on a pipelined connection, and the future completes, on the Redis I/O thread, with
	 * the message id.
	 */
	public CompletableFuture<String> publishRoomMessage(String slug, User from, String text) {
		return evaluate(StoreBatcher.ROOM,
				new String[] { RedisKeys.room(slug), RedisKeys.roomMembers(slug), RedisKeys.roomHistory(slug) },
				from.id(), MessageFormat.roomHead(slug), format.roomTail(from, text), RedisKeys.roomChannel(slug));
	}

	/**
	 * Like {@link #publishRoomMessage}, for a private message sent on connection
	 * {@code senderConnection}, which is left out of the delivery: its caller writes the returned
	 * frame to it, right behind the ack, rather than wait for the frame to come back from Redis. When
	 * every live connection of the recipient is on this instance, the message is not published but
	 * handed to them here: no other instance needs it, and the round through pub/sub cost this
	 * instance and its Redis more than storing it.
	 */
	public CompletableFuture<StoredPrivate> publishPrivate(User from, User to, String text, String senderConnection) {
		String tail = format.privateTail(from, to, text);
		String toOthers = Envelope.toOthersPrefix(senderConnection);
		return evaluate(StoreBatcher.PRIVATE,
				new String[] { RedisKeys.conversationHistory(from.id(), to.id()), RedisKeys.userConnections(to.id()),
						RedisKeys.userOffline(to.id()), RedisKeys.userConversations(from.id()),
						RedisKeys.userConversations(to.id()), RedisKeys.userConnections(from.id()) },
				tail, RedisKeys.userChannel(to.id()), RedisKeys.userChannel(from.id()),
				from.id().equals(to.id()) ? toOthers : Envelope.DELIVER_TO_ALL, toOthers, from.id(), to.id())
			.thenApply(result -> stored(result, tail, to.id(), senderConnection));
	}

	/** Hands the message to the recipient's connections here when the script answered that only they need it. */
	private StoredPrivate stored(String result, String tail, String recipientId, String senderConnection) {
		boolean onlyHere = result.startsWith(StoreBatcher.HERE);
		String id = onlyHere ? result.substring(StoreBatcher.HERE.length()) : result;
		OutboundFrame frame = new OutboundFrame(MessageFormat.assemble(MessageFormat.privateHead(), id, tail));
		if (onlyHere) {
			localDelivery.deliver(recipientId, id, frame, senderConnection);
		}
		return new StoredPrivate(id, frame);
	}

	/**
	 * Never throws: every failure, connecting included, completes the future exceptionally. Past
	 * capacity the queue of stores would only grow, and every message in it wait longer; so beyond
	 * {@code parley.limits.pending-stores} a message is refused at once, unstored, and the sender
	 * may send it again. The same while broadcasts wait longer than {@code parley.limits.send-lag}
	 * for a send thread: then this instance's own CPU is the queue, and every message accepted would
	 * only add to it.
	 */
	private CompletableFuture<String> evaluate(String kind, String[] keys, String... args) {
		if (fanOut.lagNanos() > properties.limits().sendLag().toNanos()) {
			return busy();
		}
		if (pendingStores.incrementAndGet() > properties.limits().pendingStores()) {
			pendingStores.decrementAndGet();
			return busy();
		}
		return batcher.store(kind, keys, args).handle((result, error) -> {
			pendingStores.decrementAndGet();
			if (error != null) {
				storeFailures.report(error);
				throw new ChatException(ErrorCode.UNAVAILABLE, "storage is unavailable, try again").asFailure();
			}
			String id = checked(result);
			counters.messageStored();
			return id;
		});
	}

	/** Sends a frame to every connection of the room's members, except {@code excludeUserId}'s. */
	public void publishToRoom(String slug, String excludeUserId, String json) {
		redis.convertAndSend(RedisKeys.roomChannel(slug), Envelope.deliver(excludeUserId, json));
	}

	public void publishToUser(String userId, Envelope envelope) {
		redis.convertAndSend(RedisKeys.userChannel(userId), envelope.encode());
	}

	public void publishToAll(String json) {
		redis.convertAndSend(RedisKeys.ALL_CHANNEL, Envelope.deliver(null, json));
	}

	/** Completes when Redis has confirmed the subscription, so nothing published after it is missed. */
	public CompletableFuture<Void> subscribe(String channel) {
		// connected first: a new connection subscribes to every channel known, this one would get two confirmations
		StatefulRedisPubSubConnection<String, String> connection = pubSub();
		channels.add(channel);
		awaitingConfirmation.add(channel);
		return connection.async().subscribe(channel).toCompletableFuture().handle((ignored, error) -> {
			if (error != null) {
				awaitingConfirmation.remove(channel);
				throw error instanceof CompletionException completion ? completion : new CompletionException(error);
			}
			return null;
		});
	}

	public void unsubscribe(String channel) {
		channels.remove(channel);
		awaitingConfirmation.remove(channel);
		pubSub().async().unsubscribe(channel);
	}

	private StatefulRedisPubSubConnection<String, String> pubSub() {
		StatefulRedisPubSubConnection<String, String> connection = pubSub;
		if (connection == null) {
			synchronized (this) {
				if (pubSub == null) {
					pubSub = connect();
				}
				connection = pubSub;
			}
		}
		return connection;
	}

	private StatefulRedisPubSubConnection<String, String> connect() {
		RedisClient client = (RedisClient) connectionFactory.getRequiredNativeClient();
		StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub(StringCodec.UTF8);
		connection.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				try {
					listener.accept(channel, message);
				}
				catch (RuntimeException ex) {
					log.warn("Dropped a message on {} that could not be dispatched", channel, ex);
				}
			}

			@Override
			public void subscribed(String channel, long count) {
				if (!awaitingConfirmation.remove(channel) && channels.contains(channel)) {
					resubscribed.accept(channel);
				}
			}
		});
		channels.add(RedisKeys.ALL_CHANNEL);
		awaitingConfirmation.addAll(channels);
		connection.sync().subscribe(channels.toArray(String[]::new));
		return connection;
	}

	private static String checked(String result) {
		if (result == null) {
			throw new ChatException(ErrorCode.UNAVAILABLE, "the message could not be stored").asFailure();
		}
		if (result.equals(MUTED)) {
			throw new ChatException(ErrorCode.FORBIDDEN, "an admin muted you for now: your messages are refused")
				.asFailure();
		}
		if (result.startsWith("!")) {
			ErrorCode code = ErrorCode.fromWire(result.substring(1));
			throw new ChatException(code, code.defaultMessage()).asFailure();
		}
		return result;
	}

	@Override
	public void start() {
		running = true;
	}

	/** The connection factory closes its client when stopped, so the pub/sub connection goes first. */
	@Override
	public synchronized void stop() {
		running = false;
		if (pubSub != null) {
			pubSub.close();
			pubSub = null;
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
