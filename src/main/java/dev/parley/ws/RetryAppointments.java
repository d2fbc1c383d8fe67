package dev.parley.ws;

import java.util.concurrent.atomic.AtomicLong;

/**
 * When a shed handshake's client should come back ({@code Retry-After}): an appointment, the first
 * second, after those in flight are through, that fewer shed clients were told to come back in than
 * the instance let in over the last second (at least {@link #RATE_FLOOR}), with {@link #HEADROOM};
 * at most {@link #MAX_AHEAD_SECONDS} ahead. So the shed come back about as fast as they can be let
 * in, instead of all at once and shed again.
 */
final class RetryAppointments {

	static final double RATE_FLOOR = 200;

	static final int MAX_AHEAD_SECONDS = 30;

	/**
	 * Appointments a second past the rate measured: an instance that let in fewer than it could
	 * (still compiling, or offered too few) would otherwise be held at that rate.
	 */
	static final double HEADROOM = 1.5;

	private static final long SECOND = 1_000_000_000L;

	private final AtomicLong admitted = new AtomicLong();

	private long windowStart;

	private long admittedAtWindowStart;

	private double admittedPerSecond = RATE_FLOOR;

	/** Per second ahead (a ring, by second of the clock), how many shed clients were told to come back then. */
	private final int[] booked = new int[MAX_AHEAD_SECONDS + 1];

	private long bookedUpTo;

	RetryAppointments(long nowNanos) {
		this.windowStart = nowNanos;
		this.bookedUpTo = Math.floorDiv(nowNanos, SECOND);
	}

	/** A handshake was let through. */
	void admitted() {
		admitted.incrementAndGet();
	}

	/** Seconds from {@code nowNanos} until a shed client should try again, {@code waiting} being in flight before it. */
	synchronized int next(long nowNanos, int waiting) {
		double rate = admittedPerSecond(nowNanos);
		long second = Math.floorDiv(nowNanos, SECOND);
		for (bookedUpTo = Math.max(bookedUpTo, second - booked.length); bookedUpTo < second; bookedUpTo++) {
			booked[Math.floorMod(bookedUpTo, booked.length)] = 0;
		}
		int first = (int) Math.min(MAX_AHEAD_SECONDS, Math.max(1, Math.ceil(waiting / rate)));
		for (int ahead = first; ahead <= MAX_AHEAD_SECONDS; ahead++) {
			int slot = Math.floorMod(second + ahead, booked.length);
			if (booked[slot] < rate * HEADROOM) {
				booked[slot]++;
				return ahead;
			}
		}
		return MAX_AHEAD_SECONDS;
	}

	/** Handshakes let through over the last whole second, measured when asked. */
	private double admittedPerSecond(long nowNanos) {
		if (nowNanos - windowStart >= SECOND) {
			long count = admitted.get();
			admittedPerSecond = Math.max(RATE_FLOOR,
					(count - admittedAtWindowStart) * (double) SECOND / (nowNanos - windowStart));
			admittedAtWindowStart = count;
			windowStart = nowNanos;
		}
		return admittedPerSecond;
	}

}
