package dev.parley.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.parley.chat.ChatException;
import dev.parley.chat.ErrorCode;
import dev.parley.chat.MessageCounters;
import dev.parley.config.ParleyProperties;
import dev.parley.delivery.FanOut;

import org.springframework.stereotype.Component;

/**
 * Refuses messages at once, unstored, while this instance is past capacity, and the sender may send
 * again: beyond {@code parley.limits.pending-stores} messages sent to Redis and not answered the
 * queue of stores would only grow, and every message in it wait longer; and while broadcasts wait
 * longer than {@code parley.limits.send-lag} for a send thread, this instance's own CPU is the
 * queue, and every message accepted would only add to it. The chat service asks before storing.
 */
@Component
public class LoadShedder {

	private final AtomicInteger pendingStores = new AtomicInteger();

	private final FanOut fanOut;

	private final MessageCounters counters;

	private final long sendLagNanos;

	private final int maxPendingStores;

	LoadShedder(FanOut fanOut, MessageCounters counters, ParleyProperties properties) {
		this.fanOut = fanOut;
		this.counters = counters;
		this.sendLagNanos = properties.limits().sendLag().toNanos();
		this.maxPendingStores = properties.limits().pendingStores();
	}

	/** Runs the store when there is room for it, counting it as pending until its future completes. */
	public <T> CompletableFuture<T> whenAdmitted(Supplier<CompletableFuture<T>> store) {
		if (!admitted()) {
			counters.refused();
			return CompletableFuture
				.failedFuture(new ChatException(ErrorCode.UNAVAILABLE, "the server is busy, try again").asFailure());
		}
		CompletableFuture<T> stored;
		try {
			stored = store.get();
		}
		catch (RuntimeException ex) {
			pendingStores.decrementAndGet();
			throw ex;
		}
		return stored.whenComplete((result, error) -> pendingStores.decrementAndGet());
	}

	int pendingStores() {
		return pendingStores.get();
	}

	private boolean admitted() {
		if (fanOut.lagNanos() > sendLagNanos) {
			return false;
		}
		if (pendingStores.incrementAndGet() > maxPendingStores) {
			pendingStores.decrementAndGet();
			return false;
		}
		return true;
	}

}
