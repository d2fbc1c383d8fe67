package dev.parley.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBuf;

/**
 * The client side of the protocol as the benchmark needs it. Latency is measured from the
 * sender's {@code System.nanoTime()}, carried in the message text and in the ref, to receipt in
 * the same process.
 */
final class Traffic implements Loader.FrameListener {

	private static final byte[] TEXT_MARK = ascii("\"text\":\"b:");

	private static final byte[] REF_MARK = ascii("\"ref\":\"b");

	private static final byte[] MESSAGE = ascii("{\"type\":\"message\"");

	private static final byte[] PRIVATE = ascii("{\"type\":\"private\"");

	private static final byte[] ACK = ascii("{\"type\":\"ack\"");

	private static final byte[] WELCOME = ascii("{\"type\":\"welcome\"");

	private static final byte[] JOINED = ascii("{\"type\":\"joined\"");

	private static final byte[] ERROR = ascii("{\"type\":\"error\"");

	private static final byte[] RATE_LIMITED = ascii("rate_limited");

	/** Per-connection protocol state. */
	static final class Peer {

		final String token;

		final CompletableFuture<Void> welcomed = new CompletableFuture<>();

		final CompletableFuture<Void> joined = new CompletableFuture<>();

		/** Set once the join is sent: until it is answered, an error is its answer. */
		volatile boolean joinSent;

		Peer(String token) {
			this.token = token;
		}

	}

	final Stats stats;

	private final String padding;

	Traffic(Stats stats, int payloadBytes) {
		this.stats = stats;
		this.padding = "x".repeat(Math.max(0, payloadBytes));
	}

	/** One frame's bytes at a time per event-loop thread: plain array scans, no bounds check per byte. */
	private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[1 << 16]);

	@Override
	public void onText(Loader.Conn conn, ByteBuf text) {
		long now = System.nanoTime();
		int length = text.readableBytes();
		byte[] bytes = SCRATCH.get();
		if (bytes.length < length) {
			bytes = new byte[length];
			SCRATCH.set(bytes);
		}
		text.getBytes(text.readerIndex(), bytes, 0, length);
		onText((Peer) conn.state, bytes, length, now);
	}

	@Override
	public void onClose(Loader.Conn conn) {
		if (conn.droppedByServer()) {
			stats.dropped.increment();
		}
	}

	void onText(Peer peer, byte[] text, int length, long now) {
		if (startsWith(text, length, MESSAGE) || startsWith(text, length, PRIVATE)) {
			long sent = number(text, length, TEXT_MARK);
			if (sent >= 0) {
				stats.recordDelivery(sent, now);
			}
		}
		else if (startsWith(text, length, ACK)) {
			long sent = number(text, length, REF_MARK);
			if (sent >= 0 && stats.inWindow(sent)) {
				stats.acked.increment();
			}
		}
		else if (startsWith(text, length, WELCOME)) {
			peer.welcomed.complete(null);
		}
		else if (startsWith(text, length, JOINED)) {
			peer.joined.complete(null);
		}
		else if (startsWith(text, length, ERROR)) {
			if (peer.joinSent && !peer.joined.isDone()) {
				// nothing else is sent before the join's answer: this is it (no such room, say)
				peer.joined.completeExceptionally(
						new IllegalStateException("join refused: " + new String(text, 0, length, StandardCharsets.UTF_8)));
				return;
			}
			long sent = number(text, length, REF_MARK);
			if (sent >= 0 && !stats.inWindow(sent)) {
				// the answer to a message sent before the window (during the warm-up, say)
				return;
			}
			stats.errors.increment();
			if (indexOf(text, length, RATE_LIMITED) >= 0) {
				stats.rateLimited.increment();
			}
		}
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	String roomMessage(String room, long now) {
		return "{\"type\":\"message\",\"room\":\"" + room + "\",\"text\":\"b:" + now + ":" + padding + "\",\"ref\":\"b"
				+ now + "\"}";
	}

	String privateMessage(String to, long now) {
		return "{\"type\":\"private\",\"to\":\"" + to + "\",\"text\":\"b:" + now + ":" + padding + "\",\"ref\":\"b" + now
				+ "\"}";
	}

	static String join(String room, String since) {
		return since == null ? "{\"type\":\"join\",\"room\":\"" + room + "\"}"
				: "{\"type\":\"join\",\"room\":\"" + room + "\",\"since\":\"" + since + "\"}";
	}

	private static long number(byte[] text, int length, byte[] mark) {
		int at = indexOf(text, length, mark);
		if (at < 0) {
			return -1;
		}
		long value = 0;
		for (int i = at + mark.length; i < length; i++) {
			byte c = text[i];
			if (c < '0' || c > '9') {
				break;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	private static boolean startsWith(byte[] text, int length, byte[] prefix) {
		return length >= prefix.length && text[0] == prefix[0] && matchesAt(text, 0, prefix);
	}

	private static int indexOf(byte[] text, int length, byte[] needle) {
		byte first = needle[0];
		for (int i = 0; i <= length - needle.length; i++) {
			if (text[i] == first && matchesAt(text, i, needle)) {
				return i;
			}
		}
		return -1;
	}

	/** Whether {@code needle} is at {@code at}, its first byte already matched. */
	private static boolean matchesAt(byte[] text, int at, byte[] needle) {
		for (int j = 1; j < needle.length; j++) {
			if (text[at + j] != needle[j]) {
				return false;
			}
		}
		return true;
	}

}
