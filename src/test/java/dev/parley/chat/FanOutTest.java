package dev.parley.chat;

import java.util.AbstractCollection;
import java.util.Collections;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FanOutTest {

	private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
			new ArrayBlockingQueue<>(1), new ThreadPoolExecutor.AbortPolicy());

	@AfterEach
	void stopExecutor() {
		executor.shutdownNow();
	}

	@Test
	void deliversABroadcastTheSaturatedExecutorRefusedOnceItHasRoomAgain() throws InterruptedException {
		CountDownLatch busy = new CountDownLatch(1);
		executor.execute(() -> awaitQuietly(busy));
		executor.execute(() -> {
		});
		FanOut fanOut = new FanOut(executor, new MessageCounters());
		Recipients recipients = new Recipients();

		fanOut.submit(recipients, new OutboundFrame("{}"), FanOut.exceptUser(""));
		busy.countDown();

		assertThat(recipients.visited.await(5, TimeUnit.SECONDS)).as("the broadcast was delivered").isTrue();
		assertThat(fanOut.lagNanos()).isZero();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** No connections: says when a fan-out pass walked them. */
	private static final class Recipients extends AbstractCollection<Client> {

		final CountDownLatch visited = new CountDownLatch(1);

		@Override
		public Iterator<Client> iterator() {
			visited.countDown();
			return Collections.emptyIterator();
		}

		@Override
		public int size() {
			return 0;
		}

	}

}
