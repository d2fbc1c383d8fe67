package dev.parley.room;

import java.util.regex.Pattern;

/**
 * A chat room. {@code open} false means closed: nobody can join or post. A private room is seen
 * and joined only by its members and those they invited; {@code owner} is the user who created it
 * from the chat page (empty for rooms made by an admin or at start-up).
 */
public record Room(String slug, String name, String topic, boolean open, long created, boolean privateRoom,
		String owner) {

	public static final String SLUG_PATTERN = "^[a-z0-9][a-z0-9-]{0,39}$";

	public static final int NAME_MAX = 60;

	public static final int TOPIC_MAX = 200;

	public static final String SLUG_RULE = "A room's address is 1 to 40 lower-case letters, digits and dashes, "
			+ "starting with a letter or digit.";

	private static final Pattern SLUG = Pattern.compile(SLUG_PATTERN);

	public Room withOpen(boolean isOpen) {
		return new Room(slug, name, topic, isOpen, created, privateRoom, owner);
	}

	/** What is wrong with a room's cleaned name or topic; null when both are fine. */
	public static String problemWith(String name, String topic) {
		if (name.isEmpty() || name.length() > NAME_MAX) {
			return "A room name needs 1 to " + NAME_MAX + " characters.";
		}
		if (topic.length() > TOPIC_MAX) {
			return "A topic has at most " + TOPIC_MAX + " characters.";
		}
		return null;
	}

	public static boolean isValidSlug(String slug) {
		return slug != null && SLUG.matcher(slug).matches();
	}

}
