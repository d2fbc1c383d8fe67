package dev.parley.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisKeys;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Reads room and conversation history from Redis Streams. Appends happen in the {@code Broker},
 * together with the publish.
 */
@Component
public class RedisHistoryStore {

	/** The stream field that holds a message's JSON tail ({@link MessageFormat}). */
	public static final String TAIL_FIELD = "d";

	/** KEYS: the user's read marks, then each room's stream; ARGV: each room's slug, then the cap. */
	private static final RedisScript<List> UNREAD_COUNTS = RedisScript.of("""
			local cap = ARGV[#ARGV]
			local counts = {}
			for i = 2, #KEYS do
			  local last = redis.call('HGET', KEYS[1], ARGV[i - 1])
			  local from = last and ('(' .. last) or '-'
			  counts[i - 1] = #redis.call('XRANGE', KEYS[i], from, '+', 'COUNT', cap)
			end
			return counts""", List.class);

	private final StringRedisTemplate redis;

	private final ParleyProperties.History settings;

	public RedisHistoryStore(StringRedisTemplate redis, ParleyProperties properties) {
		this.redis = redis;
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
		List<String> keys = new ArrayList<>(slugs.size() + 1);
		keys.add(RedisKeys.userReads(userId));
		slugs.forEach(slug -> keys.add(RedisKeys.roomHistory(slug)));
		List<Object> args = new ArrayList<>(slugs);
		args.add(Integer.toString(cap));
		List<Long> counts = redis.execute(UNREAD_COUNTS, keys, args.toArray());
		return counts == null ? Collections.nCopies(slugs.size(), 0L) : counts;
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
