package dev.parley.user;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

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
	 * connections, banned, muted, a member set per room..., (conversation stream, partner's
	 * conversations) per partner..., remember-me logins and tokens...]; ARGV = [user id, "gone" to
	 * do nothing unless the user hash is missing, number of rooms, number of partners].
	 */
	private static final RedisScript<Long> PURGE = RedisScript.of("""
			if ARGV[2] == 'gone' and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
			local id = ARGV[1]
			redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8])
			redis.call('SREM', KEYS[9], id)
			redis.call('ZREM', KEYS[10], id)
			local k = 11
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

	/** KEYS = [a room's member set, the user hash of each id]; ARGV = ids. Drops and returns those whose hash is gone. */
	private static final RedisScript<List> DROP_GONE_MEMBERS = RedisScript.of("""
			local gone = {}
			for i = 1, #ARGV do
			  if redis.call('EXISTS', KEYS[i + 1]) == 0 then
			    redis.call('SREM', KEYS[1], ARGV[i])
			    gone[#gone + 1] = ARGV[i]
			  end
			end
			return gone""", List.class);

	private final StringRedisTemplate redis;

	UserPurge(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/** For an id just claimed: whatever an earlier user of it left goes. */
	void purgeClaimed(String userId) {
		purge(userId, "claimed");
	}

	/** For an id whose user is gone; does nothing if the id has been claimed again meanwhile. */
	void purgeGone(String userId) {
		purge(userId, "gone");
	}

	/** Drops from a room those of {@code memberIds} whose user is gone; returns them. */
	List<String> dropGoneMembers(String slug, Collection<String> memberIds) {
		List<String> keys = new ArrayList<>(memberIds.size() + 1);
		keys.add(RedisKeys.roomMembers(slug));
		memberIds.forEach(id -> keys.add(RedisKeys.user(id)));
		List<?> gone = redis.execute(DROP_GONE_MEMBERS, keys, memberIds.toArray());
		return gone == null ? List.of() : gone.stream().map(String::valueOf).toList();
	}

	/** The user's own list of rooms outlives the user (it has no TTL) so that this finds every membership. */
	private void purge(String userId, String mode) {
		Set<String> rooms = members(RedisKeys.userRooms(userId));
		Set<String> partners = redis.opsForZSet().range(RedisKeys.userConversations(userId), 0, -1);
		Set<String> series = members(RedisKeys.userRememberMe(userId));
		Set<String> tokens = members(RedisKeys.userTokens(userId));
		List<String> keys = new ArrayList<>(List.of(RedisKeys.user(userId), RedisKeys.userRooms(userId),
				RedisKeys.userReads(userId), RedisKeys.userOffline(userId), RedisKeys.userConversations(userId),
				RedisKeys.userRememberMe(userId), RedisKeys.userTokens(userId), RedisKeys.userConnections(userId),
				RedisKeys.BANNED, RedisKeys.MUTED));
		rooms.forEach(slug -> keys.add(RedisKeys.roomMembers(slug)));
		partners = partners == null ? Set.of() : partners;
		for (String partner : partners) {
			keys.add(RedisKeys.conversationHistory(userId, partner));
			keys.add(RedisKeys.userConversations(partner));
		}
		series.forEach(one -> keys.add(RedisKeys.rememberMe(one)));
		tokens.forEach(tokenHash -> keys.add(RedisKeys.token(tokenHash)));
		redis.execute(PURGE, keys, userId, mode, Integer.toString(rooms.size()), Integer.toString(partners.size()));
	}

	private Set<String> members(String setKey) {
		Set<String> members = redis.opsForSet().members(setKey);
		return members == null ? Set.of() : members;
	}

}
