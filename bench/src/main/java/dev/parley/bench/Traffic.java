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

		volatile CompletableFuture<Void> joined = new CompletableFuture<>();

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

	@Override
	public void onText(Loader.Conn conn, ByteBuf text) {
		long now = System.nanoTime();
		Peer peer = (Peer) conn.state;
		if (startsWith(text, MESSAGE) || startsWith(text, PRIVATE)) {
			long sent = number(text, TEXT_MARK);
			if (sent >= 0) {
				stats.recordDelivery(sent, now);
			}
		}
		else if (startsWith(text, ACK)) {
			long sent = number(text, REF_MARK);
			if (sent >= 0 && stats.inWindow(sent)) {
				stats.acked.increment();
			}
		}
		else if (startsWith(text, WELCOME)) {
			peer.welcomed.complete(null);
		}
		else if (startsWith(text, JOINED)) {
			peer.joined.complete(null);
		}
		else if (startsWith(text, ERROR)) {
			stats.errors.increment();
			if (indexOf(text, RATE_LIMITED) >= 0) {
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

	private static long number(ByteBuf text, byte[] mark) {
		int at = indexOf(text, mark);
		if (at < 0) {
			return -1;
		}
		long value = 0;
		for (int i = at + mark.length; i < text.writerIndex(); i++) {
			byte c = text.getByte(i);
			if (c < '0' || c > '9') {
				break;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	private static boolean startsWith(ByteBuf text, byte[] prefix) {
		return text.readableBytes() >= prefix.length && matchesAt(text, text.readerIndex(), prefix);
	}

	private static int indexOf(ByteBuf text, byte[] needle) {
		for (int i = text.readerIndex(); i <= text.writerIndex() - needle.length; i++) {
			if (matchesAt(text, i, needle)) {
				return i;
			}
		}
		return -1;
	}

	private static boolean matchesAt(ByteBuf text, int at, byte[] needle) {
		for (int j = 0; j < needle.length; j++) {
			if (text.getByte(at + j) != needle[j]) {
				return false;
			}
		}
		return true;
	}

}
