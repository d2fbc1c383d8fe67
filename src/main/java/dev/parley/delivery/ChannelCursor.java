package dev.parley.delivery;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.parley.history.MessageFormat;
import dev.parley.history.StreamId;
import dev.parley.messaging.Envelope;

/**
 * Where one subscribed channel stands: its subscription, and the id of the last stored message this
 * instance delivered from it. When the subscription comes back after an interruption, what was
 * stored after that id is read from Redis and delivered first; live envelopes that arrive meanwhile
 * are held, then delivered behind it, those already delivered from the stream left out. Envelopes
 * pass one at a time, so the channel's order holds.
 * <p>
 * The stream is read on the command connection and the live envelopes come on the pub/sub one: an
 * envelope published just before the read can arrive after the replay has gone ahead of it. So for
 * {@link #LATE_MILLIS} after a replay, a live envelope whose frame was replayed is left out too.
 */
final class ChannelCursor {

	private static final String ROOM_MESSAGE = "{\"type\":\"message\",\"room\":\"";

	private static final String ID_FIELD = "\",\"id\":\"";

	private static final String PRIVATE_HEAD = MessageFormat.privateHead();

	/** A stored message missed by the channel: its frame, and the connection that must not get it. */
	record Missed(String json, String exceptConnection) {
	}

	static final long LATE_MILLIS = 10_000;

	private final CompletableFuture<Void> subscribed;

	private StreamId last;

	/** The frames the last replay delivered, until {@link #LATE_MILLIS} after it. */
	private Set<String> replayedLately = Set.of();

	private long replayedAt;

	/** Non-null while missed messages are being read. */
	private List<Envelope> held;

	ChannelCursor(CompletableFuture<Void> subscribed) {
		this.subscribed = subscribed;
	}

	/** Completes once Redis confirms the channel's subscription. */
	CompletableFuture<Void> subscribed() {
		return subscribed;
	}

	/** The first position, once the subscription is confirmed: messages stored after that moment. */
	synchronized void startAt(StreamId position) {
		if (last == null) {
			last = position;
		}
	}

	/** Delivers a live envelope now, or holds it until the missed messages have gone ahead of it. */
	synchronized void pass(Envelope envelope, Consumer<Envelope> deliver) {
		if (held != null) {
			held.add(envelope);
			return;
		}
		if (replayedLate(envelope.body())) {
			return;
		}
		advance(storedId(envelope.body()));
		deliver.accept(envelope);
	}

	/**
	 * A stored message handed to this channel's connections without going through the channel:
	 * it counts as delivered.
	 */
	synchronized void delivered(StreamId id) {
		advance(id);
	}

	/** Holds live envelopes from now on; returns the position to read from, null when there is none yet. */
	synchronized StreamId interrupted() {
		if (held == null) {
			held = new ArrayList<>();
		}
		return last;
	}

	/** Delivers what was missed, in order, then what was held and is not among it; then goes live again. */
	synchronized void recovered(List<Missed> missed, Consumer<Missed> deliverMissed, Consumer<Envelope> deliver) {
		Set<String> replayed = new HashSet<>();
		for (Missed message : missed) {
			deliverMissed.accept(message);
			replayed.add(identity(message.json()));
			advance(storedId(message.json()));
		}
		List<Envelope> live = held == null ? List.of() : held;
		held = null;
		replayedLately = replayed;
		replayedAt = System.currentTimeMillis();
		for (Envelope envelope : live) {
			if (!replayed.contains(identity(envelope.body()))) {
				advance(storedId(envelope.body()));
				deliver.accept(envelope);
			}
		}
	}

	private boolean replayedLate(String json) {
		if (replayedLately.isEmpty()) {
			return false;
		}
		if (System.currentTimeMillis() - replayedAt > LATE_MILLIS) {
			replayedLately = Set.of();
			return false;
		}
		return replayedLately.remove(identity(json));
	}

	/**
	 * What makes two frames the same delivery: a stored message's id (the replay shows it as it is
	 * now, edited perhaps, and the live frame as it was sent), any other frame's whole JSON.
	 */
	private static String identity(String json) {
		StreamId id = storedId(json);
		return id == null ? json : id.toString();
	}

	private void advance(StreamId id) {
		if (id != null && (last == null || id.isAfter(last))) {
			last = id;
		}
	}

	/** The id of a room or private message frame; null for any other frame (presence, typing, push...). */
	static StreamId storedId(String json) {
		int start;
		if (json.startsWith(ROOM_MESSAGE)) {
			int field = json.indexOf(ID_FIELD, ROOM_MESSAGE.length());
			start = field < 0 ? -1 : field + ID_FIELD.length();
		}
		else {
			start = json.startsWith(PRIVATE_HEAD) ? PRIVATE_HEAD.length() : -1;
		}
		if (start < 0) {
			return null;
		}
		int end = json.indexOf('"', start);
		return end < 0 ? null : StreamId.parse(json.substring(start, end));
	}

}
