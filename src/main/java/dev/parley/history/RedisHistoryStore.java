package dev.parley.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.ScriptOutputType;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;

import org.springframework.core.io.ClassPathResource;
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

	private static final RedisScript<List> UNREAD_COUNTS = RedisScript
		.of(new ClassPathResource("redis/unread-counts.lua"), List.class);

	private final StringRedisTemplate redis;

	private final RedisAsync async;

	private final ParleyProperties.History settings;

	public RedisHistoryStore(StringRedisTemplate redis, RedisAsync async, ParleyProperties properties) {
		this.redis = redis;
		this.async = async;
		this.settings = properties.history();
	}

	/** The newest {@code limit} messages of a room, oldest first. */
	public List<String> latest(String slug, int limit) {
		return newestFirstToJson(RedisKeys.roomHistory(slug), MessageFormat.roomHead(slug), Range.unbounded(),
				limit);
	}

	/** Up to {@code limit} kept messages after {@code sinceId}, oldest first. */
	public List<String> after(String slug, String sinceId, int limit) {
		List<MapRecord<String, Object, Object>> records = redis.opsForStream()
			.range(RedisKeys.roomHistory(slug), Range.leftOpen(sinceId, "+"), Limit.limit().count(limit));
		return toJson(MessageFormat.roomHead(slug), records);
	}

	/** Up to {@code limit} messages before {@code beforeId} (or the newest), oldest first. */
	public List<String> before(String slug, String beforeId, int limit) {
		return newestFirstToJson(RedisKeys.roomHistory(slug), MessageFormat.roomHead(slug), upTo(beforeId),
				limit);
	}

	public List<String> conversationBefore(String userA, String userB, String beforeId, int limit) {
		return newestFirstToJson(RedisKeys.conversationHistory(userA, userB), MessageFormat.privateHead(),
				upTo(beforeId), limit);
	}

	/**
	 * For each room, how many messages came after the user's last read mark (all of them without
	 * one), counting at most {@code cap}: one round trip for every room, and only the counts cross
	 * the wire.
	 */
	public List<Long> unreadCounts(String userId, List<String> slugs, int cap) {
		if (slugs.isEmpty()) {
			return List.of();
		}
		List<String> marks = async.awaitAll(List.of(async.commands()
			.hmget(RedisKeys.userReads(userId), slugs.toArray(String[]::new))
			.toCompletableFuture()
			.thenApply(values -> values.stream().map(value -> value.getValueOrElse("")).toList()))).get(0);
		Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
		for (int i = 0; i < slugs.size(); i++) {
			groups.computeIfAbsent(async.slotGroup(RedisKeys.roomHistory(slugs.get(i))), group -> new ArrayList<>())
				.add(i);
		}
		Long[] counts = new Long[slugs.size()];
		List<CompletableFuture<List<Long>>> replies = new ArrayList<>();
		groups.values().forEach(group -> replies.add(count(group, slugs, marks, cap).thenApply(found -> {
			for (int i = 0; i < group.size(); i++) {
				counts[group.get(i)] = found.get(i);
			}
			return found;
		})));
		async.awaitAll(replies);
		return Arrays.asList(counts);
	}

	/** The unread counts of the rooms at these positions of {@code slugs}, whose streams share a slot group. */
	private CompletableFuture<List<Long>> count(List<Integer> group, List<String> slugs, List<String> marks, int cap) {
		String[] keys = group.stream().map(i -> RedisKeys.roomHistory(slugs.get(i))).toArray(String[]::new);
		String[] args = new String[group.size() + 1];
		args[0] = Integer.toString(cap);
		for (int i = 0; i < group.size(); i++) {
			args[i + 1] = marks.get(group.get(i));
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

	private static Range<String> upTo(String beforeId) {
		return beforeId == null ? Range.unbounded() : Range.rightOpen("-", beforeId);
	}

	private List<String> newestFirstToJson(String key, String head, Range<String> range, int limit) {
		if (limit <= 0) {
			return List.of();
		}
		List<MapRecord<String, Object, Object>> records = redis.opsForStream()
			.reverseRange(key, range, Limit.limit().count(limit));
		List<String> messages = toJson(head, records);
		Collections.reverse(messages);
		return messages;
	}

	private static List<String> toJson(String head, List<MapRecord<String, Object, Object>> records) {
		List<String> messages = new ArrayList<>(records == null ? 0 : records.size());
		if (records != null) {
			for (MapRecord<String, Object, Object> record : records) {
				messages.add(MessageFormat.assemble(head, record.getId().getValue(),
						(String) record.getValue().get(TAIL_FIELD)));
			}
		}
		return messages;
	}

}
