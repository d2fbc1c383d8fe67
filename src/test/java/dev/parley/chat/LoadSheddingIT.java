package dev.parley.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.parley.delivery.FanOut;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Past {@code parley.limits.pending-stores} messages, or while broadcasts wait longer than
 * {@code parley.limits.send-lag} for a send thread, messages are refused at once instead of queueing:
 * each refused one gets {@code unavailable}, is neither stored nor delivered, and every acknowledged one is.
 */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.limits.pending-stores=1", "parley.limits.send-lag=200ms", "parley.rooms.initial=shed" })
class LoadSheddingIT {

	private static final int SENDERS = 5;

	private static final int EACH = 20;

	@Autowired
	ParleyHttp http;

	@Autowired
	ThreadPoolTaskExecutor sendExecutor;

	@Autowired
	FanOut fanOut;

	@Autowired
	InstanceStats stats;

	@Test
	void whileBroadcastsWaitPastTheSendLagNewMessagesAreRefused() throws Exception {
		try (WsClient ann = http.connectWelcomed(http.guest("Ann")); WsClient bob = http.connectWelcomed(http.guest("Bob"))) {
			ann.request(Map.of("type", "join", "room", "shed"));
			bob.request(Map.of("type", "join", "room", "shed"));
			CountDownLatch release = new CountDownLatch(1);
			try {
				occupyEverySendThread(release);
				ann.send(Map.of("type", "message", "room", "shed", "text", "before the backlog", "ref", "first"));
				Thread.sleep(400);
				assertThat(fanOut.lagNanos()).as("the broadcast of the first waits for a send thread")
					.isGreaterThan(TimeUnit.MILLISECONDS.toNanos(200));
				ann.send(Map.of("type", "message", "room", "shed", "text", "into the backlog", "ref", "second"));
				// its reply waits for a send thread too: give the server time to read it before the backlog clears
				Thread.sleep(300);
			}
			finally {
				release.countDown();
			}
			Map<String, JsonNode> replies = new HashMap<>();
			while (replies.size() < 2) {
				JsonNode reply = ann.next(frame -> frame.has("ref"), "reply");
				replies.put(reply.path("ref").asString(), reply);
			}
			assertThat(replies.get("first").path("type").asString()).isEqualTo("ack");
			assertThat(replies.get("second").path("code").asString()).isEqualTo("unavailable");
			assertThat(bob.next("message").path("text").asString()).isEqualTo("before the backlog");
			JsonNode history = bob.request(Map.of("type", "history", "room", "shed", "limit", 100));
			assertThat(history.path("messages").findValuesAsString("text")).contains("before the backlog")
				.doesNotContain("into the backlog");
		}
	}

	/** Blocks every send thread until {@code release}: broadcasts then wait, as on a saturated core. */
	private void occupyEverySendThread(CountDownLatch release) throws InterruptedException {
		int threads = sendExecutor.getMaxPoolSize();
		CountDownLatch busy = new CountDownLatch(threads);
		for (int i = 0; i < threads; i++) {
			sendExecutor.execute(() -> {
				busy.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}
		assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void messagesPastThePendingLimitAreRefusedAndEveryAcknowledgedOneIsStored() {
		List<WsClient> clients = new ArrayList<>();
		try {
			for (int i = 0; i < SENDERS; i++) {
				WsClient client = http.connectWelcomed(http.guest("shed" + i));
				client.request(Map.of("type", "join", "room", "shed"));
				clients.add(client);
			}
			long refusedBefore = stats.local().refused();
			for (int n = 0; n < EACH; n++) {
				for (int i = 0; i < SENDERS; i++) {
					clients.get(i).send(Map.of("type", "message", "room", "shed", "text", i + "-" + n, "ref", i + "-" + n));
				}
			}
			Set<String> acked = new HashSet<>();
			int refused = 0;
			for (int i = 0; i < SENDERS; i++) {
				for (JsonNode reply : replies(clients.get(i))) {
					if ("ack".equals(reply.path("type").asString())) {
						acked.add(reply.path("id").asString());
					}
					else {
						assertThat(reply.path("code").asString()).isEqualTo("unavailable");
						assertThat(reply.path("message").asString()).contains("busy");
						refused++;
					}
				}
			}
			assertThat(refused).as("some messages found the one pending store taken").isPositive();
			assertThat(acked).as("and others were stored").isNotEmpty().hasSize(SENDERS * EACH - refused);
			assertThat(stats.local().refused() - refusedBefore).as("the live numbers count each refusal")
				.isEqualTo(refused);

			JsonNode history = clients.get(0).request(Map.of("type", "history", "room", "shed", "limit", 100));
			Set<String> stored = new HashSet<>();
			history.path("messages").forEach(message -> stored.add(message.path("id").asString()));
			assertThat(stored).isEqualTo(acked);
		}
		finally {
			clients.forEach(WsClient::close);
		}
	}

	/** The replies to the client's {@value #EACH} messages, in whatever order they came: a refusal overtakes earlier acks. */
	private static List<JsonNode> replies(WsClient client) {
		Map<String, JsonNode> byRef = new HashMap<>();
		while (byRef.size() < EACH) {
			JsonNode reply = client.next(frame -> frame.has("ref"), "reply");
			byRef.put(reply.path("ref").asString(), reply);
		}
		return new ArrayList<>(byRef.values());
	}

}
