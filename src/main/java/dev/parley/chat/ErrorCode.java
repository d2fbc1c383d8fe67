package dev.parley.chat;

import java.util.Locale;

/** The {@code code} of an {@code error} frame, as PROTOCOL.md names them. */
public enum ErrorCode {

	BAD_REQUEST("bad request"), UNKNOWN_TYPE("unknown frame type"), NOT_FOUND("not found"),
	FORBIDDEN("forbidden"), NOT_MEMBER("not a member of this room"), TOO_LARGE("too large"),
	RATE_LIMITED("too many frames; slow down"), UNAVAILABLE("temporarily unavailable");

	private final String defaultMessage;

	ErrorCode(String defaultMessage) {
		this.defaultMessage = defaultMessage;
	}

	public String wire() {
		return name().toLowerCase(Locale.ROOT);
	}

	public String defaultMessage() {
		return defaultMessage;
	}

	public static ErrorCode fromWire(String code) {
		return valueOf(code.toUpperCase(Locale.ROOT));
	}

}
