package dev.parley.delivery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import dev.parley.chat.MessageCounters;

/**
 * Delivers broadcasts and replies to this instance's connections off the Redis I/O thread. One task
 * at a time takes every reply and broadcast pending, queues each to its recipients, then flushes each
 * recipient once: under load, many messages leave a connection in one write instead of one write
 * each, and a batch of stores answers its senders from one task instead of waking a send thread per
 * sender.
 */
@Component
public class FanOut {

	private static final Logger log = LoggerFactory.getLogger(FanOut.class);

	/** Broadcasts taken per pass before flushing, so that a flood still flushes regularly. */
	private static final int MAX_PER_PASS = 256;

	private record Delivery(Collection<Client> clients, OutboundFrame frame, Predicate<Client> excluded,
			long submitted) {
	}

	private record Reply(Client client, OutboundFrame[] frames) {
	}

	private static final Predicate<Client> NOBODY = client -> false;

	/** How soon a pass the send executor refused is offered again. */
	private static final Executor RETRY = CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS);

	private final ConcurrentLinkedQueue<Delivery> pending = new ConcurrentLinkedQueue<>();

	private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	/** Set from a refused pass until one is accepted, so that a saturation is logged once. */
	private volatile boolean saturated;

	private final Executor executor;

	private final MessageCounters counters;

	FanOut(@Qualifier("sendExecutor") Executor executor, MessageCounters counters) {
		this.executor = executor;
		this.counters = counters;
	}

	/** Delivers {@code frame} to those of {@code clients} that are not {@code excluded}. */
	void submit(Collection<Client> clients, OutboundFrame frame, Predicate<Client> excluded) {
		pending.add(new Delivery(clients, frame, excluded, System.nanoTime()));
		schedule();
	}

	/**
	 * Answers a client that {@link Client#hold() holds} its writes for this answer: the frames go
	 * ahead of every broadcast queued to it, then the hold is lifted, in the next pass.
	 */
	public void reply(Client client, OutboundFrame... frames) {
		replies.add(new Reply(client, frames));
		schedule();
	}

	/** Everyone but the connections of {@code userId}; everyone when it is empty. */
	static Predicate<Client> exceptUser(String userId) {
		return userId.isEmpty() ? NOBODY : client -> userId.equals(client.user().id());
	}

	static Predicate<Client> exceptConnection(String connectionId) {
		return client -> connectionId.equals(client.id());
	}

	/** How long the oldest broadcast not yet queued to its recipients has waited: the send side's backlog. */
	public long lagNanos() {
		Delivery oldest = pending.peek();
		return oldest == null ? 0 : System.nanoTime() - oldest.submitted();
	}

	private void schedule() {
		if ((pending.isEmpty() && replies.isEmpty()) || !scheduled.compareAndSet(false, true)) {
			return;
		}
		try {
			executor.execute(this::pass);
		}
		catch (RejectedExecutionException ex) {
			scheduled.set(false);
			if (!saturated) {
				saturated = true;
				log.warn("Send executor saturated: {} broadcasts wait", pending.size());
			}
			// nothing else may come to schedule them: without a retry they would wait for the next broadcast
			RETRY.execute(this::schedule);
			return;
		}
		// read first: every pass would otherwise pay a volatile write
		if (saturated) {
			saturated = false;
		}
	}

	private void pass() {
		try {
			List<Client> dirty = new ArrayList<>();
			Reply reply;
			for (int taken = 0; taken < MAX_PER_PASS && (reply = replies.poll()) != null; taken++) {
				if (reply.client().answer(reply.frames())) {
					dirty.add(reply.client());
				}
			}
			Delivery delivery;
			for (int taken = 0; taken < MAX_PER_PASS && (delivery = pending.poll()) != null; taken++) {
				queue(delivery, dirty);
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

	private void queue(Delivery delivery, List<Client> dirty) {
		Predicate<Client> excluded = delivery.excluded();
		int queued = 0;
		for (Client client : delivery.clients()) {
			if (!excluded.test(client)) {
				queued++;
				if (client.enqueue(delivery.frame())) {
					dirty.add(client);
				}
			}
		}
		counters.delivered(queued);
	}

}
