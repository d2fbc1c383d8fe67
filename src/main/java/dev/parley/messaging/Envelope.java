package dev.parley.messaging;

import dev.parley.chat.MuteList;

/**
 * What travels on a pub/sub channel between instances: a kind, one argument and a body, as
 * {@code <kind><arg>\n<body>}. The body of a {@link #DELIVER} is the frame JSON, encoded once by
 * the publisher and written as is to every recipient.
 */
public record Envelope(char kind, String arg, String body) {

	/** Deliver {@code body} to the channel's connections, except those of user {@code arg} (when not empty). */
	public static final char DELIVER = 'F';

	/**
	 * Deliver {@code body} to the channel's connections except connection {@code arg}, which wrote
	 * it itself: the sender's own connection gets its private message right behind the ack.
	 */
	public static final char DELIVER_TO_OTHERS = 'O';

	/** The user of this user channel became a member of room {@code arg}. */
	public static final char JOINED = 'J';

	/** The user of this user channel stopped being a member of room {@code arg}; {@code body} is sent first. */
	public static final char LEFT = 'L';

	/** Close the connections of this channel's user opened by the HTTP session whose key is {@code arg}. */
	public static final char LOGGED_OUT = 'S';

	/** Close every connection of the user of this user channel with code {@code arg}, reason {@code body}. */
	public static final char CLOSE = 'C';

	/** On the all-instances channel: the list of muted users changed, each instance reads it again ({@link MuteList}). */
	public static final char MUTES_CHANGED = 'M';

	/** The prefix of a {@link #DELIVER} to every connection of the channel, whose body follows. */
	public static final String DELIVER_TO_ALL = DELIVER + "\n";

	public static String deliver(String excludeUserId, String json) {
		return DELIVER + (excludeUserId == null ? "" : excludeUserId) + "\n" + json;
	}

	/** The prefix of a {@link #DELIVER_TO_OTHERS} payload, whose body follows. */
	public static String toOthersPrefix(String connectionId) {
		return DELIVER_TO_OTHERS + connectionId + "\n";
	}

	public String encode() {
		return kind + arg + "\n" + body;
	}

	public static Envelope decode(String payload) {
		int newline = payload.indexOf('\n');
		if (payload.isEmpty() || newline < 0) {
			throw new IllegalArgumentException("not an envelope");
		}
		return new Envelope(payload.charAt(0), payload.substring(1, newline), payload.substring(newline + 1));
	}

}
