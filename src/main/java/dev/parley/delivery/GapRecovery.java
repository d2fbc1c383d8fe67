package dev.parley.delivery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.Range.Boundary;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
import dev.parley.delivery.ChannelCursor.Missed;
import dev.parley.history.MessageFormat;
import dev.parley.history.RedisHistoryStore;
import dev.parley.history.StreamId;

import org.springframework.stereotype.Component;

/**
 * Reads, without blocking, what a channel carried while this instance's subscription to it was
 * down: the room's stored messages after a position, or a user's private messages in every
 * conversation active since then, and what the user's membership and ban are now.
 */
@Component
class GapRecovery {

	/**
	 * The most messages replayed to a channel's connections, and never more than half their send
	 * buffer: past it they are told to resume with {@code since} instead.
	 */
	private static final int MAX_REPLAYED = 500;

	/** The stream field that names a private message's sending connection. */
	private static final String CONNECTION_FIELD = "c";

	/** What a channel missed; {@code complete} is false when it cannot all be replayed (too much, or trimmed). */
	record Gap(List<Missed> missed, boolean complete) {

		static final Gap UNRECOVERABLE = new Gap(List.of(), false);

	}

	/** A user as Redis has them now: banned or not, and the rooms they are a member of. */
	record UserState(boolean banned, Set<String> rooms) {
	}

	private final RedisAsync async;

	private final int maxPerRoom;

	private final int maxReplayed;

	GapRecovery(RedisAsync async, ParleyProperties properties) {
		this.async = async;
		this.maxPerRoom = properties.history().maxPerRoom();
		this.maxReplayed = Math.max(1, Math.min(MAX_REPLAYED, properties.send().bufferMessages() / 2));
	}

	/** Redis's clock now, as a position after every message stored so far. */
	CompletableFuture<StreamId> now() {
		return async.commands().time().toCompletableFuture().thenApply(time -> StreamId
			.endOf(Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000));
	}

	CompletableFuture<Gap> room(String slug, StreamId since) {
		RedisClusterAsyncCommands<String, String> commands = async.commands();
		String key = RedisKeys.roomHistory(slug);
		CompletableFuture<List<StreamMessage<String, String>>> after = commands
			.xrange(key, after(since), Limit.from(maxReplayed + 1)).toCompletableFuture();
		CompletableFuture<Long> length = commands.xlen(key).toCompletableFuture();
		CompletableFuture<List<StreamMessage<String, String>>> oldest = commands
			.xrange(key, Range.unbounded(), Limit.from(1)).toCompletableFuture();
		return CompletableFuture.allOf(after, length, oldest).thenApply(done -> {
			List<StreamMessage<String, String>> messages = after.join();
			boolean trimmed = length.join() >= maxPerRoom && !oldest.join().isEmpty()
					&& StreamId.parse(oldest.join().get(0).getId()).isAfter(since);
			if (trimmed || messages.size() > maxReplayed) {
				return Gap.UNRECOVERABLE;
			}
			String head = MessageFormat.roomHead(slug);
			return new Gap(messages.stream().map(message -> missed(head, message)).toList(), true);
		});
	}

	/**
	 * The private messages after {@code since} in each of the user's conversations active since
	 * then, oldest first. A message is left out only for the connection that sent it, as its live
	 * delivery was.
	 */
	CompletableFuture<Gap> privates(String userId, StreamId since) {
		RedisClusterAsyncCommands<String, String> commands = async.commands();
		return commands
			.zrangebyscore(RedisKeys.userConversations(userId),
					Range.from(Boundary.including(since.millis()), Boundary.unbounded()))
			.toCompletableFuture()
			.thenCompose(partners -> {
				List<CompletableFuture<List<StreamMessage<String, String>>>> reads = new ArrayList<>();
				for (String partner : partners) {
					reads.add(commands
						.xrange(RedisKeys.conversationHistory(userId, partner), after(since),
								Limit.from(maxReplayed + 1))
						.toCompletableFuture());
				}
				return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
					.thenApply(done -> privateGap(reads));
			});
	}

	CompletableFuture<UserState> userState(String userId) {
		RedisClusterAsyncCommands<String, String> commands = async.commands();
		CompletableFuture<Boolean> banned = commands.sismember(RedisKeys.BANNED, userId).toCompletableFuture();
		CompletableFuture<Set<String>> rooms = commands.smembers(RedisKeys.userRooms(userId)).toCompletableFuture();
		return banned.thenCombine(rooms, UserState::new);
	}

	private Gap privateGap(List<CompletableFuture<List<StreamMessage<String, String>>>> reads) {
		List<StreamMessage<String, String>> messages = new ArrayList<>();
		reads.forEach(read -> messages.addAll(read.join()));
		if (messages.size() > maxReplayed) {
			return Gap.UNRECOVERABLE;
		}
		messages.sort(Comparator.comparing(message -> StreamId.parse(message.getId())));
		String head = MessageFormat.privateHead();
		return new Gap(messages.stream().map(message -> missed(head, message)).toList(), true);
	}

	private static Missed missed(String head, StreamMessage<String, String> message) {
		Map<String, String> fields = message.getBody();
		return new Missed(MessageFormat.assemble(head, message.getId(), fields.get(RedisHistoryStore.TAIL_FIELD)),
				fields.getOrDefault(CONNECTION_FIELD, ""));
	}

	private static Range<String> after(StreamId since) {
		return Range.from(Boundary.excluding(since.toString()), Boundary.unbounded());
	}

}
