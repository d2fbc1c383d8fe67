package dev.parley.chat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A frame encoded once, to UTF-8, and shared by every recipient: each write gets a view of the
 * same bytes. {@code length} (bytes) bounds send buffers.
 */
public final class OutboundFrame {

	private final ByteBuffer utf8;

	public OutboundFrame(String json) {
		this.utf8 = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
	}

	/** A view of the encoded bytes with its own position, so that concurrent writes do not interfere. */
	public ByteBuffer payload() {
		return utf8.slice();
	}

	public int length() {
		return utf8.remaining();
	}

}
