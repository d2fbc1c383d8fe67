package dev.parley.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import dev.parley.support.Chatter;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyInstance;
import dev.parley.support.RawWebSocket;
import dev.parley.support.TwoInstances;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances on one real Redis, which is stopped mid-traffic and started again: the connections
 * that stayed open end with every message acknowledged meanwhile, once each and in order, in rooms
 * and in private conversations across both instances.
 */
class RedisRestartIT {

	@RegisterExtension
	static final TwoInstances instances = TwoInstances.onDurableRedis();

	/** Below the rate limit (20 frames a second), so that every refusal comes from Redis being away. */
	private static final long SEND_INTERVAL_MS = 60;

	private static final Duration DOWN = Duration.ofSeconds(2);

	@Test
	void roomMembersOnBothInstancesMissNothingAckedAcrossASigtermRestart() {
		roomTrafficSurvives("SIGTERM, 2 s down", instances.redis()::stop, DOWN, instances.redis()::start);
	}

	@Test
	void roomMembersOnBothInstancesMissNothingAckedAcrossASigkillRestart() {
		roomTrafficSurvives("SIGKILL, 2 s down", instances.redis()::kill, DOWN, instances.redis()::start);
	}

	/** Longer than the command timeout (5 s): commands time out, but no connection to Redis drops. */
	@Test
	void roomMembersMissNothingAckedWhileRedisIsPausedLongerThanTheCommandTimeout() {
		roomTrafficSurvives("SIGSTOP for 6 s", () -> instances.redis().signal("STOP"), Duration.ofSeconds(6),
				() -> instances.redis().signal("CONT"));
	}

	@Test
	void privateMessagesReachEveryDeviceOfBothUsersAcrossARestart() {
		Guest ann = instances.a().http().guest("Ann");
		Guest pat = instances.a().http().guest("Pat");
		try (Chatter annOnA = chatter(instances.a(), ann); Chatter annOnB = chatter(instances.b(), ann);
				Chatter patOnA = chatter(instances.a(), pat); Chatter patOnB = chatter(instances.b(), pat)) {
			annOnA.startSending(Map.of("type", "private", "to", pat.id()));
			restartMidTraffic("private, SIGTERM, 2 s down", instances.redis()::stop, DOWN, instances.redis()::start,
					List.of(annOnA));

			List<String> acked = annOnA.acked();
			awaitEvery("private", acked, List.of(annOnA, annOnB, patOnA, patOnB));
			assertThat(annOnA.refused()).as("refused while Redis was away").isPositive();
		}
	}

