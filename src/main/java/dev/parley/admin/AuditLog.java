package dev.parley.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.RedisKeys;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.connection.stream.StringRecord;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Every admin and moderator action, who did what to which target and why, appended to a bounded
 * Redis stream that the console shows, and written to the application log (never a message's
 * text, nor a password).
 */
@Component
public class AuditLog {

	/** The most actions kept; older ones are trimmed as new ones come. */
	public static final int MAX_ENTRIES = 10_000;

	private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

	private final StringRedisTemplate redis;

	AuditLog(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/** One action as the console lists it. */
	public record Entry(String id, Instant at, String by, String role, String action, String target, String reason) {
	}

	/**
	 * @param role {@code admin} for the console, {@code moderator} for a room's moderator in the chat
	 * @param reason what the actor gave, or null
	 */
	public void record(String by, String role, String action, String target, String reason) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("at", Long.toString(System.currentTimeMillis()));
		fields.put("by", by);
		fields.put("role", role);
		fields.put("action", action);
		fields.put("target", target == null ? "" : target);
		fields.put("reason", reason == null ? "" : reason);
		StringRecord entry = StreamRecords.string(fields).withStreamKey(RedisKeys.AUDIT);
		redis.opsForStream().add(entry, XAddOptions.maxlen(MAX_ENTRIES).approximateTrimming(true));
		log.info("Audit: {} {} {} {}{}", role, by, action, target == null ? "" : target,
				reason == null || reason.isBlank() ? "" : " (reason given)");
	}

	public void admin(String by, String action, String target, String reason) {
		record(by, "admin", action, target, reason);
	}

	/**
	 * The newest actions first, at most {@code limit}, before the entry {@code before} (null: from the
	 * newest), those matching each filter that is not blank (by, action: exact; target: contains).
	 */
	public List<Entry> newest(int limit, String before, String by, String action, String target) {
		List<Entry> found = new ArrayList<>();
		String upTo = before;
		while (found.size() < limit) {
			Range<String> range = upTo == null ? Range.unbounded() : Range.of(Range.Bound.unbounded(), Range.Bound.exclusive(upTo));
			List<MapRecord<String, Object, Object>> page = redis.opsForStream()
				.reverseRange(RedisKeys.AUDIT, range, Limit.limit().count(200));
			if (page == null || page.isEmpty()) {
				break;
			}
			for (MapRecord<String, Object, Object> record : page) {
				Entry entry = entry(record);
				if (matches(entry, by, action, target) && found.size() < limit) {
					found.add(entry);
				}
			}
			upTo = page.get(page.size() - 1).getId().getValue();
		}
		return found;
	}

	private static boolean matches(Entry entry, String by, String action, String target) {
		return (blank(by) || entry.by().equals(by)) && (blank(action) || entry.action().equals(action))
				&& (blank(target) || entry.target().toLowerCase(Locale.ROOT).contains(target.toLowerCase(Locale.ROOT)));
	}

	private static boolean blank(String filter) {
		return filter == null || filter.isBlank();
	}

	private static Entry entry(MapRecord<String, Object, Object> record) {
		Map<Object, Object> fields = record.getValue();
		return new Entry(record.getId().getValue(), Instant.ofEpochMilli(Long.parseLong((String) fields.get("at"))),
				(String) fields.get("by"), (String) fields.get("role"), (String) fields.get("action"),
				(String) fields.get("target"), (String) fields.get("reason"));
	}

}
