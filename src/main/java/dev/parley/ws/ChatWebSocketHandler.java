package dev.parley.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.FrameHandler;

import dev.parley.chat.Announcements;
import dev.parley.chat.ChatService;
import dev.parley.chat.ErrorCode;
import dev.parley.chat.InstanceId;
import dev.parley.chat.PresenceEvents;
import dev.parley.chat.ServerFrames;
import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.delivery.Client;
import dev.parley.delivery.Hub;
import dev.parley.delivery.OutboundFrame;
import dev.parley.history.RedisHistoryStore;
import dev.parley.presence.PresenceManager;
import dev.parley.room.Room;
import dev.parley.room.RoomService;
import dev.parley.user.User;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/** The life of a {@code /ws} connection: one {@link Client} each, messages handed to {@link ChatService}. */
@Component
public class ChatWebSocketHandler {

	private static final int UNREAD_CAP = 100;

	private final ChatService chat;

	private final Hub hub;

	private final PresenceManager presence;

	private final RoomService rooms;

	private final RedisHistoryStore history;

	private final ServerFrames frames;

	private final PresenceEvents presenceEvents;

	private final Executor sendExecutor;

	private final ParleyProperties properties;

	private final InstanceId instance;

	private final Announcements announcements;

	private final ConnectionMeters meters;

	private final RedisAsync redis;

	public ChatWebSocketHandler(ChatService chat, Hub hub, PresenceManager presence, RoomService rooms,
			RedisHistoryStore history, ServerFrames frames, PresenceEvents presenceEvents,
			@Qualifier("sendExecutor") Executor sendExecutor, ParleyProperties properties, InstanceId instance,
			Announcements announcements, ConnectionMeters meters, RedisAsync redis) {
		this.chat = chat;
		this.redis = redis;
		this.meters = meters;
		this.announcements = announcements;
		this.instance = instance;
		this.hub = hub;
		this.presence = presence;
		this.rooms = rooms;
		this.history = history;
		this.frames = frames;
		this.presenceEvents = presenceEvents;
		this.sendExecutor = sendExecutor;
		this.properties = properties;
	}

	FrameHandler newConnection(User user, List<String> memberships, Handshake handshake) {
		return new ClientFrameHandler(this, user, memberships, handshake, properties.limits().frameSize(),
				properties.ws().readOnSelector());
	}

	/**
	 * Subscribes before registering presence, and registers presence (which hands over the queued
	 * private messages atomically) before anything is written: nothing published meanwhile is lost,
	 * and the welcome still comes first. {@code memberships} are the user's rooms, as read when the
	 * handshake was admitted. No thread waits for Redis: the welcome is made on {@code pool} once
	 * Redis has answered, and the connection is open when the returned stage completes.
	 */
	CompletableFuture<Client> opened(User user, List<String> memberships, Handshake handshake, CoreSession session,
			Executor pool) {
		Client client = new Client(instance.newConnectionId(), user, handshake, session, sendExecutor, properties,
				meters);
		CompletableFuture<Client> opened;
		try {
			opened = hub.add(client, memberships).thenCompose(subscribed -> {
				// the welcome's reads go with the registration: one round trip for them all, and one
				// more only to bring queued private messages up to date with their edits
				CompletableFuture<PresenceManager.Arrival> arriving = presence.connectAsync(user.id(), client.id());
				CompletableFuture<List<Room>> found = rooms.findAllAsync(memberships);
				CompletableFuture<List<RedisHistoryStore.Unread>> unread = history.unreadCountsAsync(user.id(),
						memberships, UNREAD_CAP);
				CompletableFuture<List<String>> announced = announcements.showing();
				CompletableFuture<List<String>> privates = arriving
					.thenCompose(arrival -> asTheyAreNow(user, arrival.queuedPrivates(), pool));
				return redis.within(CompletableFuture.allOf(privates, found, unread, announced))
					.thenApplyAsync(ready -> welcome(client, memberships, arriving.join(), found.join(), unread.join(),
							privates.join(), announced.join()), pool);
			});
		}
		catch (RuntimeException ex) {
			opened = CompletableFuture.failedFuture(ex);
		}
		return opened.whenComplete((done, failure) -> {
			if (failure != null) {
				// the connection is refused: nothing of it may stay behind in the hub
				hub.remove(client);
			}
		});
	}

	/** Parsing the queued frames is left to {@code pool}: the Redis thread that completed the arrival has others' replies to read. */
	private CompletableFuture<List<String>> asTheyAreNow(User user, List<String> queued, Executor pool) {
		return queued.isEmpty() ? CompletableFuture.completedFuture(queued)
				: CompletableFuture.supplyAsync(() -> history.asTheyAreNowAsync(user.id(), queued), pool)
					.thenCompose(read -> read);
	}

	private Client welcome(Client client, List<String> memberships, PresenceManager.Arrival arrival, List<Room> found,
			List<RedisHistoryStore.Unread> unread, List<String> privates, List<String> announced) {
		User user = client.user();
		List<OutboundFrame> first = new ArrayList<>();
		first.add(frames.encode(new ServerFrames.Welcome(user, summaries(found, unread), client.id())));
		privates.forEach(json -> first.add(new OutboundFrame(json)));
		announced.forEach(json -> first.add(new OutboundFrame(json)));
		client.sendFirst(first.toArray(OutboundFrame[]::new));
		client.release();
		if (arrival.cameOnline()) {
			presenceEvents.announce(user, memberships, "online");
		}
		return client;
	}

	/** See {@link ChatService#handle}: null, or the part of the handling that waits for Redis. */
	Runnable text(Client client, String payload) {
		return chat.handle(client, payload);
	}

	void binary(Client client) {
		client.send(chat.error(ErrorCode.BAD_REQUEST, "binary frames are not part of the protocol", null));
	}

	/**
	 * The connection is gone, whoever closed it; completes once its cleanup is done, with no thread
	 * waiting for Redis meanwhile. It leaves the hub last: a shutdown waits for the hub to empty
	 * before Redis goes, and the presence cleanup needs Redis.
	 */
	CompletableFuture<Void> closed(Client client) {
		client.closed();
		User user = client.user();
		CompletableFuture<Void> cleanup;
		try {
			cleanup = presence.disconnectAsync(user.id(), client.id())
				.thenCompose(offline -> offline
						? rooms.roomsOfAsync(user.id()).thenAccept(r -> presenceEvents.announce(user, r, "offline"))
						: CompletableFuture.<Void>completedFuture(null));
		}
		catch (RuntimeException ex) {
			cleanup = CompletableFuture.failedFuture(ex);
		}
		return redis.within(cleanup).whenComplete((done, failure) -> hub.remove(client));
	}

	private List<ServerFrames.RoomSummary> summaries(List<Room> found, List<RedisHistoryStore.Unread> unread) {
		List<ServerFrames.RoomSummary> summaries = new ArrayList<>(found.size());
		for (int i = 0; i < found.size(); i++) {
			Room room = found.get(i);
			summaries.add(new ServerFrames.RoomSummary(room.slug(), room.name(), room.topic(), room.privateRoom(),
					unread.get(i).messages(), unread.get(i).mentions(), room.open()));
		}
		summaries.sort((a, b) -> a.slug().compareTo(b.slug()));
		return summaries;
	}

}
