package dev.parley.presence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ZAddArgs;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
import dev.parley.config.RedisScripts;
import dev.parley.user.User;
import dev.parley.user.UserService;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Who is online, in Redis with expiry times that every instance refreshes for its own
 * connections: a user counts as online while one of their connections, on any instance, has an
 * unexpired entry. An instance that dies stops refreshing, so its users drop out by themselves.
 */
@Component
public class PresenceManager {

	private static final RedisScript<List> CONNECT = RedisScripts.load("presence-connect", List.class);

	private static final RedisScript<Long> DISCONNECT = RedisScripts.load("presence-disconnect", Long.class);

	private static final RedisScript<Long> REFRESH = RedisScripts.load("presence-refresh", Long.class);

	private static final RedisScript<Long> ONLINE_DROP = RedisScripts.load("online-drop", Long.class);

	/** Connections per refresh script: long enough to save round trips, short enough not to stall Redis. */
	private static final int REFRESH_BATCH = 200;

	private final StringRedisTemplate redis;

	private final RedisAsync async;

	private final UserService users;

	private final long ttlMillis;

	public PresenceManager(StringRedisTemplate redis, RedisAsync async, UserService users,
			ParleyProperties properties) {
		this.redis = redis;
		this.async = async;
		this.users = users;
		this.ttlMillis = properties.presence().ttl().toMillis();
	}

	/** What a new connection changes: whether its user just came online, and their queued private messages. */
	public record Arrival(boolean cameOnline, List<String> queuedPrivates) {
	}

	/**
	 * The user's connections and offline queue are in the user's slot, the online set in its own:
	 * two commands, sent together.
	 */
	public Arrival connect(String userId, String connectionId) {
		return async.await(connectAsync(userId, connectionId));
	}

	public CompletableFuture<Arrival> connectAsync(String userId, String connectionId) {
		long now = System.currentTimeMillis();
		String expiry = Long.toString(now + ttlMillis);
		CompletableFuture<List<Object>> registered = async.eval(CONNECT, ScriptOutputType.MULTI,
				new String[] { RedisKeys.userConnections(userId), RedisKeys.userOffline(userId) }, connectionId, expiry,
				Long.toString(now), Long.toString(ttlMillis));
		CompletableFuture<Long> online = async.commands()
			.zadd(RedisKeys.ONLINE, ZAddArgs.Builder.gt(), now + ttlMillis, userId)
			.toCompletableFuture();
		return registered.thenCombine(online, (result, ignored) -> {
			List<String> queued = new ArrayList<>();
			for (int i = 1; i < result.size(); i++) {
				queued.add(String.valueOf(result.get(i)));
			}
			return new Arrival(Long.valueOf(1).equals(result.get(0)), queued);
		});
	}

	/** @return true when this was the user's last connection on any instance. */
	public boolean disconnect(String userId, String connectionId) {
		return async.await(disconnectAsync(userId, connectionId));
	}

	/**
	 * As {@link #disconnect}, without waiting: the user's connections in their slot, then, when none
	 * is left, the online set in its own, unless a connection opened since set it past this one's expiry.
	 */
	public CompletableFuture<Boolean> disconnectAsync(String userId, String connectionId) {
		long now = System.currentTimeMillis();
		return goneAsync(userId, connectionId, now, now + ttlMillis);
	}

	/**
	 * Removes the connection (none: {@code ""}) and the expired ones; when none is left, drops the
	 * user's online entry unless a connection opened since set it past {@code latestExpiry}.
	 */
	private CompletableFuture<Boolean> goneAsync(String userId, String connectionId, long now, long latestExpiry) {
		return async.<Long>eval(DISCONNECT, ScriptOutputType.INTEGER,
				new String[] { RedisKeys.userConnections(userId), RedisKeys.user(userId) }, connectionId,
				Long.toString(now))
			.thenCompose(none -> none != 1 ? CompletableFuture.completedFuture(0L)
					: async.<Long>eval(ONLINE_DROP, ScriptOutputType.INTEGER, new String[] { RedisKeys.ONLINE }, userId,
							Long.toString(latestExpiry)))
			.thenApply(dropped -> dropped == 1);
	}

	/**
	 * Extends the expiry of these (user id, connection id) pairs: a script per slot group (on a single
	 * Redis, per {@link #REFRESH_BATCH} pairs), then the online set for all of them; all sent at once.
	 */
	public void refresh(List<String[]> userAndConnectionIds) {
		long expiry = System.currentTimeMillis() + ttlMillis;
		Map<Integer, List<String[]>> groups = new HashMap<>();
		userAndConnectionIds.forEach(pair -> groups
			.computeIfAbsent(async.slotGroup(RedisKeys.userConnections(pair[0])), group -> new ArrayList<>())
			.add(pair));
		List<CompletableFuture<Long>> replies = new ArrayList<>();
		for (List<String[]> group : groups.values()) {
			for (int from = 0; from < group.size(); from += REFRESH_BATCH) {
				List<String[]> batch = group.subList(from, Math.min(from + REFRESH_BATCH, group.size()));
				replies.add(async.eval(REFRESH, ScriptOutputType.INTEGER,
						batch.stream().map(pair -> RedisKeys.userConnections(pair[0])).toArray(String[]::new),
						refreshArgs(expiry, batch)));
			}
		}
		if (!userAndConnectionIds.isEmpty()) {
			ScoredValue<String>[] online = userAndConnectionIds.stream()
				.map(pair -> ScoredValue.just(expiry, pair[0]))
				.toArray(ScoredValue[]::new);
			replies.add(async.commands().zadd(RedisKeys.ONLINE, online).toCompletableFuture());
		}
		async.awaitAll(replies);
	}

