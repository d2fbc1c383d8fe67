package dev.parley.config;

import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import dev.parley.history.RedisHistoryStore;
import dev.parley.room.RoomService;
import dev.parley.support.ParleyInstance;
import dev.parley.support.TestRedis;
import dev.parley.user.UserService;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A Redis written by a Parley before the Cluster-ready key names keeps its users, rooms and history. */
class LegacyKeyMigrationIT {

	@Test
	void anInstanceStartingOnDataUnderTheOldNamesRenamesThemOnceAndServesThem() {
		try (TestRedis redis = new TestRedis()) {
			RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", redis.port()));
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				RedisCommands<String, String> old = connection.sync();
				old.hset("parley:user:olduser", Map.of("name", "olduser", "displayName", "Old User", "password", "x",
						"guest", "0", "created", "1"));
				old.sadd("parley:user:olduser:rooms", "attic");
				old.hset("parley:room:attic", Map.of("name", "Attic", "topic", "", "open", "1", "created", "1"));
				old.sadd("parley:room:attic:members", "olduser");
				old.sadd("parley:rooms", "attic");
				old.xadd("parley:room:attic:history", Map.of("d", ",\"from\":{\"id\":\"olduser\"},\"text\":\"kept\""));
				old.xadd("parley:dm:ben:olduser", Map.of("d", ",\"text\":\"private\""));

				try (ParleyInstance instance = ParleyInstance.start(redis.port())) {
					assertThat(instance.bean(UserService.class).find("olduser")).isPresent();
					assertThat(instance.bean(RoomService.class).roomsOf("olduser")).containsExactly("attic");
					assertThat(instance.bean(RoomService.class).members("attic")).containsExactly("olduser");
					assertThat(instance.bean(RedisHistoryStore.class).latest("attic", 10)).singleElement()
						.asString()
						.contains("kept");
					assertThat(old.xlen(RedisKeys.conversationHistory("olduser", "ben"))).isEqualTo(1);
				}
				assertThat(old.keys("parley:user:*")).isEmpty();
				assertThat(old.keys("parley:room:*")).isEmpty();
				assertThat(old.keys("parley:dm:*")).isEmpty();
				assertThat(old.get(RedisKeys.SCHEMA)).isEqualTo(LegacyKeyMigration.VERSION);
			}
			finally {
				client.shutdown();
			}
		}
	}

}
