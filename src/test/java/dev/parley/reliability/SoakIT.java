package dev.parley.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import dev.parley.support.Chatter;
import dev.parley.support.JarProcess;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.TestRedis;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Steady chat with connections coming and going, against the built jar as its own process:
 * heap after a full GC, resident memory and Redis's keys and memory stay flat once warm, and the
 * members who stay connected receive every message acked (a failure names the first ids missing
 * and each member's state). Two minutes in {@code ./mvnw verify}, or {@code -Dparley.soak.duration}
 * (bench/reliability.sh: 30 minutes). It prints a line per sample and the figures it judged.
 */
@Execution(ExecutionMode.CONCURRENT)
class SoakIT {

	private static final Duration DURATION = Duration.parse("PT" + System.getProperty("parley.soak.duration", "2m")
		.toUpperCase());

	private static final int SAMPLES = 12;

	/** Users who come and go, each a few seconds at a time, sending a private message each visit. */
	private static final int CHURNERS = 20;

	@Test
	void memoryAndRedisStayFlatUnderSteadyChatWithConnectionChurn() throws Exception {
		try (TestRedis redis = new TestRedis();
				JarProcess app = JarProcess.start(redis.port(), "parley.history.max-per-room=500",
						"parley.history.max-per-conversation=20", "parley.offline.max-per-user=50", "parley.throttle.guests=100000",
						"parley.throttle.handshakes=100000");
				RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", redis.port()));
				StatefulRedisConnection<String, String> stats = client.connect()) {
			ParleyHttp http = app.http();
			List<Guest> regulars = new ArrayList<>();
			List<Chatter> steady = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				Guest guest = http.guest("Steady" + i);
				regulars.add(guest);
				WsClient ws = http.connectWelcomed(guest);
				ws.request(Map.of("type", "join", "room", "lobby"));
				steady.add(new Chatter(ws, 100));
			}
			// every steady member is in before anyone sends: each must receive every message acked
			steady.forEach(chatter -> chatter.startSending(Map.of("type", "message", "room", "lobby")));
			List<Guest> churners = new ArrayList<>();
			for (int i = 0; i < CHURNERS; i++) {
				churners.add(http.guest("Churn" + i));
			}
			AtomicInteger visits = new AtomicInteger();
			Thread churn = churn(http, churners, regulars, visits);
			List<long[]> samples = new ArrayList<>();
			long interval = DURATION.toMillis() / SAMPLES;
			try {
				for (int i = 0; i < SAMPLES; i++) {
					await().pollDelay(Duration.ofMillis(interval)).atMost(Duration.ofMillis(interval + 1000)).until(() -> true);
					long[] sample = { app.heapAfterGcKib(), app.rssKib(), stats.sync().dbsize(),
							usedMemory(stats.sync().info("memory")) / 1024 };
					samples.add(sample);
					System.out.printf("soak: t=%ds heap-after-gc %d KiB, rss %d KiB, redis keys %d, redis memory %d KiB,"
							+ " visits %d%n", (i + 1) * interval / 1000, sample[0], sample[1], sample[2], sample[3],
							visits.get());
				}
			}
			finally {
				churn.interrupt();
				churn.join();
				steady.forEach(Chatter::stopSending);
			}
			List<String> acked = new ArrayList<>();
			steady.forEach(chatter -> acked.addAll(chatter.acked()));
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(steady)
				.allSatisfy(chatter -> {
					List<String> missing = chatter.missing(acked);
					assertThat(missing.size()).as("%s misses acked ids, first %s", chatter,
							missing.subList(0, Math.min(10, missing.size()))).isZero();
				}));
			steady.forEach(Chatter::close);

			// warm from the first third on: the last third may grow by little more than noise
			long[] warm = samples.get(SAMPLES / 3);
			long[] last = maxOf(samples.subList(SAMPLES * 2 / 3, SAMPLES));
			System.out.printf("soak: %d messages acked, %d visits; warm vs last third: heap %d -> %d KiB, rss %d -> %d KiB,"
					+ " keys %d -> %d, redis %d -> %d KiB%n", acked.size(), visits.get(), warm[0], last[0], warm[1],
					last[1], warm[2], last[2], warm[3], last[3]);
			assertThat(last[0]).as("heap after GC").isLessThan(warm[0] * 3 / 2 + 8 * 1024);
			assertThat(last[1]).as("resident memory").isLessThan(warm[1] * 5 / 4 + 32 * 1024);
			// users are a fixed set: keys vary only with who is connected and the throttle's windows
			assertThat(last[2]).as("Redis keys").isLessThanOrEqualTo(warm[2] + 30);
			assertThat(last[3]).as("Redis memory").isLessThan(warm[3] * 3 / 2 + 1024);
			assertThat(visits.get()).isGreaterThan(CHURNERS);
		}
	}

	/** Connects a churner at random, joins, sends a private message to a regular, leaves after a moment. */
	private static Thread churn(ParleyHttp http, List<Guest> churners, List<Guest> regulars, AtomicInteger visits) {
		Thread thread = new Thread(() -> {
			Random random = new Random(42);
			while (!Thread.currentThread().isInterrupted()) {
				Guest guest = churners.get(random.nextInt(churners.size()));
				try (WsClient ws = http.connectWelcomed(guest)) {
					ws.request(Map.of("type", "join", "room", "lobby"));
					// each churner writes to one regular: a fixed set of conversations, each trimmed to its bound
					ws.request(Map.of("type", "private", "to", regulars.get(churners.indexOf(guest) % regulars.size()).id(),
							"text", "visit " + visits.get()));
					ws.request(Map.of("type", "history", "room", "lobby", "limit", 20));
					visits.incrementAndGet();
				}
				catch (RuntimeException | AssertionError ex) {
					if (Thread.currentThread().isInterrupted()) {
						return;
					}
					throw ex;
				}
			}
		}, "churn");
		thread.start();
		return thread;
	}

	private static long[] maxOf(List<long[]> samples) {
		long[] max = new long[samples.get(0).length];
		samples.forEach(sample -> {
			for (int i = 0; i < max.length; i++) {
				max[i] = Math.max(max[i], sample[i]);
			}
		});
		return max;
	}

	private static long usedMemory(String info) {
		return info.lines()
			.filter(line -> line.startsWith("used_memory:"))
			.mapToLong(line -> Long.parseLong(line.substring("used_memory:".length()).trim()))
			.findFirst()
			.orElseThrow();
	}

}
