package dev.parley.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.lettuce.core.ScriptOutputType;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
import dev.parley.config.RedisScripts;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Reads room and conversation history from Redis Streams. Appends happen in the {@code MessageStore},
 * together with the publish.
 */
@Component
public class RedisHistoryStore {

	/** The stream field that holds a message's JSON tail ({@link MessageFormat}). */
	public static final String TAIL_FIELD = "d";

	/** The field of a changes stream's entry that names the message changed; its d holds the event. */
	public static final String CHANGED_ID_FIELD = "m";

	/** A change's field: the stream's newest message id when it was made (see {@code change-message.lua}). */
	public static final String NEWEST_AT_CHANGE_FIELD = "h";

	private static final RedisScript<List> HISTORY_RANGE = RedisScripts.load("history-range", List.class);

	private static final RedisScript<List> UNREAD_COUNTS = RedisScripts.load("unread-counts", List.class);

	private final StringRedisTemplate redis;

	private final RedisAsync async;

	private final ParleyProperties.History settings;

	private final JsonMapper json;

	public RedisHistoryStore(StringRedisTemplate redis, RedisAsync async, JsonMapper json, ParleyProperties properties) {
		this.redis = redis;
		this.async = async;
		this.json = json;
		this.settings = properties.history();
	}

	/** The newest {@code limit} messages of a room, oldest first. */
	public List<String> latest(String slug, int limit) {
		return newestFirst(RedisKeys.roomHistory(slug), MessageFormat.roomHead(slug), "+", limit);
	}

	/** The newest messages of a room, oldest first, and the id of its newest message (null when it has none). */
	public record Latest(List<String> messages, String newestId) {
	}

	/**
	 * As {@link #latest}, without waiting, with the newest message's id (read even when {@code limit}
	 * is 0): what a join marks read.
	 */
	public CompletableFuture<Latest> latestAsync(String slug, int limit) {
		return range(RedisKeys.roomHistory(slug), false, "-", "+", Math.max(1, limit)).thenApply(entries -> {
			List<String> messages = toJson(MessageFormat.roomHead(slug), entries.subList(0, Math.min(limit, entries.size())));
			Collections.reverse(messages);
			return new Latest(messages, entries.isEmpty() ? null : entries.get(0).id());
		});
	}

	/** Up to {@code limit} kept messages after {@code sinceId}, oldest first. */
	public List<String> after(String slug, String sinceId, int limit) {
		List<Entry> entries = async.await(range(RedisKeys.roomHistory(slug), true, "(" + sinceId, "+", limit));
		return toJson(MessageFormat.roomHead(slug), entries);
	}

	/** Up to {@code limit} messages before {@code beforeId} (or the newest), oldest first. */
	public List<String> before(String slug, String beforeId, int limit) {
		return newestFirst(RedisKeys.roomHistory(slug), MessageFormat.roomHead(slug), upTo(beforeId), limit);
	}

	public List<String> conversationBefore(String userA, String userB, String beforeId, int limit) {
		return newestFirst(RedisKeys.conversationHistory(userA, userB), MessageFormat.privateHead(), upTo(beforeId),
				limit);
	}

	/** A stored message as it is now: its id, its current JSON tail, and the connection that sent it ('' for none). */
	public record Entry(String id, String tail, String connection) {
	}

