package dev.parley.config;

import java.time.Duration;
import java.util.Map;

import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.RedisAccess;
import dev.parley.support.RedisSentinel;
import dev.parley.support.RedisServerProcess;
import dev.parley.support.TwoInstances;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances configured with Spring's Sentinel settings use the master Sentinel names, and
 * follow a failover; Sentinels, master and replica are reached over TLS only and with ACL users
 * (the Sentinels' own, and the README's rules on the data nodes).
 */
class RedisSentinelIT {

	@RegisterExtension
	static final TwoInstances instances = TwoInstances.on(() -> new RedisSentinel(RedisAccess.tlsWithAclUser()));

	@Test
	void instancesConfiguredForSentinelStartNoEmbeddedRedisAndChatThroughTheMaster() {
		assertThat(instances.a().hasBean(EmbeddedRedisProcess.class)).isFalse();
		RedisSentinel sentinel = (RedisSentinel) instances.topology();
		String room = instances.a().newRoom("sentinel");
		assertThat(sentinel.currentMaster().cli("EXISTS", RedisKeys.room(room))).isEqualTo("1");
		assertThat(RedisClusterIT.appClients(sentinel.currentMaster())).isNotEmpty()
			.allMatch(client -> client.contains(" user=" + RedisAccess.APP_USER + " "));
		Guest ann = instances.a().http().guest("Ann");
		Guest ben = instances.b().http().guest("Ben");
		try (WsClient onA = instances.a().http().connectWelcomed(ann);
				WsClient onB = instances.b().http().connectWelcomed(ben)) {
			onA.request(Map.of("type", "join", "room", room));
			onB.request(Map.of("type", "join", "room", room));
			String id = onA.request(Map.of("type", "message", "room", room, "text", "via sentinel")).path("id").asString();
			assertThat(onB.next("message").path("id").asString()).isEqualTo(id);
			// Redis 7: sharded pub/sub, as on a Cluster
			assertThat(sentinel.currentMaster().cli("PUBSUB", "SHARDCHANNELS", RedisKeys.roomChannel(room)))
				.isEqualTo(RedisKeys.roomChannel(room));
			assertThat(sentinel.currentMaster().cli("PUBSUB", "CHANNELS", "parley:*")).isEmpty();
		}
	}

	@Test
	void chatResumesWithoutARestartWhenSentinelPromotesTheReplica() {
		RedisSentinel sentinel = (RedisSentinel) instances.topology();
		String room = instances.a().newRoom("failover");
		Guest ann = instances.a().http().guest("Ann");
		Guest ben = instances.b().http().guest("Ben");
		try (WsClient onA = instances.a().http().connectWelcomed(ann);
				WsClient onB = instances.b().http().connectWelcomed(ben)) {
			onA.request(Map.of("type", "join", "room", room));
			onB.request(Map.of("type", "join", "room", room));
			onA.request(Map.of("type", "message", "room", room, "text", "before"));
			assertThat(onB.next("message").path("text").asString()).isEqualTo("before");
			RedisServerProcess replica = sentinel.currentReplica();
			await().atMost(Duration.ofSeconds(10)).until(() -> replica.cli("INFO", "replication")
				.contains("master_link_status:up"));

			sentinel.currentMaster().kill();

			// until the promotion, a message is refused as unavailable, never acked
			JsonNode acked = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
				JsonNode reply = onA.request(Map.of("type", "message", "room", room, "text", "after"));
				if (reply.path("type").asString().equals("error")) {
					assertThat(reply.path("code").asString()).isEqualTo("unavailable");
				}
				return reply;
			}, reply -> reply.path("type").asString().equals("ack"));
			assertThat(sentinel.masterPort()).isEqualTo(replica.port());
			JsonNode received = onB.next(frame -> frame.path("type").asString().equals("message")
					&& frame.path("text").asString().equals("after"), "the message sent after the failover");
			assertThat(received.path("id").asString()).isEqualTo(acked.path("id").asString());
		}
	}

}
