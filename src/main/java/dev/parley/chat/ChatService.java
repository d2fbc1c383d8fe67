package dev.parley.chat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.admin.AuditLog;
import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
import dev.parley.delivery.Client;
import dev.parley.delivery.FanOut;
import dev.parley.delivery.Hub;
import dev.parley.delivery.OutboundFrame;
import dev.parley.files.FileService;
import dev.parley.files.SharedFile;
import dev.parley.history.MessageFormat;
import dev.parley.history.RedisHistoryStore;
import dev.parley.messaging.LoadShedder;
import dev.parley.messaging.MessageChanges;
import dev.parley.messaging.MessageChanges.Change;
import dev.parley.messaging.MessageStore.StoredPrivate;
import dev.parley.messaging.MessageStore;
import dev.parley.messaging.PubSubGateway;
import dev.parley.presence.PresenceManager;
import dev.parley.room.Room;
import dev.parley.room.RoomListing;
import dev.parley.room.RoomService;
import dev.parley.user.User;
import dev.parley.user.UserService;
import dev.parley.ws.InboundFrame;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * The policy for client frames: validates each frame, applies it through the room, history,
 * presence and messaging components, and answers. Every failure becomes an {@code error} frame that
 * changes nothing and leaves the connection open.
 */
@Service
public class ChatService {

	private static final Logger log = LoggerFactory.getLogger(ChatService.class);

	private static final OutboundFrame[] NO_FRAMES = {};

	/** The most edits and deletes a {@code join} with {@code since} carries (docs/protocol.md). */
	static final int MAX_CHANGES = 1000;

	private final JsonMapper json;

	/** Resolved once: every frame read skips the type and deserializer lookups. */
	private final ObjectReader frameReader;

	private final ServerFrames frames;

	private final MessageStore store;

	private final MessageChanges changes;

	private final FileService files;

	private final LoadShedder shedder;

	private final PubSubGateway gateway;

	private final Hub hub;

	private final FanOut fanOut;

	private final RoomService rooms;

	private final RedisHistoryStore history;

	private final PresenceManager presence;

	private final UserService users;

	private final PresenceEvents presenceEvents;

	private final MuteList mutes;

	private final List<RoomMessageObserver> observers;

	private final ParleyProperties properties;

	private final FailureLog answerFailures = new FailureLog(log, "Answering a message failed");

	private final AuditLog audit;

	private final RedisAsync redis;

	ChatService(JsonMapper json, ServerFrames frames, MessageStore store, MessageChanges changes, FileService files,
			LoadShedder shedder,
			PubSubGateway gateway, Hub hub, FanOut fanOut, RoomService rooms,
			RedisHistoryStore history, PresenceManager presence, UserService users, PresenceEvents presenceEvents,
			MuteList mutes, ObjectProvider<RoomMessageObserver> observers, AuditLog audit, RedisAsync redis,
			ParleyProperties properties) {
		this.json = json;
		this.redis = redis;
		this.audit = audit;
		this.frameReader = json.readerFor(InboundFrame.class);
		this.frames = frames;
		this.store = store;
		this.changes = changes;
		this.files = files;
		this.shedder = shedder;
		this.gateway = gateway;
		this.hub = hub;
		this.fanOut = fanOut;
		this.rooms = rooms;
		this.history = history;
		this.presence = presence;
		this.users = users;
		this.presenceEvents = presenceEvents;
		this.mutes = mutes;
		this.observers = observers.orderedStream().toList();
		this.properties = properties;
	}

	/**
	 * Handles a frame as far as it can without waiting for Redis. A message to a joined room, a
	 * private message and a ping are handled whole here (what they ask of Redis completes later, on
	 * Redis's thread), as is every frame that only earns an error; then null is returned. Any other
	 * frame reads or writes Redis synchronously: the returned task does that, and must be run where
	 * waiting is allowed.
	 */
	public Runnable handle(Client client, String payload) {
		if (!client.tryAcquireFrame()) {
			client.send(error(ErrorCode.RATE_LIMITED, ErrorCode.RATE_LIMITED.defaultMessage(), refOf(payload)));
			return null;
		}
		InboundFrame frame;
		try {
			frame = frameReader.readValue(payload);
		}
		catch (JacksonException ex) {
			client.send(error(ErrorCode.BAD_REQUEST, "a frame must be one JSON object with string fields",
					refOf(payload)));
			return null;
		}
		if (waitsForRedis(client, frame)) {
			return () -> apply(client, frame);
		}
		apply(client, frame);
		return null;
	}

