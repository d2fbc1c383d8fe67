package dev.parley.chat;

/** A frame that cannot be carried out; becomes an {@code error} frame and changes nothing. */
public class ChatException extends RuntimeException {

	private final ErrorCode code;

	public ChatException(ErrorCode code, String message) {
		super(message, null, false, false);
		this.code = code;
	}

	public ErrorCode code() {
		return code;
	}

}
