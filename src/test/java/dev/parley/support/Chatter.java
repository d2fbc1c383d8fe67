package dev.parley.support;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;

/**
 * A connection that records, on a thread of its own, every message it receives and every ack it
 * gets; and, when told to, sends a room or private message every {@code interval}, below the rate
 * limit, whatever the answers. For the reliability tests: what was acked must arrive everywhere.
 */
public final class Chatter implements AutoCloseable {

	private final WsClient client;

	private final Thread thread;

	private final List<String> received = new CopyOnWriteArrayList<>();

	private final List<String> acked = new CopyOnWriteArrayList<>();

	private final AtomicInteger refused = new AtomicInteger();

	private volatile Map<String, Object> sending;

	private volatile boolean running = true;

	private final long intervalMillis;

	public Chatter(WsClient client, long intervalMillis) {
		this.client = client;
		this.intervalMillis = intervalMillis;
		this.thread = new Thread(this::run, "chatter");
		thread.setDaemon(true);
		thread.start();
	}

	/** Sends this frame (with its text, if any, and a number after it, and a fresh ref) until {@link #stopSending}. */
	public void startSending(Map<String, Object> frame) {
		sending = frame;
	}

	public void stopSending() {
		sending = null;
	}

	/** Ids of the {@code message} and {@code private} frames received, in the order they came. */
	public List<String> received() {
		return List.copyOf(received);
	}

	/** Ids of the messages this connection sent and the server acknowledged. */
	public List<String> acked() {
		return List.copyOf(acked);
	}

	/** Answers that were errors: messages refused, for example while Redis was away. */
	public int refused() {
		return refused.get();
	}

	public boolean isClosed() {
		return client.isClosed();
	}

	/** The acked ids this connection has not received, in the order given, for a failure to name. */
	public List<String> missing(List<String> ids) {
		Set<String> seen = new HashSet<>(received);
		return ids.stream().filter(id -> !seen.contains(id)).toList();
	}

	@Override
	public String toString() {
		return "chatter(received " + received.size() + ", acked " + acked.size() + ", refused " + refused.get()
				+ (client.isClosed() ? ", closed " + client.closeCode() : "") + ")";
	}

	private void run() {
		int sent = 0;
		long next = System.currentTimeMillis();
		while (running) {
			Map<String, Object> frame = sending;
			if (frame != null && System.currentTimeMillis() >= next && !client.isClosed()) {
				Map<String, Object> message = new HashMap<>(frame);
				message.put("text", frame.getOrDefault("text", "m") + " " + sent);
				message.put("ref", "c" + sent++);
				try {
					client.send(message);
				}
				catch (RuntimeException ex) {
					// the connection is closing; the test asserts on that
				}
				next = System.currentTimeMillis() + intervalMillis;
			}
			drain();
		}
	}

	private void drain() {
		JsonNode frame = client.poll(5);
		while (frame != null) {
			String type = frame.path("type").asString();
			switch (type) {
				case "message", "private" -> received.add(frame.path("id").asString());
				case "ack" -> acked.add(frame.path("id").asString());
				case "error" -> refused.incrementAndGet();
				default -> {
				}
			}
			frame = client.poll();
		}
	}

	@Override
	public void close() {
		running = false;
		try {
			thread.join(2000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		client.close();
	}

}
