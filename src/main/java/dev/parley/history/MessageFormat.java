package dev.parley.history;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
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

	/** {@code @} after a start, space or punctuation that cannot be part of an id, then an id's characters. */
	private static final Pattern MENTION = Pattern.compile("(?<![A-Za-z0-9._@-])@([A-Za-z0-9._-]{1,32})");

	private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[._-]+$");

	/** The most candidates looked up for one message: a text of nothing but mentions costs no more. */
	private static final int MAX_MENTIONS = 20;

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
		return roomTail(from, text, "");
	}

	/**
	 * @param files {@code ,"files":[...]}, or empty: before the text, so that an edit, which
	 *     replaces what follows the text, keeps them
	 */
	public String roomTail(User from, String text, String files) {
		return "\",\"from\":" + userJson(from) + files + ",\"text\":" + strings.writeValueAsString(text);
	}

	public String privateTail(User from, User to, String text) {
		return privateTail(from, to, text, "");
	}

	public String privateTail(User from, User to, String text, String files) {
		return "\",\"from\":" + userJson(from) + ",\"to\":" + userJson(to) + files
				+ ",\"text\":" + strings.writeValueAsString(text);
	}

	private String userJson(User user) {
		return users.get(user, json::writeValueAsString);
	}

	/**
	 * The user ids a text may mention, {@code @<id>} not inside a word, lower-case, comma-separated
	 * ('' for none): those that are members of the room are the message's {@code mentions}. An id
	 * ending in punctuation (<code>@ann.</code>) is tried without it too.
	 */
	public static String mentionCandidates(String text) {
		if (text.indexOf('@') < 0) {
			return "";
		}
		Set<String> candidates = new LinkedHashSet<>();
		Matcher mention = MENTION.matcher(text);
		while (mention.find() && candidates.size() < MAX_MENTIONS) {
			String id = mention.group(1).toLowerCase(Locale.ROOT);
			candidates.add(id);
			String trimmed = TRAILING_PUNCTUATION.matcher(id).replaceFirst("");
			if (!trimmed.isEmpty()) {
				candidates.add(trimmed);
			}
		}
		return String.join(",", candidates);
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
