package dev.parley.chat;

import java.util.concurrent.CompletionException;

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

	/**
	 * This exception as the failure of a future. A future wraps any other exception in a
	 * {@link CompletionException} as it passes on to each stage, and that one records the stack: under
	 * overload, where every message refused went through it, that cost more than the refusal itself.
	 */
	public CompletionException asFailure() {
		return new Failure(this);
	}

	/** Passed on by every stage as it is; as the exception it carries, it has no stack trace. */
	private static final class Failure extends CompletionException {

		Failure(ChatException cause) {
			super(cause.getMessage(), cause);
		}

		@Override
		public synchronized Throwable fillInStackTrace() {
			return this;
		}

	}

}
