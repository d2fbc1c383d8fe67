package dev.parley.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.ParleyProperties;
import dev.parley.history.RedisHistoryStore;
import dev.parley.presence.PresenceManager;
import dev.parley.room.RoomService;
import dev.parley.user.User;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/** The {@code /ws} endpoint: one {@link Client} per connection, frames handed to {@link ChatService}. */
@Component
public class ChatWebSocketHandler extends AbstractWebSocketHandler {

	static final String USER_ATTRIBUTE = "parley.user";

	private static final String CLIENT_ATTRIBUTE = "parley.client";

	private static final int UNREAD_CAP = 100;

	private static final Logger log = LoggerFactory.getLogger(ChatWebSocketHandler.class);

	private final ChatService chat;

	private final Hub hub;

	private final PresenceManager presence;

	private final RoomService rooms;

	private final RedisHistoryStore history;

	private final ServerFrames frames;

	private final PresenceEvents presenceEvents;

	private final Executor sendExecutor;

	private final ParleyProperties properties;

	public ChatWebSocketHandler(ChatService chat, Hub hub, PresenceManager presence, RoomService rooms,
			RedisHistoryStore history, ServerFrames frames, PresenceEvents presenceEvents,
			@Qualifier("sendExecutor") Executor sendExecutor, ParleyProperties properties) {
		this.chat = chat;
		this.hub = hub;
		this.presence = presence;
		this.rooms = rooms;
		this.history = history;
		this.frames = frames;
		this.presenceEvents = presenceEvents;
		this.sendExecutor = sendExecutor;
		this.properties = properties;
	}

	/**
	 * Subscribes before registering presence, and registers presence (which hands over the queued
	 * private messages atomically) before anything is written: nothing published meanwhile is lost,
	 * and the welcome still comes first.
	 */
	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		User user = (User) session.getAttributes().get(USER_ATTRIBUTE);
		Client client = new Client(UUID.randomUUID().toString(), user, session, sendExecutor, properties);
		session.getAttributes().put(CLIENT_ATTRIBUTE, client);
		List<String> memberships = new ArrayList<>(rooms.roomsOf(user.id()));
		hub.add(client, memberships);
		PresenceManager.Arrival arrival = presence.connect(user.id(), client.id());
		List<OutboundFrame> first = new ArrayList<>();
		first.add(frames.encode(new ServerFrames.Welcome(user, summaries(user, memberships), client.id())));
		arrival.queuedPrivates().forEach(json -> first.add(new OutboundFrame(json)));
		client.sendFirst(first.toArray(OutboundFrame[]::new));
		client.release();
		if (arrival.cameOnline()) {
			presenceEvents.announce(user, memberships, "online");
		}
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		Client client = client(session);
		client.heard();
		chat.handle(client, message.getPayload());
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
		Client client = client(session);
		client.heard();
		client.send(chat.error(ErrorCode.BAD_REQUEST, "binary frames are not part of the protocol", null));
	}

	@Override
	protected void handlePongMessage(WebSocketSession session, PongMessage message) {
		client(session).heard();
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		log.debug("Transport error on {}", session.getId(), exception);
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		Client client = (Client) session.getAttributes().get(CLIENT_ATTRIBUTE);
		if (client == null) {
			return;
		}
		client.closed();
		hub.remove(client);
		if (presence.disconnect(client.user().id(), client.id())) {
			presenceEvents.announce(client.user(), rooms.roomsOf(client.user().id()), "offline");
		}
	}

	private List<ServerFrames.RoomSummary> summaries(User user, List<String> memberships) {
		List<String> names = rooms.names(memberships);
		List<ServerFrames.RoomSummary> summaries = new ArrayList<>(memberships.size());
		for (int i = 0; i < memberships.size(); i++) {
			String slug = memberships.get(i);
			long unread = history.unread(slug, rooms.lastRead(user.id(), slug), UNREAD_CAP);
			summaries.add(new ServerFrames.RoomSummary(slug, names.get(i), unread));
		}
		summaries.sort((a, b) -> a.slug().compareTo(b.slug()));
		return summaries;
	}

	private static Client client(WebSocketSession session) {
		return (Client) session.getAttributes().get(CLIENT_ATTRIBUTE);
	}

}