	/**
	 * While Redis is away a handshake is answered {@code 503} with a {@code Retry-After}, not left
	 * hanging and not a server error: a token's (admitted in front of the servlet container, with no
	 * thread waiting) and one with an Origin, as a browser's (behind it). Once Redis is back the same
	 * token gets in.
	 */
	@Test
	void aHandshakeWhileRedisIsAwayIsRefused503AndGetsInOnceItIsBack() throws Exception {
		Guest guest = instances.a().http().guest("Reva");
		int port = instances.a().port();
		instances.redis().stop();
		try {
			assertThat(RawWebSocket.handshakeAnswer(port, guest.token())).startsWith("HTTP/1.1 503")
				.containsPattern("(?i)retry-after: [1-9]");
			assertThat(RawWebSocket.handshakeAnswer(port, guest.token(), "Origin: http://localhost:" + port + "\r\n"))
				.startsWith("HTTP/1.1 503").containsPattern("(?i)retry-after: [1-9]");
		}
		finally {
			instances.redis().start();
		}
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			try (RawWebSocket ws = RawWebSocket.connect(port, guest.token())) {
				assertThat(ws.read().text()).startsWith("{\"type\":\"welcome\"");
			}
		});
	}

	private void roomTrafficSurvives(String scenario, Runnable stop, Duration down, Runnable start) {
		String room = instances.a().newRoom("restart");
		List<Chatter> members = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				members.add(member(instances.a(), room, "OnA" + i));
				members.add(member(instances.b(), room, "OnB" + i));
			}
			List<Chatter> senders = List.of(members.get(0), members.get(1));
			senders.forEach(sender -> sender.startSending(Map.of("type", "message", "room", room)));
			restartMidTraffic(scenario, stop, down, start, senders);

			List<String> acked = new ArrayList<>();
			senders.forEach(sender -> acked.addAll(sender.acked()));
			awaitEvery(scenario, acked, members);
			assertThat(senders)
				.allSatisfy(sender -> assertThat(sender.refused()).as("refused while Redis was away").isPositive());
		}
		finally {
			members.forEach(Chatter::close);
		}
	}

	/**
	 * Sends for a while, stops Redis, starts it again, and sends until every sender was acked again;
	 * prints how long after Redis was back the first message was acked again.
	 */
	private static void restartMidTraffic(String scenario, Runnable stop, Duration down, Runnable start,
			List<Chatter> senders) {
		await().atMost(Duration.ofSeconds(10)).until(() -> senders.stream().allMatch(s -> s.acked().size() >= 10));
		List<Integer> before;
		long started;
		stop.run();
		try {
			if (down == DOWN) {
				// a paused Redis is noticed only after the command timeout: the restarts show health at once
				await().atMost(down).untilAsserted(() -> assertThat(instances.both())
					.allSatisfy(instance -> assertThat(instance.http().get("/readyz").statusCode())
						.as("health while Redis is away").isEqualTo(503)));
			}
			await().pollDelay(down).atMost(down.plusSeconds(1)).until(() -> true);
		}
		finally {
			before = senders.stream().map(s -> s.acked().size()).toList();
			started = System.nanoTime();
			start.run();
		}
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
			.until(() -> senders.stream().anyMatch(s -> s.acked().size() > before.get(senders.indexOf(s))));
		long recoveredMillis = (System.nanoTime() - started) / 1_000_000;
		await().atMost(Duration.ofSeconds(40))
			.until(() -> senders.stream().allMatch(s -> s.acked().size() >= before.get(senders.indexOf(s)) + 20));
		senders.forEach(Chatter::stopSending);
		System.out.printf("redis-restart: %s: acked again %d ms after Redis was back; refused meanwhile: %d%n",
				scenario, recoveredMillis, senders.stream().mapToInt(Chatter::refused).sum());
	}

	/** Every acknowledged message reaches each of them, once, in the order of the ids. */
	private static void awaitEvery(String scenario, List<String> acked, List<Chatter> receivers) {
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(receivers)
				.allSatisfy(receiver -> assertThat(receiver.received()).containsAll(acked)));
		System.out.printf("redis-restart: %s: %d acked, %d receivers, none missing%n", scenario, acked.size(),
				receivers.size());
		for (Chatter receiver : receivers) {
			List<String> received = receiver.received();
			assertThat(new HashSet<>(received)).as("no duplicates").hasSameSizeAs(received);
			assertThat(received).as("in order").isSortedAccordingTo(RedisRestartIT::compareIds);
			assertThat(receiver.isClosed()).as("stayed connected").isFalse();
		}
	}

	private static Chatter member(ParleyInstance instance, String room, String name) {
		WsClient client = instance.http().connectWelcomed(instance.http().guest(name));
		client.request(Map.of("type", "join", "room", room));
		return new Chatter(client, SEND_INTERVAL_MS);
	}

	private static Chatter chatter(ParleyInstance instance, Guest guest) {
		return new Chatter(instance.http().connectWelcomed(guest), SEND_INTERVAL_MS);
	}

	private static int compareIds(String x, String y) {
		String[] a = x.split("-");
		String[] b = y.split("-");
		int ms = Long.compare(Long.parseLong(a[0]), Long.parseLong(b[0]));
		return ms != 0 ? ms : Long.compare(Long.parseLong(a[1]), Long.parseLong(b[1]));
	}

}
