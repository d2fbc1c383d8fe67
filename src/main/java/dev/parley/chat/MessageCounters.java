package dev.parley.chat;

import java.util.concurrent.atomic.LongAdder;

import org.springframework.stereotype.Component;

/**
 * Counts, from this instance's start, messages stored, broadcast frames queued to connections and
 * messages refused as busy (load shedding): lock-free adders.
 */
@Component
public class MessageCounters {

	private final LongAdder messages = new LongAdder();

	private final LongAdder deliveries = new LongAdder();

	private final LongAdder refused = new LongAdder();

	public void messageStored() {
		messages.increment();
	}

	public void delivered(int frames) {
		deliveries.add(frames);
	}

	public void refused() {
		refused.increment();
	}

	long messages() {
		return messages.sum();
	}

	long deliveries() {
		return deliveries.sum();
	}

	long refusals() {
		return refused.sum();
	}

}
