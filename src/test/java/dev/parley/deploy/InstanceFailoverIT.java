package dev.parley.deploy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.parley.support.JarProcess;
import dev.parley.support.Nginx;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.TestRedis;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Real instance processes behind a real nginx: SIGTERM loses no acknowledged message, SIGKILL leaves no ghost. */
class InstanceFailoverIT {

	@Test
	void aSigtermedInstancesClientsReconnectThroughNginxAndMissNoAcknowledgedMessage() throws Exception {
		try (TestRedis redis = new TestRedis(); JarProcess one = JarProcess.start(redis.port());
				JarProcess two = JarProcess.start(redis.port());
				Nginx nginx = Nginx.start(List.of(one.port(), two.port()))) {
			ParleyHttp http = nginx.http();
			Guest sender = http.guest("Sender");
			Guest reader = http.guest("Reader");
			Set<String> acked = new HashSet<>();
			Set<String> received = new HashSet<>();
			String[] lastSeen = { null };
			WsClient s = joined(http, sender, null);
			WsClient r = joined(http, reader, null);
			for (int i = 0; i < 60; i++) {
				if (i == 20) {
					one.terminate();
				}
				if (s.isClosed()) {
					s = joined(http, sender, null);
				}
				try {
					JsonNode reply = s.request(Map.of("type", "message", "room", "lobby", "text", "m" + i));
					if ("ack".equals(reply.path("type").asString())) {
						acked.add(reply.path("id").asString());
					}
				}
				catch (AssertionError closedMeanwhile) {
					// no ack: not acknowledged, so not owed
				}
				r = collect(http, reader, r, received, lastSeen);
				Thread.sleep(100);
			}
			assertThat(one.awaitExit(30_000)).as("the SIGTERMed instance exits").isTrue();
			long deadline = System.currentTimeMillis() + 5000;
			while (!received.containsAll(acked) && System.currentTimeMillis() < deadline) {
				r = collect(http, reader, r, received, lastSeen);
				Thread.sleep(100);
			}
			assertThat(acked).hasSizeGreaterThan(40);
			assertThat(received).containsAll(acked);
			s.close();
			r.close();
		}
	}

	@Test
	void aSigkilledInstancesUsersGoOfflineWithinThePresenceTtl() throws Exception {
		try (TestRedis redis = new TestRedis();
				JarProcess doomed = JarProcess.start(redis.port(), "parley.presence.ttl=3s", "parley.presence.refresh=1s");
				JarProcess survivor = JarProcess.start(redis.port(), "parley.presence.ttl=3s",
						"parley.presence.refresh=1s")) {
			Guest ghost = doomed.http().guest("Ghost");
			Guest watcher = survivor.http().guest("Watcher");
			WsClient onDoomed = joined(doomed.http(), ghost, null);
			try (WsClient onSurvivor = joined(survivor.http(), watcher, null)) {
				doomed.kill();
				long killedAt = System.currentTimeMillis();
				JsonNode offline = onSurvivor.next(f -> "offline".equals(f.path("event").asString())
						&& ghost.id().equals(f.path("user").path("id").asString()), "offline of the ghost");
				assertThat(offline.path("room").asString()).isEqualTo("lobby");
				assertThat(System.currentTimeMillis() - killedAt).isLessThan(3000 + 1000 + 2000);
				JsonNode joined = onSurvivor.request(Map.of("type", "join", "room", "lobby"));
				assertThat(joined.path("members").findValuesAsString("id")).doesNotContain(ghost.id());
			}
			onDoomed.close();
		}
	}

	private static WsClient joined(ParleyHttp http, Guest guest, String since) {
		WsClient ws = http.connectWelcomed(guest);
		ws.request(since == null ? Map.of("type", "join", "room", "lobby")
				: Map.of("type", "join", "room", "lobby", "since", since));
		return ws;
	}

	/** Reads what arrived; after a close, reconnects through nginx and resumes with since. */
	private static WsClient collect(ParleyHttp http, Guest guest, WsClient ws, Set<String> received,
			String[] lastSeen) {
		JsonNode frame;
		while ((frame = ws.poll()) != null) {
			record(frame, received, lastSeen);
		}
		if (!ws.isClosed()) {
			return ws;
		}
		WsClient again = http.connectWelcomed(guest);
		JsonNode joined = again.request(lastSeen[0] == null ? Map.of("type", "join", "room", "lobby")
				: Map.of("type", "join", "room", "lobby", "since", lastSeen[0]));
		joined.path("history").forEach(m -> record(m, received, lastSeen));
		return again;
	}

	private static void record(JsonNode frame, Set<String> received, String[] lastSeen) {
		if ("message".equals(frame.path("type").asString())) {
			String id = frame.path("id").asString();
			received.add(id);
			lastSeen[0] = id;
		}
	}

}
