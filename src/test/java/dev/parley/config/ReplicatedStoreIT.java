package dev.parley.config;

import java.util.Map;

import dev.parley.history.RedisHistoryStore;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyInstance;
import dev.parley.support.TestRedis;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code parley.store.replicas}, a message no replica confirmed in time is refused, never acked. */
class ReplicatedStoreIT {

	@Test
	void onARedisWithoutReplicasAMessageWaitingForOneIsRefusedAsUnavailable() {
		try (TestRedis redis = new TestRedis();
				ParleyInstance instance = ParleyInstance.start(redis.port(), "parley.store.replicas=1",
						"parley.store.replica-timeout=200ms")) {
			String room = instance.newRoom("replicated");
			Guest ann = instance.http().guest("Ann");
			try (WsClient ws = instance.http().connectWelcomed(ann)) {
				ws.request(Map.of("type", "join", "room", room));
				JsonNode reply = ws.request(Map.of("type", "message", "room", room, "text", "only on the master"));
				assertThat(reply.path("type").asString()).isEqualTo("error");
				assertThat(reply.path("code").asString()).isEqualTo("unavailable");
				// stored on the master, but its sender was told to send it again
				assertThat(instance.bean(RedisHistoryStore.class).latest(room, 5)).hasSize(1);
			}
		}
	}

}
