package dev.parley.delivery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
import dev.parley.history.RedisHistoryStore.Entry;
import dev.parley.history.StreamId;
import dev.parley.messaging.MessageChanges;

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

	/** What a channel missed; {@code complete} is false when it cannot all be replayed (too much, or trimmed). */
	record Gap(List<Missed> missed, boolean complete) {

		static final Gap UNRECOVERABLE = new Gap(List.of(), false);

	}

	/** A user as Redis has them now: banned or not, and the rooms they are a member of. */
	record UserState(boolean banned, Set<String> rooms) {
	}

	private final RedisAsync async;

	private final RedisHistoryStore history;

	private final int maxPerRoom;

	private final int maxReplayed;

	GapRecovery(RedisAsync async, RedisHistoryStore history, ParleyProperties properties) {
		this.async = async;
		this.history = history;
		this.maxPerRoom = properties.history().maxPerRoom();
		this.maxReplayed = Math.max(1, Math.min(MAX_REPLAYED, properties.send().bufferMessages() / 2));
	}

	/** Redis's clock now, as a position after every message stored so far. */
	CompletableFuture<StreamId> now() {
		return async.commands().time().toCompletableFuture().thenApply(time -> StreamId
			.endOf(Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000));
	}

	/**
	 * The room's messages after {@code since}, as they are now, and the edits and deletes recorded
	 * since then, in the order they were made. A change already delivered before the gap may come
	 * again: applying one twice leaves what applying it once did.
	 */
	CompletableFuture<Gap> room(String slug, StreamId since) {
		RedisClusterAsyncCommands<String, String> commands = async.commands();
		String key = RedisKeys.roomHistory(slug);
		CompletableFuture<List<Entry>> after = history.range(key, true, "(" + since, "+", maxReplayed + 1);
		CompletableFuture<List<StreamMessage<String, String>>> changes = commands
			.xrange(RedisKeys.changesOf(key), changesAfter(since), Limit.from(maxReplayed + 1)).toCompletableFuture();
		CompletableFuture<Long> length = commands.xlen(key).toCompletableFuture();
		CompletableFuture<List<StreamMessage<String, String>>> oldest = commands
			.xrange(key, Range.unbounded(), Limit.from(1)).toCompletableFuture();
		return CompletableFuture.allOf(after, changes, length, oldest).thenApply(done -> {
			List<Entry> messages = after.join();
			boolean trimmed = length.join() >= maxPerRoom && !oldest.join().isEmpty()
					&& StreamId.parse(oldest.join().get(0).getId()).isAfter(since);
			if (trimmed) {
				return Gap.UNRECOVERABLE;
			}
			String head = MessageFormat.roomHead(slug);
			List<Ordered> missed = new ArrayList<>();
			messages.forEach(entry -> missed.add(Ordered.message(entry.id(), missed(head, entry))));
			changes.join().forEach(change -> missed.add(Ordered.change(change,
					new Missed(change.getBody().get(RedisHistoryStore.TAIL_FIELD), ""))));
			return inOrder(missed);
		});
	}

	/**
	 * A missed frame and where it goes among the others: a message at its id; a change just after
	 * the newest message there was when it was made. Ids alone cannot say: a change and a message
	 * made in the same millisecond get the same id, each in its own stream.
	 */
	private record Ordered(StreamId at, boolean change, Missed missed) {

		static final Comparator<Ordered> IN_ORDER = Comparator.comparing(Ordered::at)
			.thenComparing(Ordered::change, Boolean::compare);

		static Ordered message(String id, Missed missed) {
			return new Ordered(StreamId.parse(id), false, missed);
		}

		/** Changes recorded before the newest-message field was: at their own id, as before. */
		static Ordered change(StreamMessage<String, String> change, Missed missed) {
			StreamId after = StreamId.parse(change.getBody().get(RedisHistoryStore.NEWEST_AT_CHANGE_FIELD));
			return new Ordered(after != null ? after : StreamId.parse(change.getId()), true, missed);
		}

	}

	/**
	 * The private messages after {@code since} in each of the user's conversations active since
	 * then, as they are now, and the edits and deletes made in them since, oldest first. A message
	 * is left out only for the connection that sent it, as its live delivery was.
	 */
	CompletableFuture<Gap> privates(String userId, StreamId since) {
		RedisClusterAsyncCommands<String, String> commands = async.commands();
		return commands
			.zrangebyscore(RedisKeys.userConversations(userId),
					Range.from(Boundary.including(since.millis()), Boundary.unbounded()))
			.toCompletableFuture()
			.thenCompose(partners -> {
				List<CompletableFuture<List<Ordered>>> reads = new ArrayList<>();
				for (String partner : partners) {
					String stream = RedisKeys.conversationHistory(userId, partner);
					reads.add(history.range(stream, true, "(" + since, "+", maxReplayed + 1)
						.thenApply(entries -> entries.stream()
							.map(entry -> Ordered.message(entry.id(), missed(MessageFormat.privateHead(), entry)))
							.toList()));
					reads.add(commands.xrange(RedisKeys.changesOf(stream), changesAfter(since), Limit.from(maxReplayed + 1))
						.toCompletableFuture()
						.thenApply(changes -> changes.stream()
							.map(change -> Ordered.change(change, new Missed(MessageChanges
								.forUser(change.getBody().get(RedisHistoryStore.TAIL_FIELD), partner), "")))
							.toList()));
				}
				return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(done -> {
					List<Ordered> missed = new ArrayList<>();
					reads.forEach(read -> missed.addAll(read.join()));
					return inOrder(missed);
				});
			});
	}

	CompletableFuture<UserState> userState(String userId) {
		RedisClusterAsyncCommands<String, String> commands = async.commands();
		CompletableFuture<Boolean> banned = commands.sismember(RedisKeys.BANNED, userId).toCompletableFuture();
		CompletableFuture<Set<String>> rooms = commands.smembers(RedisKeys.userRooms(userId)).toCompletableFuture();
		return banned.thenCombine(rooms, UserState::new);
	}

	private Gap inOrder(List<Ordered> missed) {
		if (missed.size() > maxReplayed) {
			return Gap.UNRECOVERABLE;
		}
		missed.sort(Ordered.IN_ORDER);
		return new Gap(missed.stream().map(Ordered::missed).toList(), true);
	}

	private static Missed missed(String head, Entry entry) {
		return new Missed(MessageFormat.assemble(head, entry.id(), entry.tail()), entry.connection());
	}

	private static Range<String> changesAfter(StreamId since) {
		return Range.from(Boundary.including(RedisHistoryStore.changesFrom(since)), Boundary.unbounded());
	}

}
