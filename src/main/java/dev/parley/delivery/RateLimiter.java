package dev.parley.delivery;

/** A token bucket: {@code ratePerSecond} tokens a second, holding at most {@code burst}. */
public final class RateLimiter {

	private final double ratePerNano;

	private final double burst;

	private double tokens;

	private long last;

	public RateLimiter(int ratePerSecond, int burst) {
		this.ratePerNano = ratePerSecond / 1e9;
		this.burst = burst;
		this.tokens = burst;
		this.last = System.nanoTime();
	}

	public synchronized boolean tryAcquire() {
		long now = System.nanoTime();
		tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
		last = now;
		if (tokens < 1) {
			return false;
		}
		tokens -= 1;
		return true;
	}

}
