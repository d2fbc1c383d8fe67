package dev.parley.chat;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.eclipse.jetty.websocket.core.CloseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.RedisKeys;

import org.springframework.stereotype.Component;

/**
 * This instance's connections, by user and by room. A room or user channel is subscribed while at
 * least one local connection needs it. Incoming messages are only queued to clients here: the
 * Redis I/O thread never writes to a socket.
 */
@Component
public class Hub {

	private static final Logger log = LoggerFactory.getLogger(Hub.class);

	private static final String ROOM_PREFIX = RedisKeys.roomChannel("");

	private static final String USER_PREFIX = RedisKeys.userChannel("");

	private static final long SUBSCRIBE_TIMEOUT_SECONDS = 10;

	private final Map<String, Set<Client>> byUser = new ConcurrentHashMap<>();

	private final Map<String, Set<Client>> byRoom = new ConcurrentHashMap<>();

	private final Map<String, Client> all = new ConcurrentHashMap<>();

	/** Per channel, the subscription in flight or done: a second local client waits on the same one. */
	private final Map<String, CompletableFuture<Void>> subscriptions = new ConcurrentHashMap<>();

	private final Broker broker;

	private final FanOut fanOut;

	Hub(Broker broker, FanOut fanOut) {
		this.broker = broker;
		this.fanOut = fanOut;
		broker.listen(this::dispatch, this::deliverHere);
	}

	/** Adds a connection and waits until this instance receives everything for its user and rooms. */
	public void add(Client client, Collection<String> rooms) {
		all.put(client.id(), client);
		CompletableFuture<Void> user = addTo(byUser, client.user().id(), client,
				RedisKeys.userChannel(client.user().id()));
		CompletableFuture<?>[] subscriptions = rooms.stream().map(room -> joinLocally(client, room))
			.toArray(CompletableFuture[]::new);
		await(CompletableFuture.allOf(user, CompletableFuture.allOf(subscriptions)));
	}

	/** Counts as gone only once its channels are released, so that a shutdown waits for that too. */
	public void remove(Client client) {
		try {
			removeFrom(byUser, client.user().id(), client, RedisKeys.userChannel(client.user().id()));
			client.rooms().forEach(room -> removeFrom(byRoom, room, client, RedisKeys.roomChannel(room)));
		}
		finally {
			all.remove(client.id());
		}
	}

	/** Makes this connection receive a room's events, waiting until the subscription is confirmed. */
	public void addToRoom(Client client, String room) {
		await(joinLocally(client, room));
	}

	public void removeFromRoom(Client client, String room) {
		if (client.rooms().remove(room)) {
			removeFrom(byRoom, room, client, RedisKeys.roomChannel(room));
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
		return Set.copyOf(subscriptions.keySet());
	}

	public int connectionCount() {
		return all.size();
	}

	private CompletableFuture<Void> joinLocally(Client client, String room) {
		if (!client.rooms().add(room)) {
			return CompletableFuture.completedFuture(null);
		}
		return addTo(byRoom, room, client, RedisKeys.roomChannel(room));
	}

	private CompletableFuture<Void> addTo(Map<String, Set<Client>> index, String key, Client client,
			String channel) {
		index.compute(key, (k, clients) -> {
			Set<Client> set = clients == null ? ConcurrentHashMap.newKeySet() : clients;
			if (set.isEmpty()) {
				subscriptions.put(channel, broker.subscribe(channel));
			}
			set.add(client);
			return set;
		});
		return subscriptions.getOrDefault(channel, CompletableFuture.completedFuture(null));
	}

	private void removeFrom(Map<String, Set<Client>> index, String key, Client client, String channel) {
		index.computeIfPresent(key, (k, clients) -> {
			clients.remove(client);
			if (clients.isEmpty()) {
				subscriptions.remove(channel);
				broker.unsubscribe(channel);
				return null;
			}
			return clients;
		});
	}

	private void dispatch(String channel, String payload) {
		Envelope envelope = Envelope.decode(payload);
		if (channel.startsWith(ROOM_PREFIX)) {
			deliver(byRoom.get(channel.substring(ROOM_PREFIX.length())), envelope);
		}
		else if (channel.startsWith(USER_PREFIX)) {
			onUserEnvelope(channel.substring(USER_PREFIX.length()), envelope);
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
			default -> log.warn("Unknown envelope kind {} for user {}", envelope.kind(), userId);
		}
	}

	/** A private message that was not published: its recipient's connections are all here. */
	private void deliverHere(String userId, OutboundFrame frame, String exceptConnection) {
		Set<Client> clients = byUser.get(userId);
		if (clients != null && !clients.isEmpty()) {
			fanOut.submit(clients, frame, FanOut.exceptConnection(exceptConnection));
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
			log.warn("Subscribing failed", ex);
			throw new ChatException(ErrorCode.UNAVAILABLE, "could not subscribe to events");
		}
	}

}