	/** The frames whose handling reads or writes Redis synchronously (see {@link #dispatch}). */
	private static boolean waitsForRedis(Client client, InboundFrame frame) {
		if (frame == null || frame.type() == null) {
			return false;
		}
		return switch (frame.type()) {
			case "join", "leave", "history", "typing", "read", "edit", "delete", "invite", "members" -> true;
			// a non-member's error says whether the room exists; files are checked and recorded before the store
			case "message" -> frame.hasFiles() || frame.room() != null && !client.rooms().contains(frame.room());
			case "private" -> frame.hasFiles();
			default -> false;
		};
	}

	private void apply(Client client, InboundFrame frame) {
		try {
			dispatch(client, frame);
		}
		catch (ChatException ex) {
			client.send(error(ex.code(), ex.getMessage(), frame == null ? null : frame.ref()));
		}
		catch (DataAccessException ex) {
			log.warn("Redis failed while handling a {} frame", frame.type(), ex);
			client.send(error(ErrorCode.UNAVAILABLE, "storage is unavailable, try again", frame.ref()));
		}
	}

	public OutboundFrame error(ErrorCode code, String message, String ref) {
		return frames.encode(new ServerFrames.Error(code, message, ref));
	}

	private void dispatch(Client client, InboundFrame frame) {
		if (frame == null || frame.type() == null || frame.type().isBlank()) {
			throw new ChatException(ErrorCode.BAD_REQUEST, "type is required");
		}
		switch (frame.type()) {
			case "join" -> join(client, frame);
			case "leave" -> leave(client, frame);
			case "message" -> message(client, frame);
			case "private" -> privateMessage(client, frame);
			case "edit" -> edit(client, frame);
			case "delete" -> delete(client, frame);
			case "history" -> history(client, frame);
			case "typing" -> typing(client, frame);
			case "read" -> read(client, frame);
			case "invite" -> invite(client, frame);
			case "members" -> members(client, frame);
			case "ping" -> client.send(frames.encode(new ServerFrames.Pong(frame.ref())));
			default -> throw new ChatException(ErrorCode.UNKNOWN_TYPE, "unknown frame type: " + frame.type());
		}
	}

	/**
	 * The members' page, the latest messages and the moderator flag are read in one round trip,
	 * after the joiner's presence is announced on the same connection to Redis (so that the page holds
	 * the joiner).
	 */
	private void join(Client client, InboundFrame frame) {
		Room room = existingRoom(frame.room());
		String since = optionalId(frame.since(), "since");
		User user = client.user();
		boolean member = (!room.open() || room.privateRoom()) && rooms.isMember(user.id(), room.slug());
		if (room.privateRoom() && !member && !rooms.isInvited(user.id(), room.slug())) {
			throw noRoom(room.slug());
		}
		if (!room.open() && !member) {
			throw new ChatException(ErrorCode.FORBIDDEN, "room " + room.slug() + " is closed");
		}
		boolean newMember = subscribedMember(client, room.slug());
		if (newMember && room.privateRoom()) {
			rooms.uninvite(room.slug(), user.id());
		}
		if (newMember) {
			gateway.roomJoined(user.id(), room.slug());
			presenceEvents.announce(user, List.of(room.slug()), "join");
		}
		PresenceManager.Listing listing = presence.listOnline(room.slug(), null, PresenceManager.PAGE);
		CompletableFuture<Boolean> moderator = rooms.isModeratorAsync(user.id(), room.slug());
		CompletableFuture<RedisHistoryStore.Latest> latest = since == null
				? history.latestAsync(room.slug(), properties.history().joinLimit()) : null;
		PresenceManager.OnlinePage online = presence.onlinePage(listing);
		HistoryPage page = since == null ? new HistoryPage(redis.await(latest).messages(), null)
				: pageAfter(room.slug(), since, properties.history().maxPage());
		if (newMember) {
			markReadOnJoin(user.id(), room.slug(), since == null ? latest.join().newestId() : history.newestId(room.slug()));
		}
		List<String> changes = since == null ? null
				: history.changesAfter(RedisKeys.roomHistory(room.slug()), since, MAX_CHANGES);
		client.send(frames.encode(new ServerFrames.Joined(room.slug(), frame.ref(), online.members(), online.online(),
				ServerFrames.raw(page.messages()),
				changes == null ? null : ServerFrames.raw(changes), page.more(), redis.await(moderator))));
	}

