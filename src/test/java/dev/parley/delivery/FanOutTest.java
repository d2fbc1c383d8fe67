package dev.parley.delivery;

import java.nio.charset.StandardCharsets;
import java.util.AbstractCollection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.parley.chat.MessageCounters;
import dev.parley.config.ParleyProperties;
import dev.parley.user.User;
import dev.parley.ws.Handshake;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

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

	@Test
	void answersWaitingForAPassAllLeaveInThatOnePass() throws InterruptedException {
		CountDownLatch busy = new CountDownLatch(1);
		executor.execute(() -> awaitQuietly(busy));
		FanOut fanOut = new FanOut(executor, new MessageCounters());
		List<RecordingSession> sessions = List.of(new RecordingSession(), new RecordingSession(),
				new RecordingSession());

		sessions.forEach(session -> fanOut.reply(client(session), new OutboundFrame("{\"type\":\"ack\"}")));
		busy.countDown();

		for (RecordingSession session : sessions) {
			assertThat(session.written(1)).containsExactly("{\"type\":\"ack\"}");
		}
		executor.shutdown();
		assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		assertThat(executor.getCompletedTaskCount()).as("the blocking task, then one pass").isEqualTo(2);
	}

	@Test
	void anAnswerIsWrittenAheadOfTheBroadcastsItsHoldKeptBack() throws InterruptedException {
		FanOut fanOut = new FanOut(executor, new MessageCounters());
		RecordingSession session = new RecordingSession();
		Client client = client(session);

		fanOut.submit(List.of(client), new OutboundFrame("{\"type\":\"message\"}"), FanOut.exceptUser(""));
		fanOut.reply(client, new OutboundFrame("{\"type\":\"ack\"}"));

		assertThat(session.written(2)).containsExactly("{\"type\":\"ack\"}", "{\"type\":\"message\"}");
	}

	/** A new client holds its writes until its first answer, as a sender's connection does for its ack. */
	private Client client(RecordingSession session) {
		ParleyProperties properties = new Binder(new MapConfigurationPropertySource(Map.of()))
			.bindOrCreate("parley", ParleyProperties.class);
		return new Client("c-" + System.identityHashCode(session), User.member("ann", "Ann"), new Handshake(null, "127.0.0.1"), session, executor,
				properties, Closes.UNCOUNTED);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A connection that keeps the text of every frame written to it. */
	private static final class RecordingSession extends CoreSession.Empty {

		private final List<String> frames = new CopyOnWriteArrayList<>();

		@Override
		public void sendFrame(Frame frame, Callback callback, boolean batch) {
			frames.add(BufferUtil.toString(frame.getPayload(), StandardCharsets.UTF_8));
			callback.succeeded();
		}

		List<String> written(int expected) throws InterruptedException {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (frames.size() < expected && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			return frames;
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
