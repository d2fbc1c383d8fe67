package dev.parley.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Writes to this instance's connections, off the Redis I/O thread. One task at a time takes every
 * broadcast pending and queues each to its recipients, takes every connection with replies queued
 * (acks, errors), then flushes each of them once: under load, many frames leave a connection in
 * one write instead of one write each, and a reply needs no task of its own.
 */
@Component
class FanOut {

	private static final Logger log = LoggerFactory.getLogger(FanOut.class);

	/** Broadcasts taken per pass before flushing, so that a flood still flushes regularly. */
	private static final int MAX_PER_PASS = 256;

	private record Delivery(Collection<Client> clients, OutboundFrame frame, String excludedUserId) {
	}

	private final ConcurrentLinkedQueue<Delivery> pending = new ConcurrentLinkedQueue<>();

	private final ConcurrentLinkedQueue<Client> flushes = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private final Executor executor;

	FanOut(@Qualifier("sendExecutor") Executor executor) {
		this.executor = executor;
	}

	/** Delivers {@code frame} to {@code clients}, except those of {@code excludedUserId} (may be empty). */
	void submit(Collection<Client> clients, OutboundFrame frame, String excludedUserId) {
		pending.add(new Delivery(clients, frame, excludedUserId));
		schedule();
	}

	/** Flushes {@code client} in the next pass; it must have claimed its flush ({@link Client#enqueue}). */
	void flushLater(Client client) {
		flushes.add(client);
		schedule();
	}

	private void schedule() {
		if ((pending.isEmpty() && flushes.isEmpty()) || !scheduled.compareAndSet(false, true)) {
			return;
		}
		try {
			executor.execute(this::pass);
		}
		catch (RejectedExecutionException ex) {
			scheduled.set(false);
			log.warn("Send executor saturated: {} broadcasts and {} connections wait", pending.size(), flushes.size());
		}
	}

	private void pass() {
		try {
			List<Client> dirty = new ArrayList<>();
			Delivery delivery;
			for (int taken = 0; taken < MAX_PER_PASS && (delivery = pending.poll()) != null; taken++) {
				queue(delivery, dirty);
			}
			Client client;
			while ((client = flushes.poll()) != null) {
				dirty.add(client);
			}
			dirty.forEach(Client::flush);
		}
		catch (RuntimeException ex) {
			log.warn("Fan-out pass failed", ex);
		}
		finally {
			scheduled.set(false);
			schedule();
		}
	}

	private static void queue(Delivery delivery, List<Client> dirty) {
		String excluded = delivery.excludedUserId();
		for (Client client : delivery.clients()) {
			if ((excluded.isEmpty() || !excluded.equals(client.user().id())) && client.enqueue(delivery.frame())) {
				dirty.add(client);
			}
		}
	}

}