	/**
	 * Subscribes first, then records the membership, so that a join that fails (Redis away) has no
	 * effect: neither a membership without the room's events, nor events without a membership.
	 */
	private boolean subscribedMember(Client client, String slug) {
		boolean subscribedBefore = client.rooms().contains(slug);
		hub.addToRoom(client, slug);
		try {
			return rooms.join(client.user().id(), slug);
		}
		catch (RuntimeException ex) {
			if (!subscribedBefore) {
				hub.removeFromRoom(client, slug);
			}
			throw ex;
		}
	}

	private void leave(Client client, InboundFrame frame) {
		Room room = existingRoom(frame.room());
		User user = client.user();
		boolean wasMember = rooms.leave(user.id(), room.slug());
		hub.removeFromRoom(client, room.slug());
		client.send(frames.encode(new ServerFrames.Left(room.slug(), frame.ref())));
		if (wasMember) {
			gateway.roomLeft(user.id(), room.slug(), "");
			presenceEvents.announce(user, List.of(room.slug()), "leave");
		}
	}

	private void message(Client client, InboundFrame frame) {
		String slug = requiredSlug(frame.room());
		String text = validText(frame.text(), frame.hasFiles());
		if (!client.rooms().contains(slug)) {
			if (existingRoom(slug).privateRoom()) {
				throw noRoom(slug);
			}
			throw new ChatException(ErrorCode.NOT_MEMBER, "join room " + slug + " before sending to it");
		}
		refuseIfMuted(client);
		String attached = frame.hasFiles() ? filesJson(files.postInRoom(client.user().id(), frame.files(), slug)) : "";
		client.hold();
		CompletableFuture<String> stored = shedder
			.whenAdmitted(() -> store.storeRoomMessage(slug, client.user(), text, attached));
		if (frame.hasFiles()) {
			settleFiles(frame, stored, RedisKeys.roomHistory(slug));
		}
		acknowledge(client, frame.ref(), stored);
		if (!observers.isEmpty()) {
			stored.thenRun(() -> observers.forEach(observer -> observer.stored(slug, client.user(), text)));
		}
	}

	private void refuseIfMuted(Client client) {
		if (mutes.isMuted(client.user().id())) {
			throw new ChatException(ErrorCode.FORBIDDEN, "an admin muted you for now: your messages are refused");
		}
	}

	/** Stored, then handed to the recipient's connections here when none is elsewhere. */
	private CompletableFuture<StoredPrivate> storePrivate(Client client, User to, String text, String attached) {
		return shedder.whenAdmitted(() -> store.storePrivate(client.user(), to, text, attached, client.id()))
			.thenApply(stored -> {
				if (stored.recipientOnlyHere()) {
					hub.deliverHere(to.id(), stored.id(), stored.frame(), client.id());
				}
				return stored;
			});
	}

	/**
	 * The recipient is looked up without holding this thread: the lookup and the store are chained
	 * replies. A message with files, handled where waiting is allowed, records them first.
	 */
	private void privateMessage(Client client, InboundFrame frame) {
		if (frame.to() == null || frame.to().isBlank()) {
			throw new ChatException(ErrorCode.BAD_REQUEST, "to is required");
		}
		String text = validText(frame.text(), frame.hasFiles());
		refuseIfMuted(client);
		CompletableFuture<Optional<User>> recipient;
		String attached = "";
		String stream = null;
		if (frame.hasFiles()) {
			User to = existingUser(frame.to());
			attached = filesJson(files.postInConversation(client.user().id(), frame.files(), client.user().id(), to.id()));
			recipient = CompletableFuture.completedFuture(Optional.of(to));
			stream = RedisKeys.conversationHistory(client.user().id(), to.id());
		}
		else {
			recipient = users.findAsync(frame.to());
		}
		String files = attached;
		client.hold();
		CompletableFuture<StoredPrivate> delivery = recipient
			.thenCompose(to -> to.map(user -> storePrivate(client, user, text, files))
				.orElseGet(() -> CompletableFuture
					.failedFuture(new ChatException(ErrorCode.NOT_FOUND, "no user " + frame.to()).asFailure())));
		if (stream != null) {
			settleFiles(frame, delivery.thenApply(StoredPrivate::id), stream);
		}
		delivery
			.whenComplete((stored, error) -> answer(client,
					() -> error == null ? new OutboundFrame[] { ack(frame.ref(), stored.id()), stored.frame() }
							: new OutboundFrame[] { failure(error, frame.ref()) }));
	}

