package dev.parley.config;

/**
 * Every Redis key and channel Parley uses, in one place. Each key is bounded: streams by MAXLEN,
 * lists by LTRIM, per-connection and per-token keys by TTL, sets by the number of users and rooms.
 */
public final class RedisKeys {

	private static final String PREFIX = "parley:";

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

	/** SET of banned user ids: their handshakes get 403. */
	public static final String BANNED = PREFIX + "banned";

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

	/** SET of instance ids that reported their numbers; an id whose hash expired is dropped when read. */
	public static final String INSTANCES = PREFIX + "instances";

	/** Pub/sub channel for events to every connection on every instance. */
	public static final String ALL_CHANNEL = PREFIX + "ch:all";

	private RedisKeys() {
	}

	/** HASH name, displayName, password, guest, created. Guests carry a TTL. */
	public static String user(String userId) {
		return PREFIX + "user:" + userId;
	}

	/** SET of room slugs the user is a member of; no TTL, even for guests: removed with the user ({@code UserPurge}). */
	public static String userRooms(String userId) {
		return PREFIX + "user:" + userId + ":rooms";
	}

	/** HASH room slug → id of the last message the user has read there. */
	public static String userReads(String userId) {
		return PREFIX + "user:" + userId + ":read";
	}

	/** ZSET connection id → expiry (epoch ms) of the user's live connections on every instance; key TTL too. */
	public static String userConnections(String userId) {
		return PREFIX + "user:" + userId + ":conns";
	}

	/** LIST of private messages (JSON) waiting for the user's next connection; trimmed and TTL'd. */
	public static String userOffline(String userId) {
		return PREFIX + "user:" + userId + ":offline";
	}

	/**
	 * ZSET partner's user id → epoch ms of the latest private message between the two; as many
	 * entries as partners, removed with the user ({@code UserPurge}).
	 */
	public static String userConversations(String userId) {
		return PREFIX + "user:" + userId + ":conversations";
	}

	/** STRING sha-256(token) → user id, with the token's TTL. */
	public static String token(String tokenHash) {
		return PREFIX + "token:" + tokenHash;
	}

	/** SET of the sha-256 of each token issued to the user, with the TTL of the newest token. */
	public static String userTokens(String userId) {
		return PREFIX + "user:" + userId + ":tokens";
	}

	/** STRING count of wrong passwords in a row for one login (a username from one address), with the lockout's TTL. */
	public static String loginFailures(String login) {
		return PREFIX + "login-failures:" + login;
	}

	/** STRING count of one kind of request from one client address in one window, with the window's TTL. */
	public static String throttle(String action, String address) {
		return PREFIX + "throttle:" + action + ":" + address;
	}

	/** HASH of a remember-me series, with the remember-me TTL. */
	public static String rememberMe(String series) {
		return PREFIX + "remember-me:" + series;
	}

	/** SET of a user's remember-me series, with the remember-me TTL. */
	public static String userRememberMe(String userId) {
		return PREFIX + "user:" + userId + ":remember-me";
	}

	/** HASH name, topic, open, created. */
	public static String room(String slug) {
		return PREFIX + "room:" + slug;
	}

	/** SET of member user ids. */
	public static String roomMembers(String slug) {
		return PREFIX + "room:" + slug + ":members";
	}

	/** STREAM of the room's messages, MAXLEN ~ parley.history.max-per-room; field d holds the JSON tail. */
	public static String roomHistory(String slug) {
		return PREFIX + "room:" + slug + ":history";
	}

	/** STREAM of one private conversation, MAXLEN ~ parley.history.max-per-conversation. */
	public static String conversationHistory(String userA, String userB) {
		return userA.compareTo(userB) <= 0 ? PREFIX + "dm:" + userA + ":" + userB
				: PREFIX + "dm:" + userB + ":" + userA;
	}

	/** HASH connections, messages, deliveries, refused of one running instance, with a TTL it keeps renewing. */
	public static String instance(String instanceId) {
		return PREFIX + "instance:" + instanceId;
	}

	public static String roomChannel(String slug) {
		return PREFIX + "ch:room:" + slug;
	}

	public static String userChannel(String userId) {
		return PREFIX + "ch:user:" + userId;
	}

}
