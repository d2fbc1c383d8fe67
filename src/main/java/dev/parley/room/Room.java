package dev.parley.room;

import java.util.regex.Pattern;

/** A chat room. {@code open} false means closed: nobody can join or post. */
public record Room(String slug, String name, String topic, boolean open, long created) {

	public static final String SLUG_PATTERN = "^[a-z0-9][a-z0-9-]{0,39}$";

	private static final Pattern SLUG = Pattern.compile(SLUG_PATTERN);

	public static boolean isValidSlug(String slug) {
		return slug != null && SLUG.matcher(slug).matches();
	}

}