	/**
	 * Answers once the message is stored: the ack (or the error) goes ahead of the message's own
	 * echo, which the hold kept from being written meanwhile. The answer is written by a fan-out
	 * pass, so a batch of stores completing together answers all its senders from one task.
	 */
	private void acknowledge(Client client, String ref, CompletableFuture<String> stored) {
		stored.whenComplete((id, error) -> answer(client,
				() -> new OutboundFrame[] { error == null ? ack(ref, id) : failure(error, ref) }));
	}

	private void answer(Client client, Supplier<OutboundFrame[]> reply) {
		OutboundFrame[] frames = NO_FRAMES;
		try {
			frames = reply.get();
		}
		finally {
			fanOut.reply(client, frames);
		}
	}

	private OutboundFrame failure(Throwable error, String ref) {
		Throwable cause = error instanceof CompletionException ? error.getCause() : error;
		if (cause instanceof ChatException chat) {
			return error(chat.code(), chat.getMessage(), ref);
		}
		answerFailures.report(cause);
		return error(ErrorCode.UNAVAILABLE, "storage is unavailable, try again", ref);
	}

	/** A room message by its author, or a private one by its author, with {@code with} naming the conversation. */
	private void edit(Client client, InboundFrame frame) {
		String id = requiredId(frame.id());
		String text = validText(frame.text());
		refuseIfMuted(client);
		User user = client.user();
		String with = frame.with() == null ? null : partner(frame.with());
		String slug = with == null ? memberRoom(client, frame.room()) : null;
		acknowledged(client, frame.ref(), id, () -> with != null ? changes.editPrivate(user, with, id, text)
				: changes.editRoomMessage(slug, id, user, text));
	}

	/** By its author; in a room also by one of the room's moderators, whose delete of another's message is audited. */
	private void delete(Client client, InboundFrame frame) {
		String id = requiredId(frame.id());
		User user = client.user();
		String with = frame.with() == null ? null : partner(frame.with());
		String slug = with == null ? memberRoom(client, frame.room()) : null;
		acknowledged(client, frame.ref(), id, () -> with != null ? changes.deletePrivate(user, with, id)
				: moderated(slug, id, user, changes.deleteRoomMessage(slug, id, user, rooms.isModerator(user.id(), slug))));
	}

	private MessageChanges.Change moderated(String slug, String id, User by, MessageChanges.Change deleted) {
		if (deleted.author() != null && !deleted.author().equals(by.id())) {
			audit.record(by.id(), "moderator", "delete message", slug + " " + id + " by " + deleted.author(), null);
		}
		return deleted;
	}

	/** The change's ack goes ahead of its event, as a message's ack goes ahead of its echo. */
	private void acknowledged(Client client, String ref, String id, Supplier<Change> change) {
		client.hold();
		try {
			client.sendFirst(frames.encode(new ServerFrames.Ack(ref, id, change.get().ts())));
		}
		finally {
			client.release();
		}
	}

	private String partner(String with) {
		return existingUser(with).id();
	}

	private User existingUser(String id) {
		return users.find(id).orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no user " + id));
	}

	private static String requiredId(String id) {
		String checked = optionalId(id, "id");
		if (checked == null) {
			throw new ChatException(ErrorCode.BAD_REQUEST, "id is required");
		}
		return checked;
	}

