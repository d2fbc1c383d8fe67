package dev.parley.reliability;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.parley.delivery.Hub;
import dev.parley.room.RoomService;
import dev.parley.support.Chatter;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.RawWebSocket;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 200 members of a busy room never read while the others chat: they are closed as their send
 * buffers overflow, and meanwhile a member's own message comes back to it about as fast as before
 * they came (p99 within twice the baseline's), and what they held is released once they are closed.
 * It prints both p99s and the heap before and after.
 */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.limits.rate-per-second=100000", "parley.limits.rate-burst=100000", "parley.send.buffer-messages=200" })
class SlowConsumersIT {

	private static final int SLOW = 200;

	/** Enough for a p99 that one pause alone does not move: the fourth slowest of 400. */
	private static final int PROBES = 400;

	@LocalServerPort
	int port;

	@Autowired
	ParleyHttp http;

	@Autowired
	RoomService rooms;

	@Autowired
	Hub hub;

	@Test
	void membersThatNeverReadAreClosedAndTheOthersStayFast() throws Exception {
		String room = "slow-many-" + System.nanoTime();
		rooms.createIfAbsent(room, room, "");
		List<Chatter> talkers = new ArrayList<>();
		List<RawWebSocket> stalled = new ArrayList<>();
		try (WsClient prober = member(room, "Prober")) {
			for (int i = 0; i < 3; i++) {
				talkers.add(new Chatter(member(room, "Talker" + i), 20));
			}
			talkers.forEach(talker -> talker.startSending(Map.of("type", "message", "room", room, "text",
					"t".repeat(3900))));
			long baseline = p99(probe(prober, room));
			long heapBefore = heapAfterGc();

			int before = hub.connectionCount();
			for (int i = 0; i < SLOW; i++) {
				ParleyHttp.Guest guest = http.guest("Stalled" + i);
				RawWebSocket ws = RawWebSocket.connect(port, guest.token(), "", 4096);
				ws.sendText("{\"type\":\"join\",\"room\":\"" + room + "\"}");
				stalled.add(ws);
			}
			long withStalled = p99(probe(prober, room));
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(hub.connectionCount()).isLessThanOrEqualTo(before));
			talkers.forEach(Chatter::stopSending);
			long heapAfter = heapAfterGc();

			System.out.printf("slow-consumers: %d stalled members closed; a member's own message back in p99 %d ms"
					+ " before them, %d ms while they filled up; heap after GC %d MiB before, %d MiB after%n", SLOW,
					baseline, withStalled, heapBefore >> 20, heapAfter >> 20);
			assertThat(heapAfter).as("what the closed connections held is released")
				.isLessThan(heapBefore + (32 << 20));
			// a stall behind the stalled members would be seconds: this bounds it, not this machine's noise
			assertThat(withStalled).isLessThanOrEqualTo(Math.max(3 * baseline, 50));
			assertThat(talkers).allSatisfy(talker -> assertThat(talker.isClosed()).isFalse());
		}
		finally {
			talkers.forEach(Chatter::close);
			for (RawWebSocket ws : stalled) {
				ws.close();
			}
		}
	}

	/** How long, in ms, each of the prober's messages took to come back to it. */
	private static List<Long> probe(WsClient prober, String room) {
		List<Long> millis = new ArrayList<>();
		for (int i = 0; i < PROBES; i++) {
			long started = System.nanoTime();
			String id = prober.request(Map.of("type", "message", "room", room, "text", "probe " + i)).path("id")
				.asString();
			JsonNode echo = prober.next(frame -> id.equals(frame.path("id").asString()), "echo of " + id);
			assertThat(echo).isNotNull();
			millis.add((System.nanoTime() - started) / 1_000_000);
		}
		return millis;
	}

	/** This JVM's heap in use after a full collection: the server's, and this test's few clients. */
	private static long heapAfterGc() {
		System.gc();
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private static long p99(List<Long> millis) {
		List<Long> sorted = new ArrayList<>(millis);
		sorted.sort(null);
		return sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1);
	}

	private WsClient member(String room, String name) {
		WsClient client = http.connectWelcomed(http.guest(name));
		client.request(Map.of("type", "join", "room", room));
		return client;
	}

}
