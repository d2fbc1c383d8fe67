package dev.parley.config;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import dev.parley.support.JarProcess;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyInstance;
import dev.parley.support.TestRedis;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded Redis keeps data across restarts; health follows Redis; a Redis outage is an error,
 * not a crash, nor a flood of log.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisLifecycleIT {

	@Test
	void aRestartWithTheEmbeddedRedisKeepsUsersRoomsAndHistory() throws Exception {
		Path dir = Files.createTempDirectory("parley-data");
		Guest ann;
		String id;
		try (ParleyInstance first = ParleyInstance.startEmbedded(dir)) {
			ParleyHttp http = first.http();
			http.postJson("/api/users", Map.of("username", "keeper", "password", "keep-me-please"));
			ann = http.guest("Ann");
			try (WsClient ws = http.connectWelcomed(ann)) {
				ws.request(Map.of("type", "join", "room", "lobby"));
				id = ws.request(Map.of("type", "message", "room", "lobby", "text", "remember me")).path("id").asString();
			}
		}
		assertThat(dir.resolve("appendonly.aof")).exists();

		try (ParleyInstance second = ParleyInstance.startEmbedded(dir)) {
			ParleyHttp http = second.http();
			assertThat(http.postJson("/api/auth/token", Map.of("username", "keeper", "password", "keep-me-please"))
				.statusCode()).isEqualTo(200);
			try (WsClient ws = http.connect(ann)) {
				JsonNode welcome = ws.next("welcome");
				assertThat(welcome.path("rooms").findValuesAsString("slug")).contains("lobby");
				JsonNode joined = ws.request(Map.of("type", "join", "room", "lobby"));
				assertThat(joined.path("history").findValuesAsString("id")).contains(id);
			}
		}
	}

	@Test
	void anAofRewriteOfTheEmbeddedRedisRunsAtTheLowestCpuPriority() throws Exception {
		Path dir = Files.createTempDirectory("parley-data");
		try (ParleyInstance app = ParleyInstance.startEmbedded(dir)) {
			EmbeddedRedisProcess redisProcess = app.bean(EmbeddedRedisProcess.class);
			ProcessHandle redisServer = ProcessHandle.of(Long.parseLong(Files.readString(dir.resolve("redis.pid")).trim()))
				.orElseThrow();
			RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", redisProcess.port()));
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				RedisCommands<String, String> redis = connection.sync();
				for (int i = 0; i < 20; i++) {
					redis.set("slow-to-rewrite:" + i, "x");
				}
				// Redis's own test hook: a pause per key written, so that the rewrite lasts seconds
				redis.configSet("rdb-key-save-delay", "100000");
				redis.bgrewriteaof();

				await().atMost(Duration.ofSeconds(2))
					.untilAsserted(() -> assertThat(redisServer.children().map(RedisLifecycleIT::nice))
						.isNotEmpty()
						.allMatch(nice -> nice == 19));
				assertThat(nice(redisServer)).as("Redis itself").isLessThan(19);
				redis.configSet("rdb-key-save-delay", "0");
			}
			finally {
				client.shutdown();
			}
		}
	}

	/** Field 19 of /proc/PID/stat, counting from the pid; the command before it may hold spaces. */
	private static int nice(ProcessHandle process) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
			return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
		}
		catch (IOException ex) {
			return Integer.MIN_VALUE;
		}
	}

	@Test
	void healthIsUpOnlyWhileRedisAnswersAndFramesGetUnavailable(CapturedOutput output) {
		TestRedis redis = new TestRedis();
		try (ParleyInstance app = ParleyInstance.start(redis.port(), "spring.data.redis.timeout=1s")) {
			ParleyHttp http = app.http();
			assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
			Guest ann = http.guest("Ann");
			try (WsClient ws = http.connectWelcomed(ann)) {
				ws.request(Map.of("type", "join", "room", "lobby"));

				redis.stop();

				assertThat(http.get("/readyz").statusCode()).isEqualTo(503);
				assertThat(http.get("/readyz").body()).contains("DOWN");
				assertThat(http.get("/livez").statusCode()).as("alive, only not ready: no restart helps").isEqualTo(200);
				long outageStart = System.nanoTime();
				JsonNode reply = ws.request(Map.of("type", "message", "room", "lobby", "text", "into the void"));
				assertThat(reply.path("code").asString()).isEqualTo("unavailable");
				for (int i = 0; i < 10; i++) {
					ws.send(Map.of("type", "message", "room", "lobby", "text", "lost " + i));
					ws.send(Map.of("type", "private", "to", "nobody-" + i, "text", "lost " + i));
				}
				for (int i = 0; i < 20; i++) {
					assertThat(ws.next("error").path("code").asString()).isEqualTo("unavailable");
				}
				int reportsAllowed = (int) Duration.ofNanos(System.nanoTime() - outageStart).toSeconds() + 1;
				assertThat(occurrences(output, "Storing a message failed"))
					.as("11 failed stores are reported, at most once a second").isBetween(1, reportsAllowed);
				assertThat(occurrences(output, "Answering a message failed"))
					.as("10 failed recipient lookups are reported, at most once a second")
					.isBetween(1, reportsAllowed);
				ws.send(Map.of("type", "ping"));
				assertThat(ws.next("pong")).isNotNull();
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> output.toString().contains("Cleaning up"));
			assertThat(output).as("a connection closing while Redis is down is cleaned up once")
				.doesNotContain("Failure from onClosed")
				.doesNotContain("already released");
		}
		finally {
			redis.close();
		}
	}

	@Test
	void onSigtermTheEmbeddedRedisOutlivesTheConnectionsItsInstanceCloses() throws Exception {
		Path dir = Files.createTempDirectory("parley-data");
		int redisPort = TestRedis.freePort();
		Guest ann;
		try (JarProcess app = JarProcess.startEmbedded(dir, redisPort)) {
			ParleyHttp http = app.http();
			ann = http.guest("Ann");
			try (WsClient ws = http.connectWelcomed(ann)) {
				assertThat(TestRedis.onlineScore(redisPort, ann.id())).isNotNull();

				app.terminate();

				assertThat(ws.awaitClose()).isEqualTo(1001);
				assertThat(app.awaitExit(30_000)).isTrue();
				assertThat(app.output()).contains("Closed 1 connections for shutdown; 0 left")
					.doesNotContain("Cleaning up");
			}
		}
		assertThat(answers(redisPort)).as("the instance stops the Redis it started").isFalse();
		try (TestRedis stored = TestRedis.onDataOf(dir)) {
			assertThat(TestRedis.onlineScore(stored.port(), ann.id())).as("presence removed before Redis stopped").isNull();
		}
	}

	@Test
	void aRedisLeftRunningByAKilledInstanceIsStoppedBeforeTheNextOneUsesItsData() throws Exception {
		Path dir = Files.createTempDirectory("parley-data");
		int orphanPort = TestRedis.freePort();
		Guest ann;
		try (JarProcess killed = JarProcess.startEmbedded(dir, orphanPort)) {
			ann = killed.http().guest("Ann");
			killed.kill();
			assertThat(killed.awaitExit(10_000)).isTrue();
		}
		assertThat(answers(orphanPort)).as("SIGKILL leaves the child Redis running").isTrue();

		try (JarProcess next = JarProcess.startEmbedded(dir, TestRedis.freePort())) {
			assertThat(answers(orphanPort)).isFalse();
			assertThat(next.output()).contains("Stopping the embedded Redis");
			try (WsClient ws = next.http().connectWelcomed(ann)) {
				assertThat(ws.request(Map.of("type", "ping")).path("type").asString()).isEqualTo("pong");
			}
		}
	}

	private static int occurrences(CapturedOutput output, String text) {
		return output.toString().split(Pattern.quote(text), -1).length - 1;
	}

	private static boolean answers(int port) {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
