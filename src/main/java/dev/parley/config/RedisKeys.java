package dev.parley.config;

/**
 * Every Redis key and channel Parley uses, in one place. Each key is bounded: streams by MAXLEN,
 * lists by LTRIM, per-connection and per-token keys by TTL, sets by the number of users and rooms.
 * <p>
 * A hash tag (the part in braces, which alone decides a key's Redis Cluster slot) puts what one
 * script or one multi-key command touches in one slot: a room's hash, members, stream and channel
 * share {@code {room:<slug>}}; a user's hash, rooms, read marks, connections, offline queue,
 * conversations, tokens and channel share {@code {user:<id>}}; a conversation's stream has
 * {@code {dm:<a>:<b>}}. The keys without a tag are each used alone.
 */
public final class RedisKeys {

	private static final String PREFIX = "parley:";

	private static final String USER_TAG = PREFIX + "{user:";

	private static final String ROOM_TAG = PREFIX + "{room:";

	private static final String CHANNEL_SUFFIX = "}:ch";

	private static final String HISTORY_SUFFIX = ":history";

	/** Spring Session's namespace (hashes with the session's own TTL). */
	public static final String SESSIONS = PREFIX + "session";

	/** SET of room slugs. */
	public static final String ROOMS = PREFIX + "rooms";

	/** ZSET user id → epoch ms until which the user counts as online (refreshed by every instance). */
	public static final String ONLINE = PREFIX + "online";

	/**
	 * ZSET guest id → epoch ms after which the sweeper checks whether the guest still exists (its TTL
	 * could have run out by then); as many entries as guests, each removed with its guest.
	 */
	public static final String GUESTS = PREFIX + "guests";

	/**
	 * ZSET (all scores 0, read by lexical range) of {@code <id>\0<id>} and {@code <lower-case
	 * name>\0<id>}: two entries per user, removed with the user ({@code UserPurge}).
	 */
	public static final String DIRECTORY = PREFIX + "{directory}";

	/** HASH user id → the lower-case name the directory holds for them; one field per user, removed with them. */
	public static final String DIRECTORY_NAMES = PREFIX + "{directory}:names";

	/** STRING: set once the users online when rooms' online sets were introduced were added to them. */
	public static final String ROOM_ONLINE_BUILT = PREFIX + "room-online:built";

	/** STRING: set once the users made before the directory existed were added to it. */
	public static final String DIRECTORY_BUILT = PREFIX + "directory:built";

	/**
	 * ZSET of the admins' announcements to everyone that newcomers see too (each a {@code system}
	 * frame's JSON) → the epoch ms they stop showing; at most {@code Announcements.MAX_KEPT}, lapsed
	 * ones dropped at each announcement.
	 */
	public static final String ANNOUNCEMENTS = PREFIX + "announcements";

	/** SET of banned user ids: their handshakes get 403. */
	public static final String BANNED = PREFIX + "banned";

	/**
	 * HASH console account name → {@code <role>:<BCrypt hash>}, the accounts admins made in the
	 * console besides the configured one; at most {@code ConsoleAdmins.MAX}.
	 */
	public static final String CONSOLE_ADMINS = PREFIX + "console-admins";

	/**
	 * STREAM of admin and moderator actions (fields at, by, role, action, target, reason), MAXLEN ~
	 * {@code AuditLog.MAX_ENTRIES}.
	 */
	public static final String AUDIT = PREFIX + "audit";

	/** HASH banned user id → the reason the admin gave; a field per entry of {@link #BANNED}, removed with it. */
	public static final String BAN_REASONS = PREFIX + "ban-reasons";

	/**
	 * ZSET user id → epoch ms until which the user may not send messages. Entries past their time
	 * are dropped whenever a mute is added or the list is read, so it holds only current mutes.
	 */
	public static final String MUTED = PREFIX + "muted";

	/**
	 * HASH sha-256(push API key) → name, created, first characters: the keys made in the admin
	 * console, at most {@code PushKeyStore.MAX_KEYS}.
	 */
	public static final String PUSH_KEYS = PREFIX + "push-keys";

	/**
	 * STREAM of every instance's numbers (fields i, c, m, d, r: instance, connections, and its messages,
	 * deliveries and refusals so far) every 10 s, trimmed to the last hour when written: at most 360
	 * entries per running instance.
	 */
	public static final String STATS_HISTORY = PREFIX + "stats-history";

	/**
	 * SET of the message streams ({@link #roomHistory}, {@link #conversationHistory}) whose messages
	 * carried files ({@link #filesOf}); a stream leaves it once it is gone and its files with it. At
	 * most every stream.
	 */
	public static final String FILE_STREAMS = PREFIX + "file-streams";

	/** SET of instance ids that reported their numbers; an id whose hash expired is dropped when read. */
	public static final String INSTANCES = PREFIX + "instances";