	/**
	 * The entries of a message stream between two XRANGE positions, edited ones as they are now
	 * (deleted ones are gone), oldest first when {@code ascending}, else newest first: one script,
	 * so that the overlay of edits costs no round trip of its own.
	 */
	public CompletableFuture<List<Entry>> range(String stream, boolean ascending, String from, String to, int count) {
		CompletableFuture<List<Object>> read = async.eval(HISTORY_RANGE, ScriptOutputType.MULTI,
				new String[] { stream, RedisKeys.editsOf(stream) }, ascending ? "asc" : "desc", from, to,
				Integer.toString(count));
		return read.thenApply(flat -> {
			List<Entry> entries = new ArrayList<>(flat.size() / 3);
			for (int i = 0; i + 2 < flat.size(); i += 3) {
				entries.add(new Entry(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)),
						String.valueOf(flat.get(i + 2))));
			}
			return entries;
		});
	}

	/**
	 * The edited and deleted events recorded after {@code sinceId} for messages up to it, which a
	 * client that resumes from it may hold, oldest first; at most {@code limit}.
	 */
	public List<String> changesAfter(String stream, String sinceId, int limit) {
		StreamId since = StreamId.parse(sinceId);
		List<MapRecord<String, Object, Object>> records = redis.opsForStream()
			.range(RedisKeys.changesOf(stream), Range.closed(changesFrom(since), "+"), Limit.limit().count(limit));
		List<String> changes = new ArrayList<>();
		if (records != null) {
			for (MapRecord<String, Object, Object> record : records) {
				if (!StreamId.parse((String) record.getValue().get(CHANGED_ID_FIELD)).isAfter(since)) {
					changes.add((String) record.getValue().get(TAIL_FIELD));
				}
			}
		}
		return changes;
	}

	/**
	 * Queued private frames for {@code userId} as their messages are now: an edited one with its
	 * current text, a deleted one left out. One read per conversation, all sent together, with no
	 * thread waiting for their replies.
	 */
	public CompletableFuture<List<String>> asTheyAreNowAsync(String userId, List<String> privates) {
		if (privates.isEmpty()) {
			return CompletableFuture.completedFuture(privates);
		}
		List<String> ids = new ArrayList<>(privates.size());
		List<CompletableFuture<String>> edits = new ArrayList<>(privates.size());
		for (String frame : privates) {
			JsonNode message = json.readTree(frame);
			String id = message.path("id").asString();
			String from = message.path("from").path("id").asString();
			String partner = from.equals(userId) ? message.path("to").path("id").asString() : from;
			ids.add(id);
			edits.add(async.commands()
				.hget(RedisKeys.editsOf(RedisKeys.conversationHistory(userId, partner)), id)
				.toCompletableFuture());
		}
		return CompletableFuture.allOf(edits.toArray(CompletableFuture[]::new))
			.thenApply(read -> current(privates, ids, edits.stream().map(CompletableFuture::join).toList()));
	}

	private static List<String> current(List<String> privates, List<String> ids, List<String> edits) {
		List<String> now = new ArrayList<>(privates.size());
		for (int i = 0; i < privates.size(); i++) {
			String edit = edits.get(i);
			if (edit == null) {
				now.add(privates.get(i));
			}
			else if (!edit.isEmpty()) {
				now.add(MessageFormat.assemble(MessageFormat.privateHead(), ids.get(i), edit));
			}
		}
		return now;
	}

	/** A room's unread messages, and how many of them mention the user. */
	public record Unread(long messages, long mentions) {
	}

	/**
	 * For each room, how many messages came after the user's last read mark (all of them without
	 * one), and how many of those mention the user, counting at most {@code cap}: two round trips
	 * for all the rooms (their read marks, then the counts), with no thread waiting, and only the
	 * counts cross the wire.
	 */
	public CompletableFuture<List<Unread>> unreadCountsAsync(String userId, List<String> slugs, int cap) {
		if (slugs.isEmpty()) {
			return CompletableFuture.completedFuture(List.of());
		}
		return async.commands()
			.hmget(RedisKeys.userReads(userId), slugs.toArray(String[]::new))
			.toCompletableFuture()
			.thenApply(values -> values.stream().map(value -> value.getValueOrElse("")).toList())
			.thenCompose(marks -> counts(userId, slugs, marks, cap));
	}

	/** One script per slot group of the rooms' streams, sent together. */
	private CompletableFuture<List<Unread>> counts(String userId, List<String> slugs, List<String> marks, int cap) {
		Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
		for (int i = 0; i < slugs.size(); i++) {
			groups.computeIfAbsent(async.slotGroup(RedisKeys.roomHistory(slugs.get(i))), group -> new ArrayList<>())
				.add(i);
		}
		Unread[] counts = new Unread[slugs.size()];
		List<CompletableFuture<List<Long>>> replies = new ArrayList<>();
		groups.values().forEach(group -> replies.add(count(group, userId, slugs, marks, cap).thenApply(found -> {
			for (int i = 0; i < group.size(); i++) {
				counts[group.get(i)] = new Unread(found.get(2 * i), found.get(2 * i + 1));
			}
			return found;
		})));
		return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).thenApply(done -> Arrays.asList(counts));
	}

	/** The unread counts of the rooms at these positions of {@code slugs}, whose streams share a slot group. */
	private CompletableFuture<List<Long>> count(List<Integer> group, String userId, List<String> slugs,
			List<String> marks, int cap) {
		String[] keys = group.stream()
			.map(i -> RedisKeys.roomHistory(slugs.get(i)))
			.flatMap(stream -> Stream.of(stream, RedisKeys.editsOf(stream)))
			.toArray(String[]::new);
		String[] args = new String[group.size() + 2];
		args[0] = Integer.toString(cap);
		args[1] = userId;
		for (int i = 0; i < group.size(); i++) {
			args[i + 2] = marks.get(group.get(i));
		}
		return async.eval(UNREAD_COUNTS, ScriptOutputType.MULTI, keys, args);
	}

	/** A user's private conversation: the other user's id and the time of its latest message. */
	public record Conversation(String with, long last) {
	}

	/** The user's {@code limit} most recent private conversations, newest first. */
	public List<Conversation> recentConversations(String userId, int limit) {
		Set<TypedTuple<String>> entries = redis.opsForZSet()
			.reverseRangeWithScores(RedisKeys.userConversations(userId), 0, limit - 1);
		List<Conversation> conversations = new ArrayList<>(entries == null ? 0 : entries.size());
		if (entries != null) {
			entries.forEach(entry -> conversations.add(new Conversation(entry.getValue(), entry.getScore().longValue())));
		}
		return conversations;
	}

	/** The id of the newest message in a room, or null when it has none. */
	public String newestId(String slug) {
		List<MapRecord<String, Object, Object>> records = redis.opsForStream()
			.reverseRange(RedisKeys.roomHistory(slug), Range.unbounded(), Limit.limit().count(1));
		return records == null || records.isEmpty() ? null : records.get(0).getId().getValue();
	}

	/**
	 * Where a changes stream is read from to find what was changed after message {@code since}: the
	 * start of its millisecond, since the two streams number their entries apart and a change in
	 * that millisecond may sort before it. A change made just before is applied again, to no effect.
	 */
	public static String changesFrom(StreamId since) {
		return since.millis() + "-0";
	}

	private static String upTo(String beforeId) {
		return beforeId == null ? "+" : "(" + beforeId;
	}

	private List<String> newestFirst(String stream, String head, String upTo, int limit) {
		if (limit <= 0) {
			return List.of();
		}
		List<String> messages = toJson(head, async.await(range(stream, false, "-", upTo, limit)));
		Collections.reverse(messages);
		return messages;
	}

	private static List<String> toJson(String head, List<Entry> entries) {
		List<String> messages = new ArrayList<>(entries.size());
		for (Entry entry : entries) {
			messages.add(MessageFormat.assemble(head, entry.id(), entry.tail()));
		}
		return messages;
	}

}