	private void history(Client client, InboundFrame frame) {
		String before = optionalId(frame.before(), "before");
		int limit = frame.limit() == null ? properties.history().joinLimit()
				: Math.max(1, Math.min(frame.limit(), properties.history().maxPage()));
		if (frame.with() != null) {
			User other = existingUser(frame.with());
			List<String> messages = history.conversationBefore(client.user().id(), other.id(), before, limit);
			client.send(frames.encode(
					new ServerFrames.History(null, other.id(), frame.ref(), ServerFrames.raw(messages), null)));
			return;
		}
		String slug = memberRoom(client, frame.room());
		String after = optionalId(frame.after(), "after");
		if (after != null) {
			if (before != null) {
				throw new ChatException(ErrorCode.BAD_REQUEST, "before and after cannot be used together");
			}
			HistoryPage page = pageAfter(slug, after, limit);
			client.send(frames.encode(
					new ServerFrames.History(slug, null, frame.ref(), ServerFrames.raw(page.messages()), page.more())));
			return;
		}
		client.send(frames.encode(new ServerFrames.History(slug, null, frame.ref(),
				ServerFrames.raw(history.before(slug, before, limit)), null)));
	}

	/** Messages after an id, and whether more follow them. */
	private record HistoryPage(List<String> messages, Boolean more) {
	}

	/**
	 * Up to {@code limit} messages after {@code after}, and no more than half the connection's send
	 * buffer, so that a client resuming after a long gap gets it page by page instead of being
	 * closed as a slow consumer by one reply too large to buffer (at least one message, whatever its size).
	 */
	private HistoryPage pageAfter(String slug, String after, int limit) {
		List<String> messages = history.after(slug, after, limit + 1);
		long budget = properties.send().bufferBytes() / 2;
		int count = 0;
		long size = 0;
		while (count < Math.min(limit, messages.size())) {
			size += messages.get(count).length();
			if (count > 0 && size > budget) {
				break;
			}
			count++;
		}
		return new HistoryPage(messages.subList(0, count), count < messages.size());
	}

	/** The room's members online now, a page at a time in id order: {@code after} the last one seen. */
	private void members(Client client, InboundFrame frame) {
		String slug = memberRoom(client, frame.room());
		int limit = frame.limit() == null ? PresenceManager.PAGE : frame.limit();
		if (limit < 1 || limit > PresenceManager.PAGE) {
			throw new ChatException(ErrorCode.BAD_REQUEST, "limit is 1 to " + PresenceManager.PAGE);
		}
		String after = frame.after();
		if (after != null && after.isBlank()) {
			throw new ChatException(ErrorCode.BAD_REQUEST, "after is a user id");
		}
		PresenceManager.OnlinePage page = presence.onlinePage(slug, after, limit);
		client.send(frames.encode(new ServerFrames.Members(slug, frame.ref(), page.members(), page.online(),
				page.next())));
	}

	/** In a room, to its other members; with {@code to}, to the other user of a private conversation. */
	private void typing(Client client, InboundFrame frame) {
		if (frame.to() != null) {
			User to = existingUser(frame.to());
			if (!to.id().equals(client.user().id())) {
				gateway.tellUser(to.id(), frames.json(ServerFrames.Typing.privately(client.user())));
			}
			return;
		}
		String slug = memberRoom(client, frame.room());
		gateway.tellRoom(slug, client.user().id(),
				frames.json(new ServerFrames.Typing(slug, client.user())));
	}

	private void read(Client client, InboundFrame frame) {
		String slug = memberRoom(client, frame.room());
		markRead(client.user().id(), slug, requiredId(frame.id()));
	}

	/** Not waited for: the joined reply has no use for it; a failure leaves the room's unread count as it was. */
	private void markReadOnJoin(String userId, String slug, String id) {
		if (id != null) {
			rooms.markReadAsync(userId, slug, id).exceptionally(error -> {
				log.warn("Marking {} read for {} on joining failed: {}", slug, userId, error.toString());
				return null;
			});
		}
	}

	private void markRead(String userId, String slug, String id) {
		if (id != null) {
			rooms.markRead(userId, slug, id);
		}
	}

	private OutboundFrame ack(String ref, String id) {
		return frames.encode(new ServerFrames.Ack(ref, id, MessageFormat.timestampOf(id)));
	}

	private String memberRoom(Client client, String room) {
		String slug = requiredSlug(room);
		if (!client.rooms().contains(slug)) {
			existingRoom(slug);
			throw new ChatException(ErrorCode.NOT_MEMBER, "not a member of room " + slug);
		}
		return slug;
	}

	private Room existingRoom(String room) {
		String slug = requiredSlug(room);
		return rooms.find(slug).orElseThrow(() -> noRoom(slug));
	}