	/** STRING: the version of these names the data is stored under ({@code LegacyKeyMigration}). */
	public static final String SCHEMA = PREFIX + "schema";

	/** Pub/sub channel for events to every connection on every instance (classic pub/sub: it goes to every shard). */
	public static final String ALL_CHANNEL = PREFIX + "ch:all";

	private RedisKeys() {
	}

	/** HASH name, displayName, password, guest, created, seen (when the last connection closed), and a guest's address. Guests carry a TTL. */
	public static String user(String userId) {
		return userTag(userId);
	}

	/** The user id in the name of a user's hash ({@link #user}). */
	public static String userOfHash(String key) {
		return between(key, USER_TAG, "}");
	}

	/** SET of room slugs the user is a member of; no TTL, even for guests: removed with the user ({@code UserPurge}). */
	public static String userRooms(String userId) {
		return userTag(userId) + ":rooms";
	}

	/** HASH room slug → id of the last message the user has read there. */
	public static String userReads(String userId) {
		return userTag(userId) + ":read";
	}

	/** ZSET connection id → expiry (epoch ms) of the user's live connections on every instance; key TTL too. */
	public static String userConnections(String userId) {
		return userTag(userId) + ":conns";
	}

	/** LIST of private messages (JSON) waiting for the user's next connection; trimmed and TTL'd. */
	public static String userOffline(String userId) {
		return userTag(userId) + ":offline";
	}

	/**
	 * ZSET partner's user id → epoch ms of the latest private message between the two; as many
	 * entries as partners, removed with the user ({@code UserPurge}).
	 */
	public static String userConversations(String userId) {
		return userTag(userId) + ":conversations";
	}

	/** STRING sha-256(token) → user id, with the token's TTL. */
	public static String token(String tokenHash) {
		return PREFIX + "token:" + tokenHash;
	}

	/** SET of the sha-256 of each token issued to the user, with the TTL of the newest token. */
	public static String userTokens(String userId) {
		return userTag(userId) + ":tokens";
	}

	/** STRING count of wrong passwords in a row for one login (a username from one address), with the lockout's TTL. */
	public static String loginFailures(String login) {
		return PREFIX + "login-failures:" + login;
	}

	/** STRING the reason a banned guest's address may make no new guest, with {@code parley.admin.guest-address-ban} as TTL. */
	public static String bannedAddress(String address) {
		return PREFIX + "banned-address:" + address;
	}

	/** STRING count of one kind of request from one client address in one window, with the window's TTL. */
	public static String throttle(String action, String address) {
		return PREFIX + "throttle:" + action + ":" + address;
	}

	/** HASH of a remember-me series, with the remember-me TTL. */
	public static String rememberMe(String series) {
		return PREFIX + "remember-me:" + series;
	}

	/**
	 * ZSET of a user's browser sessions: Spring Session id → epoch ms of the login; the newest
	 * {@code SessionIndex.MAX_SESSIONS}, with the remember-me TTL from the newest login. Ids whose
	 * session has ended are dropped when listed.
	 */
	public static String userSessions(String userId) {
		return userTag(userId) + ":sessions";
	}

	/** Spring Session's hash of one browser session (see {@link #SESSIONS}). */
	public static String session(String sessionId) {
		return SESSIONS + ":sessions:" + sessionId;
	}

	/** SET of a user's remember-me series, with the remember-me TTL. */
	public static String userRememberMe(String userId) {
		return userTag(userId) + ":remember-me";
	}

	/** HASH name, topic, open, created, private, owner. */
	public static String room(String slug) {
		return roomTag(slug);
	}

	/** SET of member user ids. */
	public static String roomMembers(String slug) {
		return roomTag(slug) + ":members";
	}

	/**
	 * ZSET (all scores 0, read by lexical range) of the room's members online now: added by their
	 * join or coming online, removed by their leave, going offline or purge; at most the members.
	 */
	public static String roomOnline(String slug) {
		return roomTag(slug) + ":online";
	}

	/** STRING set for a second after a count presence event went to the room ({@code room-count.lua}). */
	public static String roomCountSent(String slug) {
		return roomTag(slug) + ":count-sent";
	}

	/**
	 * ZSET user id → epoch ms until which the user may join the private room; at most
	 * {@code RoomService.MAX_INVITATIONS}, lapsed ones dropped at the next invitation, key TTL the
	 * newest one's.
	 */
	public static String roomInvitations(String slug) {
		return roomTag(slug) + ":invitations";
	}

	/** STREAM of the room's messages, MAXLEN ~ parley.history.max-per-room; field d holds the JSON tail. */
	public static String roomHistory(String slug) {
		return roomTag(slug) + HISTORY_SUFFIX;
	}

	/** STREAM of one private conversation, MAXLEN ~ parley.history.max-per-conversation. */
	public static String conversationHistory(String userA, String userB) {
		return userA.compareTo(userB) <= 0 ? PREFIX + "{dm:" + userA + ":" + userB + "}" + HISTORY_SUFFIX
				: PREFIX + "{dm:" + userB + ":" + userA + "}" + HISTORY_SUFFIX;
	}

