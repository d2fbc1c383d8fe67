package dev.parley.ws;

import java.util.Map;

import dev.parley.config.RedisKeys;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyInstance;
import dev.parley.support.TestRedis;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** A stopping instance closes its connections with 1001 after what is queued, and leaves no presence. */
class GracefulShutdownIT {

	@Test
	void stoppingAnInstanceClosesWith1001AndRemovesPresenceWhileOthersCarryOn() throws Exception {
		try (TestRedis redis = new TestRedis(); ParleyInstance b = ParleyInstance.start(redis.port())) {
			ParleyInstance a = ParleyInstance.start(redis.port());
			Guest ann = a.http().guest("Ann");
			Guest ben = b.http().guest("Ben");
			String room = b.newRoom("bye");
			StringRedisTemplate store = b.bean(StringRedisTemplate.class);
			try (WsClient onA = a.http().connectWelcomed(ann); WsClient onB = b.http().connectWelcomed(ben)) {
				onA.request(Map.of("type", "join", "room", room));
				onB.request(Map.of("type", "join", "room", room));
				String last = onB.request(Map.of("type", "message", "room", room, "text", "before")).path("id").asString();
				assertThat(onA.next("message").path("id").asString()).isEqualTo(last);
				assertThat(store.opsForZSet().score(RedisKeys.ONLINE, ann.id())).isNotNull();

				Thread stopper = new Thread(a::close);
				stopper.start();

				assertThat(onA.awaitClose()).isEqualTo(1001);
				stopper.join(30_000);
				JsonNode offline = onB.next(f -> "offline".equals(f.path("event").asString()), "offline");
				assertThat(offline.path("user").path("id").asString()).isEqualTo(ann.id());
				assertThat(store.opsForZSet().score(RedisKeys.ONLINE, ann.id())).isNull();

				onB.request(Map.of("type", "message", "room", room, "text", "while you moved"));
				try (WsClient annOnB = b.http().connect(ann)) {
					annOnB.next("welcome");
					JsonNode resumed = annOnB.request(Map.of("type", "join", "room", room, "since", last));
					assertThat(resumed.path("history").findValuesAsString("text")).containsExactly("while you moved");
				}
			}
		}
	}

}
