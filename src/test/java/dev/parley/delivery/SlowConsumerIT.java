package dev.parley.delivery;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.parley.room.RoomService;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that stops reading is closed when its send buffer fills, and nobody else waits for it. */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.limits.rate-per-second=100000", "parley.limits.rate-burst=100000", "parley.send.buffer-messages=200" })
class SlowConsumerIT {

	@Autowired
	ParleyHttp http;

	@Autowired
	RoomService rooms;

	@Autowired
	Hub hub;

	@Test
	void aClientThatStopsReadingIsClosedWhileOthersKeepReceiving() {
		String room = "slow-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
		rooms.createIfAbsent(room, "Slow", "");
		Guest stuck = http.guest("Stuck");
		Guest reader = http.guest("Reader");
		Guest sender = http.guest("Sender");
		String text = "y".repeat(3900);
		try (WsClient s = http.connectWelcomed(stuck); WsClient r = http.connectWelcomed(reader);
				WsClient w = http.connectWelcomed(sender)) {
			s.request(Map.of("type", "join", "room", room));
			r.request(Map.of("type", "join", "room", room));
			w.request(Map.of("type", "join", "room", room));
			WsClient stalled = WsClient.connectWithoutReading(http.wsUrl(),
					Map.of("Authorization", "Bearer " + stuck.token()));

			r.request(Map.of("type", "ping"));
			long deadline = System.currentTimeMillis() + 10_000;
			while (hub.clientsOf(stuck.id()).size() < 2 && System.currentTimeMillis() < deadline) {
				Thread.onSpinWait();
			}
			assertThat(hub.clientsOf(stuck.id())).hasSize(2);
			int sent = 0;
			while (hub.clientsOf(stuck.id()).size() == 2 && sent < 20_000) {
				w.send(Map.of("type", "message", "room", room, "text", text + sent));
				assertThat(r.next("message").path("text").asString()).isEqualTo(text + sent);
				sent++;
			}

			assertThat(sent).as("the stalled connection was dropped").isLessThan(20_000);
			stalled.resumeReading();
			assertThat(stalled.awaitClose()).as("4002, or aborted when even the close frame could not be written")
				.isIn(Client.SLOW_CONSUMER.getCode(), -1, 1006);
			w.send(Map.of("type", "message", "room", room, "text", "after"));
			assertThat(r.next(f -> "after".equals(f.path("text").asString()), "after")).isNotNull();
			assertThat(s.next(f -> "after".equals(f.path("text").asString()), "after"))
				.as("the stuck user's other, reading connection is unaffected")
				.isNotNull();
		}
	}

}