	/**
	 * HASH of a message stream's ({@link #roomHistory} or {@link #conversationHistory}) edited and
	 * deleted messages: id to the current JSON tail, or empty once deleted; in the stream's slot.
	 * Entries for messages trimmed off the stream are dropped once it holds twice the stream's bound.
	 */
	public static String editsOf(String stream) {
		return siblingOf(stream, ":edits");
	}

	/**
	 * STREAM of a message stream's edited and deleted events (field m the message id, d the event),
	 * MAXLEN ~ the stream's own bound, in the stream's slot: what {@code join} with {@code since}
	 * replays as {@code changes}.
	 */
	public static String changesOf(String stream) {
		return siblingOf(stream, ":changes");
	}

	/** SET of the user ids who may delete anyone's message in the room, set from the console; at most every user. */
	public static String roomModerators(String slug) {
		return roomTag(slug) + ":moderators";
	}

	private static String siblingOf(String stream, String part) {
		if (!stream.endsWith(HISTORY_SUFFIX)) {
			throw new IllegalArgumentException("not a message stream: " + stream);
		}
		return stream.substring(0, stream.length() - HISTORY_SUFFIX.length()) + part;
	}

	/**
	 * HASH of a shared file: owner, name, type, size, created, thumbnail, and posted (where it was
	 * sent: {@code room:<slug>} or {@code dm:<a>:<b>}, empty until then). A TTL of a day until it is
	 * posted; then as long as the message it was posted in.
	 */
	public static String file(String fileId) {
		return PREFIX + "file:" + fileId;
	}

	/**
	 * ZSET of the files posted in a message stream's messages: file id to the message's time (the ms
	 * of its id), in the stream's slot; what the stream's trim took off is swept with its files. At
	 * most {@code FileService.MAX_PER_MESSAGE} per message kept, plus those trimmed since the last sweep.
	 */
	public static String filesOf(String stream) {
		return siblingOf(stream, ":files");
	}

	/** HASH of the files a user uploaded and still has: file id to size in bytes, at most FileService.MAX_FILES. */
	public static String userFiles(String userId) {
		return userTag(userId) + ":files";
	}

	/** HASH connections, messages, deliveries, refused of one running instance, with a TTL it keeps renewing. */
	public static String instance(String instanceId) {
		return PREFIX + "instance:" + instanceId;
	}

	/** In its room's slot, so that the store script publishes where it appends. */
	public static String roomChannel(String slug) {
		return roomTag(slug) + ":ch";
	}

	/** Every key of one room, for its deletion: all in the room's slot. */
	public static String[] roomKeys(String slug) {
		String history = roomHistory(slug);
		return new String[] { room(slug), roomMembers(slug), roomOnline(slug), roomCountSent(slug),
				roomInvitations(slug), roomModerators(slug), history, editsOf(history), changesOf(history) };
	}

	/** In its user's slot, so that the script that queues or delivers a private message publishes there too. */
	public static String userChannel(String userId) {
		return userTag(userId) + ":ch";
	}

	/** The slug of a {@link #roomChannel}, or null when {@code channel} is not one. */
	public static String roomOfChannel(String channel) {
		return between(channel, ROOM_TAG, CHANNEL_SUFFIX);
	}

	/** The user id of a {@link #userChannel}, or null when {@code channel} is not one. */
	public static String userOfChannel(String channel) {
		return between(channel, USER_TAG, CHANNEL_SUFFIX);
	}

	private static String between(String channel, String start, String end) {
		return channel.startsWith(start) && channel.endsWith(end)
				? channel.substring(start.length(), channel.length() - end.length()) : null;
	}

	/**
	 * Today's name of a key named before the hash tags: {@code parley:user:<id>[:<part>]},
	 * {@code parley:room:<slug>[:<part>]}, {@code parley:dm:<a>:<b>}; null for any other key. Ids and
	 * slugs never hold a colon.
	 */
	static String migrated(String key) {
		for (String kind : new String[] { "user", "room" }) {
			String old = PREFIX + kind + ":";
			if (key.startsWith(old)) {
				String rest = key.substring(old.length());
				int colon = rest.indexOf(':');
				String id = colon < 0 ? rest : rest.substring(0, colon);
				return PREFIX + "{" + kind + ":" + id + "}" + (colon < 0 ? "" : rest.substring(colon));
			}
		}
		String dm = PREFIX + "dm:";
		return key.startsWith(dm) ? PREFIX + "{dm:" + key.substring(dm.length()) + "}:history" : null;
	}

	private static String userTag(String userId) {
		return USER_TAG + userId + "}";
	}

	private static String roomTag(String slug) {
		return ROOM_TAG + slug + "}";
	}

}
