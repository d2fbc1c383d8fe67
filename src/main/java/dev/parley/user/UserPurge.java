package dev.parley.user;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.api.async.RedisAsyncCommands;

import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Removes what a deleted user left behind. A guest's hash expires after {@code parley.auth.guest-ttl}
 * but its id is its name, so the next person to take that name would otherwise inherit the old
 * one's room memberships, queued and past private messages, read marks, tokens, remember-me
 * logins, ban and mute. Runs when an id is claimed, before its user is handed to anyone, and from the
 * {@link DeletedUserSweeper} for ids nobody claims again.
 */
@Component
class UserPurge {

	/**
	 * KEYS = [user hash, rooms, reads, offline queue, conversations, remember-me series, tokens,
	 * connections, banned, muted, guests, a member set per room..., (conversation stream, partner's
	 * conversations) per partner..., remember-me logins and tokens...]; ARGV = [user id, "gone" to
	 * do nothing unless the user hash is missing, number of rooms, number of partners]. Returns 1
	 * when it purged.
	 */
	private static final RedisScript<Long> PURGE = RedisScript.of("""
			if ARGV[2] == 'gone' and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
			local id = ARGV[1]
			redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8])
			redis.call('SREM', KEYS[9], id)
			redis.call('ZREM', KEYS[10], id)
			redis.call('ZREM', KEYS[11], id)
			local k = 12
			for i = 1, tonumber(ARGV[3]) do
			  redis.call('SREM', KEYS[k], id)
			  k = k + 1
			end
			for i = 1, tonumber(ARGV[4]) do
			  redis.call('DEL', KEYS[k])
			  redis.call('ZREM', KEYS[k + 1], id)
			  k = k + 2
			end
			for i = k, #KEYS do redis.call('DEL', KEYS[i]) end
			return 1""", Long.class);

	private final StringRedisTemplate redis;

	private final RedisAsync async;

	UserPurge(StringRedisTemplate redis, RedisAsync async) {
		this.redis = redis;
		this.async = async;
	}

	/** For an id just claimed: whatever an earlier user of it left goes. */
	void purgeClaimed(String userId) {
		purge(userId, "claimed");
	}

	/** For an id whose user is gone; false, doing nothing, when the user exists (again). */
	boolean purgeGone(String userId) {
		return purge(userId, "gone");
	}

	/** The user's own list of rooms outlives the user (it has no TTL) so that this finds every membership. */
	private boolean purge(String userId, String mode) {
		RedisAsyncCommands<String, String> commands = async.commands();
		List<Set<String>> found = async.awaitAll(List.<CompletableFuture<Set<String>>>of(
				commands.smembers(RedisKeys.userRooms(userId)).toCompletableFuture(),
				commands.zrange(RedisKeys.userConversations(userId), 0, -1)
					.toCompletableFuture()
					.thenApply(Set::copyOf),
				commands.smembers(RedisKeys.userRememberMe(userId)).toCompletableFuture(),
				commands.smembers(RedisKeys.userTokens(userId)).toCompletableFuture()));
		Set<String> rooms = found.get(0);
		Set<String> partners = found.get(1);
		List<String> keys = new ArrayList<>(List.of(RedisKeys.user(userId), RedisKeys.userRooms(userId),
				RedisKeys.userReads(userId), RedisKeys.userOffline(userId), RedisKeys.userConversations(userId),
				RedisKeys.userRememberMe(userId), RedisKeys.userTokens(userId), RedisKeys.userConnections(userId),
				RedisKeys.BANNED, RedisKeys.MUTED, RedisKeys.GUESTS));
		rooms.forEach(slug -> keys.add(RedisKeys.roomMembers(slug)));
		for (String partner : partners) {
			keys.add(RedisKeys.conversationHistory(userId, partner));
			keys.add(RedisKeys.userConversations(partner));
		}
		found.get(2).forEach(series -> keys.add(RedisKeys.rememberMe(series)));
		found.get(3).forEach(tokenHash -> keys.add(RedisKeys.token(tokenHash)));
		Long purged = redis.execute(PURGE, keys, userId, mode, Integer.toString(rooms.size()),
				Integer.toString(partners.size()));
		return purged != null && purged == 1;
	}

}