	private String[] refreshArgs(long expiry, List<String[]> batch) {
		String[] args = new String[2 + batch.size()];
		args[0] = Long.toString(expiry);
		args[1] = Long.toString(ttlMillis);
		for (int i = 0; i < batch.size(); i++) {
			args[2 + i] = batch.get(i)[1];
		}
		return args;
	}

	/** Users whose online entry expired without a refresh: the users of an instance that died. */
	public List<String> expiredUsers(int max) {
		long now = System.currentTimeMillis();
		Set<String> candidates = redis.opsForZSet().rangeByScore(RedisKeys.ONLINE, Double.NEGATIVE_INFINITY, now, 0, max);
		List<String> dropped = new ArrayList<>();
		if (candidates == null) {
			return dropped;
		}
		for (String userId : candidates) {
			if (async.await(goneAsync(userId, "", now, now))) {
				dropped.add(userId);
			}
		}
		return dropped;
	}

	/** The most members one page of a room's online members holds ({@code joined.members}, {@code members}). */
	public static final int PAGE = 100;

	/** Members online now, by id; {@code next} is the last one's id when more follow, null otherwise. */
	public record OnlinePage(List<User> members, long online, String next) {
	}

	/**
	 * A page of the room's members online now, on any instance, in id order after {@code after}
	 * (null: from the first): read from the room's online set, which presence events keep
	 * ({@code PresenceEvents}), so that the cost does not grow with the room. An entry whose user's
	 * online entry expired meanwhile (an instance died and its offline events are still to come) is
	 * left out, and dropped.
	 */
	public OnlinePage onlinePage(String slug, String after, int limit) {
		return onlinePage(listOnline(slug, after, limit));
	}

	/**
	 * A page of a room's members online, asked for now and read by {@link #onlinePage(Listing)}: its
	 * round trip can go with other commands sent meanwhile.
	 */
	public record Listing(String slug, int limit, CompletableFuture<List<String>> ids, CompletableFuture<Long> online) {
	}

	public Listing listOnline(String slug, String after, int limit) {
		var commands = async.commands();
		String key = RedisKeys.roomOnline(slug);
		Range<String> range = after == null ? Range.unbounded()
				: Range.from(Range.Boundary.excluding(after), Range.Boundary.unbounded());
		return new Listing(slug, limit, commands.zrangebylex(key, range, Limit.create(0, limit + 1)).toCompletableFuture(),
				commands.zcard(key).toCompletableFuture());
	}

	public OnlinePage onlinePage(Listing listing) {
		async.awaitAll(List.of(listing.ids(), listing.online()));
		List<String> ids = listing.ids().join();
		boolean more = ids.size() > listing.limit();
		List<String> page = more ? ids.subList(0, listing.limit()) : ids;
		List<String> live = stillOnline(RedisKeys.roomOnline(listing.slug()), page);
		return new OnlinePage(live.isEmpty() ? List.of() : users.findAll(live), listing.online().join(),
				more ? page.get(page.size() - 1) : null);
	}

	/** The first page of the room's members online now. */
	public List<User> onlineMembers(String slug) {
		return onlinePage(slug, null, PAGE).members();
	}

	private List<String> stillOnline(String key, List<String> ids) {
		if (ids.isEmpty()) {
			return ids;
		}
		List<Double> expiries = async.await(async.commands().zmscore(RedisKeys.ONLINE, ids.toArray(String[]::new)));
		long now = System.currentTimeMillis();
		List<String> live = new ArrayList<>(ids.size());
		List<String> stale = new ArrayList<>();
		for (int i = 0; i < ids.size(); i++) {
			(expiries.get(i) != null && expiries.get(i) > now ? live : stale).add(ids.get(i));
		}
		if (!stale.isEmpty()) {
			async.commands().zrem(key, stale.toArray(String[]::new));
		}
		return live;
	}

	/** The user's live connections on every instance: those whose expiry is still to come. */
	public long liveConnections(String userId) {
		return async.await(liveConnectionsAsync(userId));
	}

	public CompletableFuture<Long> liveConnectionsAsync(String userId) {
		return async.commands()
			.zcount(RedisKeys.userConnections(userId), Range.create(System.currentTimeMillis(), Double.POSITIVE_INFINITY))
			.toCompletableFuture();
	}

	/** How many users are online now, on any instance. */
	public long onlineCount() {
		Long count = redis.opsForZSet().count(RedisKeys.ONLINE, System.currentTimeMillis(), Double.POSITIVE_INFINITY);
		return count == null ? 0 : count;
	}

	/** Up to {@code max} of the users online now, on any instance, by id (an order that stays put between reads). */
	public List<User> online(int max) {
		Set<String> ids = redis.opsForZSet()
			.rangeByScore(RedisKeys.ONLINE, System.currentTimeMillis(), Double.POSITIVE_INFINITY, 0, max);
		if (ids == null) {
			return List.of();
		}
		List<String> sorted = new ArrayList<>(ids);
		sorted.sort(null);
		return users.findAll(sorted);
	}

}
