package dev.parley.chat;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

import dev.parley.delivery.RateLimiter;

/**
 * Reports a failure that can repeat for every message, thousands a second while Redis is out of
 * reach, at most once a second with a count of those not reported, so that logging never adds to
 * an overload.
 */
public final class FailureLog {

	private final Logger log;

	private final String what;

	private final RateLimiter reports = new RateLimiter(1, 1);

	private final AtomicLong unreported = new AtomicLong();

	public FailureLog(Logger log, String what) {
		this.log = log;
		this.what = what;
	}

	public void report(Throwable cause) {
		if (reports.tryAcquire()) {
			log.warn("{} ({} more since the last report)", what, unreported.getAndSet(0), cause);
		}
		else {
			unreported.incrementAndGet();
		}
	}

}
