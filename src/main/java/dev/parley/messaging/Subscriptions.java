package dev.parley.messaging;

import java.util.concurrent.CompletableFuture;

/**
 * This instance's pub/sub subscriptions: the channels its connections need, on classic pub/sub
 * (one connection to one Redis) or sharded pub/sub (a connection per Cluster master, each channel
 * on the master of its slot). Either tells its {@link Listener} what arrives, and which channels
 * were subscribed again after their connection had been lost, so that the hub can replay what they
 * missed.
 */
public interface Subscriptions extends AutoCloseable {

	/** Completes when Redis has confirmed the subscription, so nothing published after it is missed. */
	CompletableFuture<Void> subscribe(String channel);

	void unsubscribe(String channel);

	/** Sends without waiting for the reply; a failure is logged. */
	void publish(String channel, String payload);

	@Override
	void close();

	/** Called on a Redis I/O thread, which must not block. */
	interface Listener {

		void message(String channel, String payload);

		/** The subscription was restored after its connection had been lost: the channel may have missed messages. */
		void resubscribed(String channel);

	}

}
