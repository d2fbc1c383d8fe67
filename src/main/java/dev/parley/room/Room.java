package dev.parley.room;

/** A chat room. {@code open} false means closed: nobody can join or post. */
public record Room(String slug, String name, String topic, boolean open, long created) {

	public static final String SLUG_PATTERN = "^[a-z0-9][a-z0-9-]{0,39}$";

	public static boolean isValidSlug(String slug) {
		return slug != null && slug.matches(SLUG_PATTERN);
	}

}
