package dev.parley.bench;

import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What one measured window saw. Only frames whose send time falls inside the window count, so
 * warm-up traffic and stragglers of earlier steps never mix in.
 */
final class Stats {

	volatile long windowStart = Long.MAX_VALUE;

	volatile long windowEnd = Long.MAX_VALUE;

	final LongAdder sent = new LongAdder();

	final LongAdder acked = new LongAdder();

	final LongAdder delivered = new LongAdder();

	final LongAdder errors = new LongAdder();

	final LongAdder rateLimited = new LongAdder();

	/** Connections the server closed (a slow consumer's 4002, for one). */
	final LongAdder dropped = new LongAdder();

	private final Recorder latency = new Recorder(3_600_000_000_000L, 3);

	boolean inWindow(long sendNanos) {
		return sendNanos >= windowStart && sendNanos < windowEnd;
	}

	void open(long start, long end) {
		sent.reset();
		acked.reset();
		delivered.reset();
		errors.reset();
		rateLimited.reset();
		dropped.reset();
		latency.reset();
		windowStart = start;
		windowEnd = end;
	}

	void recordDelivery(long sendNanos, long now) {
		if (inWindow(sendNanos)) {
			delivered.increment();
			latency.recordValue(Math.max(0, now - sendNanos));
		}
	}

	Histogram latencies() {
		return latency.getIntervalHistogram();
	}

}
