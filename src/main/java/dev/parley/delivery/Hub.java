package dev.parley.delivery;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.eclipse.jetty.websocket.core.CloseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.chat.ChatException;
import dev.parley.chat.ErrorCode;
import dev.parley.chat.MuteList;
import dev.parley.config.RedisKeys;
import dev.parley.delivery.ChannelCursor.Missed;
import dev.parley.delivery.GapRecovery.Gap;
import dev.parley.delivery.GapRecovery.UserState;
import dev.parley.history.StreamId;
import dev.parley.messaging.Envelope;
import dev.parley.messaging.PubSubGateway;
import dev.parley.messaging.Subscriptions;

import org.springframework.stereotype.Component;

/**
 * This instance's connections, by user and by room. A room or user channel is subscribed while at
 * least one local connection needs it. Incoming messages are only queued to clients here: the
 * Redis I/O thread never writes to a socket.
 * <p>
 * Each subscribed channel has a {@link ChannelCursor}: when the subscription comes back after an
 * interruption (Redis restarted, the network dropped), the messages stored meanwhile are read from
 * their streams and delivered ahead of live traffic, and a user's memberships and ban are checked
 * again; where that cannot be done (too many, trimmed, Redis failing), the channel's connections
 * are closed with {@link Client#RESUME} so that their clients resume with {@code since}.
 */
@Component
public class Hub {

	private static final Logger log = LoggerFactory.getLogger(Hub.class);

	private static final long SUBSCRIBE_TIMEOUT_SECONDS = 10;

	/** Reading what a channel missed is tried this often, {@link #RECOVERY_RETRY} apart: 10 s in all. */
	private static final int RECOVERY_ATTEMPTS = 50;