	/** What a room that does not exist answers, and a private room to whoever may not know of it. */
	private static ChatException noRoom(String slug) {
		return new ChatException(ErrorCode.NOT_FOUND, "no room " + slug);
	}

	/**
	 * The owner or a moderator of a room invites a user: to a private room, the invitation lets them
	 * join it for {@link RoomService#INVITATION_TTL}; either way they are told.
	 */
	private void invite(Client client, InboundFrame frame) {
		Room room = existingRoom(frame.room());
		User by = client.user();
		if (!room.owner().equals(by.id()) && !rooms.isModerator(by.id(), room.slug())) {
			if (room.privateRoom() && !client.rooms().contains(room.slug())) {
				throw noRoom(room.slug());
			}
			throw new ChatException(ErrorCode.FORBIDDEN, "only the room's owner or a moderator invites to it");
		}
		if (frame.user() == null || frame.user().isBlank()) {
			throw new ChatException(ErrorCode.BAD_REQUEST, "user is required");
		}
		User invited = existingUser(frame.user());
		if (rooms.isMember(invited.id(), room.slug())) {
			throw new ChatException(ErrorCode.BAD_REQUEST, invited.id() + " is a member of " + room.slug() + " already");
		}
		if (room.privateRoom() && !rooms.invite(room.slug(), invited.id())) {
			throw new ChatException(ErrorCode.BAD_REQUEST, "room " + room.slug() + " holds "
					+ RoomService.MAX_INVITATIONS + " open invitations already");
		}
		long members = rooms.peopleCounts(List.of(room.slug())).get(0);
		gateway.tellUser(invited.id(), frames.json(new ServerFrames.Invited(RoomListing.of(room, members), by)));
		client.send(frames.encode(new ServerFrames.Ack(frame.ref(), null, System.currentTimeMillis())));
	}

	private static String requiredSlug(String room) {
		if (room == null || room.isBlank()) {
			throw new ChatException(ErrorCode.BAD_REQUEST, "room is required");
		}
		if (!Room.isValidSlug(room)) {
			throw new ChatException(ErrorCode.NOT_FOUND, "no room " + room);
		}
		return room;
	}

	private String validText(String text) {
		return validText(text, false);
	}

	/** @param mayBeEmpty true for a message that carries files: its text may be empty */
	private String validText(String text, boolean mayBeEmpty) {
		if (mayBeEmpty && (text == null || text.isBlank())) {
			return "";
		}
		if (text == null || text.isBlank()) {
			throw new ChatException(ErrorCode.BAD_REQUEST, "text is required");
		}
		int max = properties.limits().textLength();
		if (text.length() > max && text.codePointCount(0, text.length()) > max) {
			throw new ChatException(ErrorCode.TOO_LARGE, "text is longer than " + max + " characters");
		}
		return text;
	}

	/**
	 * A message's files once its store is answered: listed with the stream's messages, whose trim
	 * then takes them too; or, the message refused (Redis away, the server busy), free to send again.
	 * Off Redis's I/O thread, which the store's reply completes on (a rare path: the common pool
	 * serves it).
	 */
	private void settleFiles(InboundFrame frame, CompletableFuture<String> storedId, String stream) {
		storedId.whenCompleteAsync((id, error) -> {
			if (error == null) {
				files.kept(stream, id, frame.files());
			}
			else {
				files.unpost(frame.files());
			}
		});
	}

	/** The files a message carries, as its JSON has them: {@code ,"files":[...]}. */
	private String filesJson(List<SharedFile> shared) {
		return ",\"files\":" + json.writeValueAsString(shared);
	}

	private static String optionalId(String id, String field) {
		if (id == null) {
			return null;
		}
		if (!MessageFormat.isValidId(id)) {
			throw new ChatException(ErrorCode.BAD_REQUEST, field + " is not a message id");
		}
		return id;
	}

	/** Best effort: the ref of a frame that could not be read as a whole, so its error can still carry it. */
	private String refOf(String payload) {
		try {
			JsonNode ref = json.readTree(payload).get("ref");
			return ref != null && ref.isString() ? ref.asString() : null;
		}
		catch (JacksonException | IllegalArgumentException ex) {
			return null;
		}
	}

}
