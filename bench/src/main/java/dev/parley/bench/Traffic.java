package dev.parley.bench;

import java.util.concurrent.CompletableFuture;

/**
 * The client side of the protocol as the benchmark needs it. Latency is measured from the
 * sender's {@code System.nanoTime()}, carried in the message text and in the ref, to receipt in
 * the same process.
 */
final class Traffic implements Loader.FrameListener {

	private static final String TEXT_MARK = "\"text\":\"b:";

	private static final String REF_MARK = "\"ref\":\"b";

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
	public void onText(Loader.Conn conn, String text) {
		long now = System.nanoTime();
		Peer peer = (Peer) conn.state;
		if (text.startsWith("{\"type\":\"message\"") || text.startsWith("{\"type\":\"private\"")) {
			long sent = number(text, TEXT_MARK);
			if (sent >= 0) {
				stats.recordDelivery(sent, now);
			}
		}
		else if (text.startsWith("{\"type\":\"ack\"")) {
			long sent = number(text, REF_MARK);
			if (sent >= 0 && stats.inWindow(sent)) {
				stats.acked.increment();
			}
		}
		else if (text.startsWith("{\"type\":\"welcome\"")) {
			peer.welcomed.complete(null);
		}
		else if (text.startsWith("{\"type\":\"joined\"")) {
			peer.joined.complete(null);
		}
		else if (text.startsWith("{\"type\":\"error\"")) {
			stats.errors.increment();
			if (text.contains("rate_limited")) {
				stats.rateLimited.increment();
			}
		}
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

	private static long number(String text, String mark) {
		int at = text.indexOf(mark);
		if (at < 0) {
			return -1;
		}
		long value = 0;
		for (int i = at + mark.length(); i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				break;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

}
