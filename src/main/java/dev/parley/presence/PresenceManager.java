package dev.parley.presence;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.ScriptOutputType;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
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

	/** Registers a connection; returns [1 if the user just came online else 0, queued private messages...]. */
	private static final RedisScript<List> CONNECT = RedisScript.of("""
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
			local first = redis.call('ZCARD', KEYS[1]) == 0
			redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
			redis.call('PEXPIRE', KEYS[1], ARGV[5])
			redis.call('ZADD', KEYS[3], 'GT', ARGV[2], ARGV[4])
			local queued = redis.call('LRANGE', KEYS[2], 0, -1)
			redis.call('DEL', KEYS[2])
			table.insert(queued, 1, first and 1 or 0)
			return queued""", List.class);

	/** Removes a connection; returns 1 when it was the user's last one anywhere. */
	private static final RedisScript<Long> DISCONNECT = RedisScript.of("""
			redis.call('ZREM', KEYS[1], ARGV[1])
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
			if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
			return redis.call('ZREM', KEYS[2], ARGV[3])""", Long.class);

	/** Drops a user whose online entry expired and who has no live connection; 1 when dropped. */
	private static final RedisScript<Long> EXPIRE = RedisScript.of("""
			local score = redis.call('ZSCORE', KEYS[2], ARGV[2])
			if not score or tonumber(score) > tonumber(ARGV[1]) then return 0 end
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
			if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
			return redis.call('ZREM', KEYS[2], ARGV[2])""", Long.class);

	/**
	 * Extends connection entries. KEYS = [online set, one connection set per pair],
	 * ARGV = [expiry, ttl, user ids..., connection ids...].
	 */
	private static final RedisScript<Long> REFRESH = RedisScript.of("""
			for i = 2, #KEYS do
			  local user = ARGV[i + 1]
			  redis.call('ZADD', KEYS[i], ARGV[1], ARGV[#KEYS + i])
			  redis.call('PEXPIRE', KEYS[i], ARGV[2])
			  redis.call('ZADD', KEYS[1], ARGV[1], user)
			end
			return #KEYS - 1""", Long.class);

	/**
	 * The online members of a room, walking the smaller of its member set and the online set: a
	 * room everyone joins once, like the lobby, has far more members than are online at a time.
	 * KEYS = [room members, online set], ARGV = [now].
	 */
	private static final RedisScript<List> ONLINE_MEMBERS = RedisScript.of("""
			local now = tonumber(ARGV[1])
			local online = {}
			if redis.call('SCARD', KEYS[1]) <= redis.call('ZCOUNT', KEYS[2], '(' .. ARGV[1], '+inf') then
			  for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
			    local expiry = redis.call('ZSCORE', KEYS[2], id)
			    if expiry and tonumber(expiry) > now then online[#online + 1] = id end
			  end
			else
			  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. ARGV[1], '+inf')) do
			    if redis.call('SISMEMBER', KEYS[1], id) == 1 then online[#online + 1] = id end
			  end
			end
			return online""", List.class);

	/** Pairs per refresh script: long enough to save round trips, short enough not to stall Redis. */
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

	public Arrival connect(String userId, String connectionId) {
		long now = System.currentTimeMillis();
		List<?> result = redis.execute(CONNECT,
				List.of(RedisKeys.userConnections(userId), RedisKeys.userOffline(userId), RedisKeys.ONLINE),
				connectionId, Long.toString(now + ttlMillis), Long.toString(now), userId, Long.toString(ttlMillis));
		if (result == null || result.isEmpty()) {
			return new Arrival(false, List.of());
		}
		List<String> queued = new ArrayList<>();
		for (int i = 1; i < result.size(); i++) {
			queued.add(String.valueOf(result.get(i)));
		}
		return new Arrival(Long.valueOf(1).equals(result.get(0)), queued);
	}

	/** @return true when this was the user's last connection on any instance. */
	public boolean disconnect(String userId, String connectionId) {
		Long last = redis.execute(DISCONNECT, List.of(RedisKeys.userConnections(userId), RedisKeys.ONLINE),
				connectionId, Long.toString(System.currentTimeMillis()), userId);
		return last != null && last == 1;
	}

	/** Extends the expiry of these (user id, connection id) pairs, a batch per script, all batches sent at once. */
	public void refresh(List<String[]> userAndConnectionIds) {
		String expiry = Long.toString(System.currentTimeMillis() + ttlMillis);
		List<CompletableFuture<Long>> replies = new ArrayList<>();
		for (int from = 0; from < userAndConnectionIds.size(); from += REFRESH_BATCH) {
			List<String[]> batch = userAndConnectionIds.subList(from,
					Math.min(from + REFRESH_BATCH, userAndConnectionIds.size()));
			replies.add(async.eval(REFRESH, ScriptOutputType.INTEGER, refreshKeys(batch), refreshArgs(expiry, batch)));
		}
		async.awaitAll(replies);
	}

	private static String[] refreshKeys(List<String[]> batch) {
		String[] keys = new String[batch.size() + 1];
		keys[0] = RedisKeys.ONLINE;
		for (int i = 0; i < batch.size(); i++) {
			keys[i + 1] = RedisKeys.userConnections(batch.get(i)[0]);
		}
		return keys;
	}

	/** [expiry, ttl, user ids..., connection ids...]: the script finds pair i's parts at i + 2 and i + 2 + n. */
	private String[] refreshArgs(String expiry, List<String[]> batch) {
		int n = batch.size();
		String[] args = new String[2 + 2 * n];
		args[0] = expiry;
		args[1] = Long.toString(ttlMillis);
		for (int i = 0; i < n; i++) {
			args[2 + i] = batch.get(i)[0];
			args[2 + n + i] = batch.get(i)[1];
		}
		return args;
	}

	/** Users whose online entry expired without a refresh: the users of an instance that died. */
	public List<String> expiredUsers(int max) {
		Set<String> candidates = redis.opsForZSet()
			.rangeByScore(RedisKeys.ONLINE, Double.NEGATIVE_INFINITY, System.currentTimeMillis(), 0, max);
		List<String> dropped = new ArrayList<>();
		if (candidates == null) {
			return dropped;
		}
		String now = Long.toString(System.currentTimeMillis());
		for (String userId : candidates) {
			Long result = redis.execute(EXPIRE, List.of(RedisKeys.userConnections(userId), RedisKeys.ONLINE), now,
					userId);
			if (result != null && result == 1) {
				dropped.add(userId);
			}
		}
		return dropped;
	}

	/** The members of a room who are online now, on any instance. */
	public List<User> onlineMembers(String slug) {
		List<String> online = redis.execute(ONLINE_MEMBERS, List.of(RedisKeys.roomMembers(slug), RedisKeys.ONLINE),
				Long.toString(System.currentTimeMillis()));
		return online == null || online.isEmpty() ? List.of() : users.findAll(online);
	}

	/** How many users are online now, on any instance. */
	/** The user's live connections on every instance: those whose expiry is still to come. */
	public long liveConnections(String userId) {
		Long count = redis.opsForZSet().count(RedisKeys.userConnections(userId), System.currentTimeMillis(),
				Double.POSITIVE_INFINITY);
		return count == null ? 0 : count;
	}

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

}