	private static final Executor RECOVERY_RETRY = CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS);

	/** A channel interrupted before its first position was known: what it missed cannot be told. */
	private static final CompletableFuture<Gap> UNKNOWN_POSITION = CompletableFuture.completedFuture(Gap.UNRECOVERABLE);

	/**
	 * A user's connections, few: an immutable set replaced on each change costs a tenth of a
	 * concurrent one, and every connection of a distinct user has one.
	 */
	private final Map<String, Set<Client>> byUser = new ConcurrentHashMap<>();

	/** A room's connections, possibly many: one concurrent set, changed in place. */
	private final Map<String, Set<Client>> byRoom = new ConcurrentHashMap<>();

	private final Map<String, Client> all = new ConcurrentHashMap<>();

	/** How many of this instance's connections each client address holds; no entry for none. */
	private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();

	/**
	 * Per subscribed room and user channel, its subscription (in flight or done: a second local client
	 * waits on the same one) and the last stored message delivered from it. One map, not two: every
	 * connection's user has a channel, so an entry is kept per idle connection.
	 */
	private final Map<String, ChannelCursor> channels = new ConcurrentHashMap<>();

	private final PubSubGateway gateway;

	private final MuteList mutes;

	private final FanOut fanOut;

	private final GapRecovery recovery;

	Hub(PubSubGateway gateway, FanOut fanOut, GapRecovery recovery, MuteList mutes) {
		this.gateway = gateway;
		this.mutes = mutes;
		this.fanOut = fanOut;
		this.recovery = recovery;
		gateway.register(new Subscriptions.Listener() {
			@Override
			public void message(String channel, String payload) {
				dispatch(channel, payload);
			}

			@Override
			public void resubscribed(String channel) {
				Hub.this.resubscribed(channel);
			}
		});
	}

	/**
	 * Adds a connection; completes once this instance receives everything for its user and rooms, or
	 * with a {@link ChatException} when that cannot be confirmed in time.
	 */
	public CompletableFuture<Void> add(Client client, Collection<String> rooms) {
		all.put(client.id(), client);
		byAddress.merge(client.address(), 1, Integer::sum);
		CompletableFuture<Void> user = addTo(byUser, client.user().id(), client,
				RedisKeys.userChannel(client.user().id()), Hub::withConnection);
		client.enterRooms(rooms);
		CompletableFuture<?>[] subscriptions = rooms.stream()
			.map(room -> addTo(byRoom, room, client, RedisKeys.roomChannel(room), Hub::withMember))
			.toArray(CompletableFuture[]::new);
		return CompletableFuture.allOf(user, CompletableFuture.allOf(subscriptions))
			.orTimeout(SUBSCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
			.exceptionallyCompose(failure -> {
				log.warn("Subscribing failed: {}", failure.toString());
				return CompletableFuture.failedFuture(
						new ChatException(ErrorCode.UNAVAILABLE, "could not subscribe to events"));
			});
	}

	/** Counts as gone only once its channels are released, so that a shutdown waits for that too. */
	public void remove(Client client) {
		try {
			removeFrom(byUser, client.user().id(), client, RedisKeys.userChannel(client.user().id()),
					CopyOnWriteSets::without);
			client.rooms()
				.forEach(room -> removeFrom(byRoom, room, client, RedisKeys.roomChannel(room), Hub::withoutMember));
		}
		finally {
			if (all.remove(client.id()) != null) {
				byAddress.computeIfPresent(client.address(), (address, count) -> count == 1 ? null : count - 1);
			}
		}
	}

	/**
	 * Makes this connection receive a room's events, waiting until the subscription is confirmed;
	 * when it cannot be, the connection is left as it was.
	 */
	public void addToRoom(Client client, String room) {
		boolean added = !client.rooms().contains(room);
		try {
			await(joinLocally(client, room));
		}
		catch (ChatException ex) {
			if (added) {
				removeFromRoom(client, room);
			}
			throw ex;
		}
	}

	public void removeFromRoom(Client client, String room) {
		if (client.leaveRoom(room)) {
			removeFrom(byRoom, room, client, RedisKeys.roomChannel(room), Hub::withoutMember);
		}
	}

	public Collection<Client> clients() {
		return all.values();
	}

	public Set<Client> clientsOf(String userId) {
		return byUser.getOrDefault(userId, Set.of());
	}

	/** The room and user channels this instance is subscribed to (besides the broadcast channel). */
	public Set<String> subscribedChannels() {
		return Set.copyOf(channels.keySet());
	}

	public int connectionCount() {
		return all.size();
	}

	/** The connections this instance holds from a client address. */
	public int connectionsFrom(String address) {
		return byAddress.getOrDefault(address, 0);
	}

	private CompletableFuture<Void> joinLocally(Client client, String room) {
		if (!client.enterRoom(room)) {
			return CompletableFuture.completedFuture(null);
		}
		return addTo(byRoom, room, client, RedisKeys.roomChannel(room), Hub::withMember);
	}

	/** {@code adding} gives the key's set with the client in it, from the set before (null for none). */
	private CompletableFuture<Void> addTo(Map<String, Set<Client>> index, String key, Client client, String channel,
			BiFunction<Set<Client>, Client, Set<Client>> adding) {
		index.compute(key, (k, clients) -> {
			if (clients == null) {
				subscribe(channel);
			}
			return adding.apply(clients, client);
		});
		ChannelCursor cursor = channels.get(channel);
		return cursor == null ? CompletableFuture.completedFuture(null) : cursor.subscribed();
	}

	private static Set<Client> withConnection(Set<Client> clients, Client client) {
		return clients == null ? Set.of(client) : CopyOnWriteSets.with(clients, List.of(client));
	}

	private static Set<Client> withMember(Set<Client> clients, Client client) {
		Set<Client> members = clients == null ? ConcurrentHashMap.newKeySet() : clients;
		members.add(client);
		return members;
	}

	private static Set<Client> withoutMember(Set<Client> members, Client client) {
		members.remove(client);
		return members;
	}

	/** Once confirmed, the channel's cursor starts at Redis's clock: what is stored later counts. */
	private void subscribe(String channel) {
		ChannelCursor cursor = new ChannelCursor(gateway.subscribe(channel));
		channels.put(channel, cursor);
		cursor.subscribed().thenCompose(done -> recovery.now()).thenAccept(cursor::startAt);
	}

	/** {@code removing} gives the key's set without the client, from the set before. */
	private void removeFrom(Map<String, Set<Client>> index, String key, Client client, String channel,
			BiFunction<Set<Client>, Client, Set<Client>> removing) {
		index.computeIfPresent(key, (k, clients) -> {
			Set<Client> left = removing.apply(clients, client);
			if (left.isEmpty()) {
				channels.remove(channel);
				gateway.unsubscribe(channel);
				return null;
			}
			return left;
		});
	}

	private void dispatch(String channel, String payload) {
		Envelope envelope = Envelope.decode(payload);
		ChannelCursor cursor = channels.get(channel);
		if (cursor == null) {
			route(channel, envelope);
		}
		else {
			cursor.pass(envelope, passed -> route(channel, passed));
		}
	}

	private void route(String channel, Envelope envelope) {
		String slug = RedisKeys.roomOfChannel(channel);
		String userId = slug == null ? RedisKeys.userOfChannel(channel) : null;
		if (slug != null) {
			deliver(byRoom.get(slug), envelope);
		}
		else if (userId != null) {
			onUserEnvelope(userId, envelope);
		}
		else if (channel.equals(RedisKeys.ALL_CHANNEL) && envelope.kind() == Envelope.MUTES_CHANGED) {
			mutes.reload();
		}
		else if (channel.equals(RedisKeys.ALL_CHANNEL)) {
			deliver(all.values(), envelope);
		}
	}

	private void onUserEnvelope(String userId, Envelope envelope) {
		Set<Client> clients = byUser.get(userId);
		if (clients == null) {
			return;
		}
		switch (envelope.kind()) {
			case Envelope.DELIVER -> deliver(clients, envelope);
			case Envelope.DELIVER_TO_OTHERS ->
				deliver(clients, envelope.body(), FanOut.exceptConnection(envelope.arg()));
			case Envelope.JOINED -> clients.forEach(client -> joinLocally(client, envelope.arg()));
			case Envelope.LEFT -> clients.forEach(client -> {
				if (!envelope.body().isEmpty()) {
					client.send(new OutboundFrame(envelope.body()));
				}
				removeFromRoom(client, envelope.arg());
			});
			case Envelope.CLOSE -> clients
				.forEach(client -> client.close(new CloseStatus(Integer.parseInt(envelope.arg()), envelope.body())));
			case Envelope.LOGGED_OUT -> clients.stream()
				.filter(client -> client.openedBy(envelope.arg()))
				.forEach(client -> client.close(Client.LOGGED_OUT));
			default -> log.warn("Unknown envelope kind {} for user {}", envelope.kind(), userId);
		}
	}

	/**
	 * A stored private message that was not published, since its recipient's live connections are
	 * all here: to each of them but {@code exceptConnection}.
	 */
	public void deliverHere(String userId, String id, OutboundFrame frame, String exceptConnection) {
		ChannelCursor cursor = channels.get(RedisKeys.userChannel(userId));
		if (cursor != null) {
			cursor.delivered(StreamId.parse(id));
		}
		Set<Client> clients = byUser.get(userId);
		if (clients != null && !clients.isEmpty()) {
			fanOut.submit(clients, frame, FanOut.exceptConnection(exceptConnection));
		}
	}

	/** The subscription to {@code channel} was restored after its connection to Redis was lost. */
	private void resubscribed(String channel) {
		ChannelCursor cursor = channels.get(channel);
		if (cursor == null) {
			return;
		}
		StreamId since = cursor.interrupted();
		String slug = RedisKeys.roomOfChannel(channel);
		String userId = slug == null ? RedisKeys.userOfChannel(channel) : null;
		if (slug != null) {
			replay(channel, cursor, () -> since == null ? UNKNOWN_POSITION : recovery.room(slug, since));
		}
		else if (userId != null) {
			replay(channel, cursor, () -> since == null ? UNKNOWN_POSITION : recovery.privates(userId, since));
			retried(() -> recovery.userState(userId), RECOVERY_ATTEMPTS)
				.thenAccept(state -> reconcile(userId, state))
				.exceptionally(error -> {
				log.warn("Could not check user {} again after a Redis interruption: {}", userId, error.toString());
				return null;
			});
		}
	}

	/**
	 * Reads what the channel missed, trying again while Redis refuses (the command connection may
	 * come back after the pub/sub one), then delivers it, or tells the channel's connections to resume.
	 */
	private void replay(String channel, ChannelCursor cursor, Supplier<CompletableFuture<Gap>> reading) {
		retried(reading, RECOVERY_ATTEMPTS).exceptionally(error -> {
			log.warn("Could not read what {} missed: {}", channel, error.toString());
			return Gap.UNRECOVERABLE;
		}).thenAccept(found -> {
			Collection<Client> clients = subscribersOf(channel);
			if (!found.complete()) {
				log.warn("{} missed more than can be replayed: its {} connections are told to resume", channel,
						clients.size());
				clients.forEach(client -> client.close(Client.RESUME));
			}
			cursor.recovered(found.missed(), missed -> deliverMissed(clients, missed),
					envelope -> route(channel, envelope));
		});
	}

	private static <T> CompletableFuture<T> retried(Supplier<CompletableFuture<T>> attempt, int attempts) {
		CompletableFuture<T> first;
		try {
			first = attempt.get();
		}
		catch (RuntimeException ex) {
			first = CompletableFuture.failedFuture(ex);
		}
		if (attempts <= 1) {
			return first;
		}
		return first.exceptionallyComposeAsync(error -> retried(attempt, attempts - 1), RECOVERY_RETRY);
	}

	private void deliverMissed(Collection<Client> clients, Missed missed) {
		deliver(clients, missed.json(), FanOut.exceptConnection(missed.exceptConnection()));
	}

	private Collection<Client> subscribersOf(String channel) {
		String slug = RedisKeys.roomOfChannel(channel);
		Set<Client> clients = slug != null ? byRoom.get(slug) : byUser.get(RedisKeys.userOfChannel(channel));
		return clients == null ? Set.of() : clients;
	}

	/** What a user's channel would have said meanwhile: a ban, rooms joined or left on other devices. */
	private void reconcile(String userId, UserState state) {
		for (Client client : subscribersOf(RedisKeys.userChannel(userId))) {
			if (state.banned()) {
				client.close(new CloseStatus(CloseStatus.POLICY_VIOLATION, "banned"));
				continue;
			}
			state.rooms().stream().filter(room -> !client.rooms().contains(room))
				.forEach(room -> joinLocally(client, room));
			client.rooms().stream().filter(room -> !state.rooms().contains(room))
				.forEach(room -> removeFromRoom(client, room));
		}
	}

	private void deliver(Collection<Client> clients, Envelope envelope) {
		deliver(clients, envelope.body(), FanOut.exceptUser(envelope.arg()));
	}

	private void deliver(Collection<Client> clients, String json, Predicate<Client> excluded) {
		if (clients != null && !clients.isEmpty()) {
			fanOut.submit(clients, new OutboundFrame(json), excluded);
		}
	}

	private static void await(CompletableFuture<?> future) {
		try {
			future.get(SUBSCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ChatException(ErrorCode.UNAVAILABLE, "interrupted while subscribing");
		}
		catch (Exception ex) {
			log.warn("Subscribing failed: {}", ex.toString());
			throw new ChatException(ErrorCode.UNAVAILABLE, "could not subscribe to events");
		}
	}

}
