package dev.parley.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisKeys;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads room and conversation history from Redis Streams. Appends happen in the {@code Broker},
 * together with the publish.
 */
@Component
public class RedisHistoryStore {

	static final String TAIL_FIELD = "d";

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

	/** Every kept message after {@code sinceId}, oldest first, at most the room's bound. */
	public List<String> since(String slug, String sinceId) {
		List<MapRecord<String, Object, Object>> records = redis.opsForStream()
			.range(RedisKeys.roomHistory(slug), Range.leftOpen(sinceId, "+"),
					Limit.limit().count(settings.maxPerRoom()));
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

	/** How many messages came after {@code lastReadId}, counting at most {@code cap}. */
	public long unread(String slug, String lastReadId, int cap) {
		Range<String> range = lastReadId == null ? Range.unbounded() : Range.leftOpen(lastReadId, "+");
		List<MapRecord<String, Object, Object>> records = redis.opsForStream()
			.range(RedisKeys.roomHistory(slug), range, Limit.limit().count(cap));
		return records == null ? 0 : records.size();
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
