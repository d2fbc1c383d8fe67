package dev.parley.presence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ZAddArgs;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
import dev.parley.user.User;
import dev.parley.user.UserService;

import org.springframework.core.io.ClassPathResource;
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

	private static final RedisScript<List> CONNECT = script("presence-connect", List.class);

	private static final RedisScript<Long> DISCONNECT = script("presence-disconnect", Long.class);

	private static final RedisScript<Long> REFRESH = script("presence-refresh", Long.class);

	private static final RedisScript<Long> ONLINE_DROP = script("online-drop", Long.class);

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
		long now = System.currentTimeMillis();
		String expiry = Long.toString(now + ttlMillis);
		CompletableFuture<List<Object>> registered = async.eval(CONNECT, ScriptOutputType.MULTI,
				new String[] { RedisKeys.userConnections(userId), RedisKeys.userOffline(userId) }, connectionId, expiry,
				Long.toString(now), Long.toString(ttlMillis));
		CompletableFuture<Long> online = async.commands()
			.zadd(RedisKeys.ONLINE, ZAddArgs.Builder.gt(), now + ttlMillis, userId)
			.toCompletableFuture();
		List<?> result = (List<?>) async.awaitAll(List.of(registered, online)).get(0);
		List<String> queued = new ArrayList<>();
		for (int i = 1; i < result.size(); i++) {
			queued.add(String.valueOf(result.get(i)));
		}
		return new Arrival(Long.valueOf(1).equals(result.get(0)), queued);
	}

	/** @return true when this was the user's last connection on any instance. */
	public boolean disconnect(String userId, String connectionId) {
		long now = System.currentTimeMillis();
		return noneLeft(userId, connectionId, now) && dropOnline(userId, now + ttlMillis);
	}

	private boolean noneLeft(String userId, String connectionId, long now) {
		Long none = redis.execute(DISCONNECT, List.of(RedisKeys.userConnections(userId)), connectionId,
				Long.toString(now));
		return none != null && none == 1;
	}

	/** Drops the user's online entry unless a connection opened since set it past {@code latestExpiry}. */
	private boolean dropOnline(String userId, long latestExpiry) {
		Long dropped = redis.execute(ONLINE_DROP, List.of(RedisKeys.ONLINE), userId, Long.toString(latestExpiry));
		return dropped != null && dropped == 1;
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
			if (noneLeft(userId, "", now) && dropOnline(userId, now)) {
				dropped.add(userId);
			}
		}
		return dropped;
	}

	/**
	 * The members of a room who are online now, on any instance, walking the smaller of its member
	 * set and the online set: a room everyone joins once, like the lobby, has far more members than
	 * are online at a time. The two sets are in different slots, so the walk is two round trips.
	 */
	public List<User> onlineMembers(String slug) {
		var commands = async.commands();
		String members = RedisKeys.roomMembers(slug);
		long now = System.currentTimeMillis();
		Range<Long> live = Range.from(Range.Boundary.excluding(now), Range.Boundary.unbounded());
		List<Long> sizes = async.awaitAll(List.of(commands.scard(members).toCompletableFuture(),
				commands.zcount(RedisKeys.ONLINE, live).toCompletableFuture()));
		List<String> online = sizes.get(0) <= sizes.get(1) ? onlineAmong(members, now) : membersAmong(members, live);
		return online.isEmpty() ? List.of() : users.findAll(online);
	}

	/** The members whose online entry has not expired. */
	private List<String> onlineAmong(String members, long now) {
		List<String> ids = List.copyOf(async.await(async.commands().smembers(members)));
		List<Double> expiries = ids.isEmpty() ? List.of()
				: async.await(async.commands().zmscore(RedisKeys.ONLINE, ids.toArray(String[]::new)));
		List<String> online = new ArrayList<>();
		for (int i = 0; i < ids.size(); i++) {
			if (expiries.get(i) != null && expiries.get(i) > now) {
				online.add(ids.get(i));
			}
		}
		return online;
	}

	/** The online users who are members. */
	private List<String> membersAmong(String members, Range<Long> live) {
		List<String> ids = async.await(async.commands().zrangebyscore(RedisKeys.ONLINE, live));
		List<Boolean> isMember = ids.isEmpty() ? List.of()
				: async.await(async.commands().smismember(members, ids.toArray(String[]::new)));
		List<String> online = new ArrayList<>();
		for (int i = 0; i < ids.size(); i++) {
			if (Boolean.TRUE.equals(isMember.get(i))) {
				online.add(ids.get(i));
			}
		}
		return online;
	}

	/** The user's live connections on every instance: those whose expiry is still to come. */
	public long liveConnections(String userId) {
		Long count = redis.opsForZSet().count(RedisKeys.userConnections(userId), System.currentTimeMillis(),
				Double.POSITIVE_INFINITY);
		return count == null ? 0 : count;
	}

	/** How many users are online now, on any instance. */
	public long onlineCount() {
		Long count = redis.opsForZSet().count(RedisKeys.ONLINE, System.currentTimeMillis(), Double.POSITIVE_INFINITY);
		return count == null ? 0 : count;
	}

	/** Up to {@code max} of the users online now, on any instance. */
	public List<User> online(int max) {
		Set<String> ids = redis.opsForZSet()
			.rangeByScore(RedisKeys.ONLINE, System.currentTimeMillis(), Double.POSITIVE_INFINITY, 0, max);
		return ids == null ? List.of() : users.findAll(new ArrayList<>(ids));
	}

	private static <T> RedisScript<T> script(String name, Class<T> type) {
		return RedisScript.of(new ClassPathResource("redis/" + name + ".lua"), type);
	}

}
