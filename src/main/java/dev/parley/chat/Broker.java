package dev.parley.chat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.chat.StoreCommand.PrivateDelivery;
import dev.parley.chat.StoreCommand.PrivateEntry;
import dev.parley.chat.StoreCommand.RoomMessage;
import dev.parley.chat.StoreCommand.SenderCopy;
import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
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

	private final StringRedisTemplate redis;

	private final LettuceConnectionFactory connectionFactory;

	private final StoreBatcher batcher;

	private final MessageFormat format;

	private final FanOut fanOut;

	private final ParleyProperties properties;

	private final MessageCounters counters;

	private final RedisAsync async;

	/** Opened at the first subscription or publish, once the hub listens. */
	private volatile Subscriptions subscriptions;

	private volatile boolean running;

	/** Messages sent to Redis and not answered yet: past {@code parley.limits.pending-stores}, new ones are shed. */
	private final AtomicInteger pendingStores = new AtomicInteger();

	private final FailureLog storeFailures = new FailureLog(log, "Storing a message failed");

	private volatile Subscriptions.Listener listener;

	private volatile LocalDelivery localDelivery;

	/** Delivers a stored private message's frame to this instance's connections of a user, but one. */
	@FunctionalInterface
	interface LocalDelivery {

		void deliver(String userId, String id, OutboundFrame frame, String exceptConnection);

	}

	Broker(StringRedisTemplate redis, RedisAsync async, LettuceConnectionFactory connectionFactory,
			StoreBatcher batcher, MessageFormat format, FanOut fanOut, MessageCounters counters,
			ParleyProperties properties) {
		this.redis = redis;
		this.async = async;
		this.fanOut = fanOut;
		this.connectionFactory = connectionFactory;
		this.batcher = batcher;
		this.format = format;
		this.properties = properties;
		this.counters = counters;
	}

	private <T> CompletableFuture<T> busy() {
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
	void listen(Subscriptions.Listener listener, LocalDelivery localDelivery) {
		this.listener = listener;
		this.localDelivery = localDelivery;
	}

	/**
	 * Stores and publishes without holding the caller's thread: the message goes out with the others
	 * waiting, on a pipelined connection, and the future completes, on the Redis I/O thread, with
	 * the message id.
	 */
	public CompletableFuture<String> publishRoomMessage(String slug, User from, String text) {
		if (!admitted()) {
			return busy();
		}
		return stored(batcher.store(new RoomMessage(slug, from.id(), MessageFormat.roomHead(slug),
				format.roomTail(from, text))));
	}

	/**
	 * Like {@link #publishRoomMessage}, for a private message sent on connection
	 * {@code senderConnection}, which is left out of the delivery: its caller writes the returned
	 * frame to it, right behind the ack, rather than wait for the frame to come back from Redis. When
	 * every live connection of the recipient is on this instance, the message is not published but
	 * handed to them here: no other instance needs it, and the round through pub/sub cost this
	 * instance and its Redis more than storing it.
	 * <p>
	 * The conversation, the recipient and the sender each have a Cluster slot: the entry is appended
	 * first, then the recipient's and the sender's parts go together, with its id. A message is
	 * acknowledged only when all three are done; one whose later parts failed is in the history,
	 * and the sender, told it was not sent, may send it again.
	 */
	public CompletableFuture<StoredPrivate> publishPrivate(User from, User to, String text, String senderConnection) {
		if (!admitted()) {
			return busy();
		}
		String tail = format.privateTail(from, to, text);
		String toOthers = Envelope.toOthersPrefix(senderConnection);
		boolean toSelf = from.id().equals(to.id());
		CompletableFuture<StoredPrivate> stored = checked(
				batcher.store(new PrivateEntry(from.id(), to.id(), tail, senderConnection)))
			.thenCompose(id -> {
				String json = MessageFormat.assemble(MessageFormat.privateHead(), id, tail);
				long ts = MessageFormat.timestampOf(id);
				CompletableFuture<String> delivered = checked(batcher.store(
						new PrivateDelivery(to.id(), from.id(), json, ts, toSelf ? toOthers : Envelope.DELIVER_TO_ALL)));
				CompletableFuture<String> copied = toSelf ? CompletableFuture.completedFuture("ok")
						: checked(batcher.store(new SenderCopy(from.id(), to.id(), json, ts, toOthers)));
				return delivered.thenCombine(copied, (where, ignored) -> deliverIfHere(where, id, json, to.id(),
						senderConnection));
			});
		return stored.whenComplete((done, error) -> finished(error));
	}

	/** Hands the message to the recipient's connections here when the script answered that only they need it. */
	private StoredPrivate deliverIfHere(String where, String id, String json, String recipientId,
			String senderConnection) {
		OutboundFrame frame = new OutboundFrame(json);
		if (PrivateDelivery.HERE.equals(where)) {
			localDelivery.deliver(recipientId, id, frame, senderConnection);
		}
		return new StoredPrivate(id, frame);
	}

	/**
	 * Past capacity the queue of stores would only grow, and every message in it wait longer; so
	 * beyond {@code parley.limits.pending-stores} a message is refused at once, unstored, and the
	 * sender may send it again. The same while broadcasts wait longer than {@code parley.limits.send-lag}
	 * for a send thread: then this instance's own CPU is the queue, and every message accepted would
	 * only add to it. An admitted message is {@link #finished} once, whatever its outcome.
	 */
	private boolean admitted() {
		if (fanOut.lagNanos() > properties.limits().sendLag().toNanos()) {
			return false;
		}
		if (pendingStores.incrementAndGet() > properties.limits().pendingStores()) {
			pendingStores.decrementAndGet();
			return false;
		}
		return true;
	}

	private void finished(Throwable error) {
		pendingStores.decrementAndGet();
		if (error == null) {
			counters.messageStored();
		}
	}

	private CompletableFuture<String> stored(CompletableFuture<String> reply) {
		return checked(reply).whenComplete((id, error) -> finished(error));
	}

	/**
	 * Never throws: every failure, connecting included, completes the future exceptionally, with a
	 * {@link ChatException} the sender is told.
	 */
	private CompletableFuture<String> checked(CompletableFuture<String> reply) {
		return reply.handle((result, error) -> {
			if (error != null) {
				if (error instanceof CompletionException completion && completion.getCause() instanceof ChatException) {
					throw completion;
				}
				storeFailures.report(error);
				throw new ChatException(ErrorCode.UNAVAILABLE, "storage is unavailable, try again").asFailure();
			}
			return checked(result);
		});
	}

	/** Sends a frame to every connection of the room's members, except {@code excludeUserId}'s. */
	public void publishToRoom(String slug, String excludeUserId, String json) {
		subscriptions().publish(RedisKeys.roomChannel(slug), Envelope.deliver(excludeUserId, json));
	}

	public void publishToUser(String userId, Envelope envelope) {
		subscriptions().publish(RedisKeys.userChannel(userId), envelope.encode());
	}

	public void publishToAll(String json) {
		subscriptions().publish(RedisKeys.ALL_CHANNEL, Envelope.deliver(null, json));
	}

	/** Tells every instance to read the list of muted users again. */
	public void announceMutesChanged() {
		subscriptions().publish(RedisKeys.ALL_CHANNEL, new Envelope(Envelope.MUTES_CHANGED, "", "").encode());
	}

	/** Completes when Redis has confirmed the subscription, so nothing published after it is missed. */
	public CompletableFuture<Void> subscribe(String channel) {
		return subscriptions().subscribe(channel);
	}

	public void unsubscribe(String channel) {
		subscriptions().unsubscribe(channel);
	}

	/** A pub/sub connection per master on a Cluster, where classic pub/sub would copy every message to every node; one otherwise. */
	private Subscriptions subscriptions() {
		Subscriptions current = subscriptions;
		if (current == null) {
			synchronized (this) {
				if (subscriptions == null) {
					if (listener == null) {
						throw new IllegalStateException("no hub listens to the broker yet");
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

	private static String checked(String result) {
		if (result == null) {
			throw new ChatException(ErrorCode.UNAVAILABLE, "the message could not be stored").asFailure();
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
