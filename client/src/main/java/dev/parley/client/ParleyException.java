package dev.parley.client;

/**
 * A frame the server refused (its error frame's {@code code}: {@code bad_request}, {@code not_found},
 * {@code forbidden}, {@code rate_limited}, {@code unavailable}...; docs/protocol.md, "Errors"), or
 * one that got no answer: {@code disconnected} when the connection dropped first, {@code closed}
 * once the client was closed or the server ended it for good.
 */
public final class ParleyException extends RuntimeException {

	private final String code;

	public ParleyException(String code, String message) {
		super(code + ": " + message);
		this.code = code;
	}

	public String code() {
		return code;
	}

}
