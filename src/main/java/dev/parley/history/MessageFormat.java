package dev.parley.history;

import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.parley.user.User;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The JSON of stored messages, split around the id so that Redis can assign the id and assemble
 * the frame in the same script that appends it: {@code head + id + tail + ,"ts":<ms>}}. The stream
 * entry keeps only the tail; the head depends on the stream (room or conversation).
 */
@Component
public class MessageFormat {

	private static final Pattern ID = Pattern.compile("^\\d{1,19}-\\d{1,19}$");

	/** Senders' JSON, which every message of theirs repeats: encoded once per user, not per message. */
	private final Cache<User, String> users = Caffeine.newBuilder().maximumSize(50_000).build();

	private final JsonMapper json;

	/** Resolved once: every message's text is written without the type and serializer lookups. */
	private final ObjectWriter strings;

	public MessageFormat(JsonMapper json) {
		this.json = json;
		this.strings = json.writerFor(String.class);
	}

	public static String roomHead(String slug) {
		return "{\"type\":\"message\",\"room\":\"" + slug + "\",\"id\":\"";
	}

	public static String privateHead() {
		return "{\"type\":\"private\",\"id\":\"";
	}

	public String roomTail(User from, String text) {
		return "\",\"from\":" + userJson(from) + ",\"text\":" + strings.writeValueAsString(text);
	}

	public String privateTail(User from, User to, String text) {
		return "\",\"from\":" + userJson(from) + ",\"to\":" + userJson(to)
				+ ",\"text\":" + strings.writeValueAsString(text);
	}

	private String userJson(User user) {
		return users.get(user, json::writeValueAsString);
	}

	public static String assemble(String head, String id, String tail) {
		return head + id + tail + ",\"ts\":" + timestampOf(id) + "}";
	}

	/** Stream ids are {@code <epoch ms>-<sequence>}: the message's timestamp is its id's first part. */
	public static long timestampOf(String id) {
		int dash = id.indexOf('-');
		return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
	}

	public static boolean isValidId(String id) {
		return id != null && ID.matcher(id).matches();
	}

}
