package dev.parley.delivery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A frame encoded once, to UTF-8, and shared by every recipient: each write gets a view of the
 * same bytes. {@code length} (bytes) bounds send buffers.
 */
public final class OutboundFrame {

	private static final byte FIN = (byte) 0x80;

	private static final byte TEXT = 0x1;

	private static final byte CONTINUATION = 0x0;

	private final byte[] utf8;

	/** The frame as it goes on the wire, made by the first write that asks for it. */
	private volatile ByteBuffer wire;

	public OutboundFrame(String json) {
		this.utf8 = json.getBytes(StandardCharsets.UTF_8);
	}

	/** A view of the encoded bytes with its own position, so that concurrent writes do not interfere. */
	public ByteBuffer payload() {
		return ByteBuffer.wrap(utf8).asReadOnlyBuffer();
	}

	public int length() {
		return utf8.length;
	}

	/**
	 * The whole server-to-client text message, headers included: unmasked, so the same bytes suit
	 * every recipient. It is split into fragments of at most {@code maxFragment} payload bytes, as
	 * Jetty splits what it sends; every connection of an instance passes the same limit, so the bytes
	 * are made once. Two first writes at once may both make them: the results are equal.
	 */
	public ByteBuffer wire(int maxFragment) {
		ByteBuffer bytes = wire;
		if (bytes == null) {
			bytes = encode(utf8, maxFragment).asReadOnlyBuffer();
			wire = bytes;
		}
		return bytes.slice();
	}

	static ByteBuffer encode(byte[] payload, int maxFragment) {
		int fragments = Math.max(1, (payload.length + maxFragment - 1) / maxFragment);
		ByteBuffer out = ByteBuffer.allocate(payload.length + fragments * headerLength(maxFragment));
		int offset = 0;
		do {
			int length = Math.min(maxFragment, payload.length - offset);
			boolean last = offset + length == payload.length;
			header(out, (byte) ((last ? FIN : 0) | (offset == 0 ? TEXT : CONTINUATION)), length);
			out.put(payload, offset, length);
			offset += length;
		}
		while (offset < payload.length);
		return out.flip();
	}

	/** RFC 6455 §5.2: 7-bit lengths inline, 126 then 16 bits, or 127 then 64 bits. */
	private static void header(ByteBuffer out, byte first, int length) {
		out.put(first);
		if (length < 126) {
			out.put((byte) length);
		}
		else if (length <= 0xFFFF) {
			out.put((byte) 126).putShort((short) length);
		}
		else {
			out.put((byte) 127).putLong(length);
		}
	}

	private static int headerLength(int payloadLength) {
		return payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
	}

}
