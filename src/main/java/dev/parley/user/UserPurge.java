package dev.parley.user;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
import dev.parley.config.RedisScripts;
import dev.parley.files.FileService;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Removes what a deleted user left behind. A guest's hash expires after {@code parley.auth.guest-ttl}
 * but its id is its name, so the next person to take that name would otherwise inherit the old
 * one's room memberships, queued and past private messages, read marks, shared files, tokens, remember-me
 * logins, ban and mute. Runs when an id is claimed, before its user is handed to anyone, and from the
 * {@link DeletedUserSweeper} for ids nobody claims again.
 */
@Component
class UserPurge {

	private static final RedisScript<Long> PURGE_USER = RedisScripts.load("purge-user", Long.class);

	private final StringRedisTemplate redis;

	private final RedisAsync async;

	private final FileService files;

	private final UserDirectory directory;

	UserPurge(StringRedisTemplate redis, RedisAsync async, FileService files, UserDirectory directory) {
		this.redis = redis;
		this.async = async;
		this.files = files;
		this.directory = directory;
	}

	/** For an id just claimed: whatever an earlier user of it left goes. */
	void purgeClaimed(String userId) {
		purge(userId, "claimed");
	}

	/** For an id whose user is gone; false, doing nothing, when the user exists (again). */
	boolean purgeGone(String userId) {
		return purge(userId, "gone");
	}

	/**
	 * Ends every token, remember-me login and browser session of the user: after a password reset,
	 * only the new password lets them in.
	 */
	void signOutEverywhere(String userId) {
		RedisClusterAsyncCommands<String, String> commands = async.commands();
		List<Set<String>> found = async.awaitAll(List.<CompletableFuture<Set<String>>>of(
				commands.smembers(RedisKeys.userRememberMe(userId)).toCompletableFuture(),
				commands.smembers(RedisKeys.userTokens(userId)).toCompletableFuture(), sessionsOf(commands, userId)));
		List<CompletableFuture<?>> replies = new ArrayList<>();
		found.get(0).forEach(series -> replies.add(commands.del(RedisKeys.rememberMe(series)).toCompletableFuture()));
		found.get(1).forEach(token -> replies.add(commands.del(RedisKeys.token(token)).toCompletableFuture()));
		found.get(2).forEach(session -> replies.add(commands.del(RedisKeys.session(session)).toCompletableFuture()));
		replies.add(commands.del(RedisKeys.userRememberMe(userId), RedisKeys.userTokens(userId),
				RedisKeys.userSessions(userId)).toCompletableFuture());
		async.awaitAll(replies);
	}

	private static CompletableFuture<Set<String>> sessionsOf(RedisClusterAsyncCommands<String, String> commands,
			String userId) {
		return commands.zrange(RedisKeys.userSessions(userId), 0, -1).toCompletableFuture().thenApply(Set::copyOf);
	}

	/** The user's own list of rooms outlives the user (it has no TTL) so that this finds every membership. */
	private boolean purge(String userId, String mode) {
		RedisClusterAsyncCommands<String, String> commands = async.commands();
		List<Set<String>> found = async.awaitAll(List.<CompletableFuture<Set<String>>>of(
				commands.smembers(RedisKeys.userRooms(userId)).toCompletableFuture(),
				commands.zrange(RedisKeys.userConversations(userId), 0, -1)
					.toCompletableFuture()
					.thenApply(Set::copyOf),
				commands.smembers(RedisKeys.userRememberMe(userId)).toCompletableFuture(),
				commands.smembers(RedisKeys.userTokens(userId)).toCompletableFuture(), sessionsOf(commands, userId)));
		if (mode.equals("gone")) {
			if (async.await(commands.exists(RedisKeys.user(userId))) > 0) {
				return false;
			}
			directory.remove(userId);
		}
		// the keys in other slots go first: the user's own sets are what finds them, should this stop midway
		async.awaitAll(elsewhere(commands, userId, found));
		files.removeAllOf(userId);
		Long purged = redis.execute(PURGE_USER, List.of(RedisKeys.user(userId), RedisKeys.userRooms(userId),
				RedisKeys.userReads(userId), RedisKeys.userOffline(userId), RedisKeys.userConversations(userId),
				RedisKeys.userRememberMe(userId), RedisKeys.userTokens(userId), RedisKeys.userConnections(userId),
				RedisKeys.userFiles(userId), RedisKeys.userSessions(userId)),
				mode);
		return purged != null && purged == 1;
	}

	/**
	 * One command per key outside the user's slot: ban, mute, guest entry, memberships,
	 * conversations, logins, tokens, sessions.
	 */
	private static List<CompletableFuture<?>> elsewhere(RedisClusterAsyncCommands<String, String> commands,
			String userId, List<Set<String>> found) {
		List<CompletableFuture<?>> replies = new ArrayList<>();
		replies.add(commands.srem(RedisKeys.BANNED, userId).toCompletableFuture());
		replies.add(commands.hdel(RedisKeys.BAN_REASONS, userId).toCompletableFuture());
		replies.add(commands.zrem(RedisKeys.MUTED, userId).toCompletableFuture());
		replies.add(commands.zrem(RedisKeys.GUESTS, userId).toCompletableFuture());
		found.get(0).forEach(slug -> {
			replies.add(commands.srem(RedisKeys.roomMembers(slug), userId).toCompletableFuture());
			replies.add(commands.srem(RedisKeys.roomModerators(slug), userId).toCompletableFuture());
			replies.add(commands.zrem(RedisKeys.roomOnline(slug), userId).toCompletableFuture());
		});
		for (String partner : found.get(1)) {
			String conversation = RedisKeys.conversationHistory(userId, partner);
			replies.add(commands.del(conversation, RedisKeys.editsOf(conversation), RedisKeys.changesOf(conversation))
				.toCompletableFuture());
			replies.add(commands.zrem(RedisKeys.userConversations(partner), userId).toCompletableFuture());
		}
		found.get(2).forEach(series -> replies.add(commands.del(RedisKeys.rememberMe(series)).toCompletableFuture()));
		found.get(3).forEach(token -> replies.add(commands.del(RedisKeys.token(token)).toCompletableFuture()));
		found.get(4).forEach(session -> replies.add(commands.del(RedisKeys.session(session)).toCompletableFuture()));
		return replies;
	}

}
