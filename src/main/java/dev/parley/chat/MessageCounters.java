package dev.parley.chat;

import java.util.concurrent.atomic.LongAdder;

import org.springframework.stereotype.Component;

/** Counts, from this instance's start, messages stored and broadcast frames queued to connections: lock-free adders. */
@Component
class MessageCounters {

	private final LongAdder messages = new LongAdder();

	private final LongAdder deliveries = new LongAdder();

	void messageStored() {
		messages.increment();
	}

	void delivered(int frames) {
		deliveries.add(frames);
	}

	long messages() {
		return messages.sum();
	}

	long deliveries() {
		return deliveries.sum();
	}

}
