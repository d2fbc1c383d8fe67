package dev.parley.config;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.parley.admin.ModerationService;
import dev.parley.chat.MuteList;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyInstance;
import dev.parley.support.RedisAccess;
import dev.parley.support.RedisCluster;
import dev.parley.support.RedisServerProcess;
import dev.parley.support.TwoInstances;
import dev.parley.support.WsClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances configured with Spring's Cluster settings chat through a real Redis Cluster of
 * three masters with a replica each, over TLS and as an ACL user with the README's rules. Rooms
 * and users are chosen so that their slots sit on different masters: every script and multi-key
 * command must stay within one slot, and every channel must reach the instances subscribed on its
 * shard.
 */
class RedisClusterIT {

	private static final String PUSH_KEY = "cluster-push-key-0123456789";

	@RegisterExtension
	static final TwoInstances instances = TwoInstances.on(() -> new RedisCluster(RedisAccess.tlsWithAclUser()), "parley.push.keys=" + PUSH_KEY,
			"parley.presence.ttl=2s", "parley.presence.refresh=500ms");

	private static RedisCluster cluster() {
		return (RedisCluster) instances.topology();
	}

	@Test
	void instancesConfiguredForAClusterStartNoEmbeddedRedisAndKeepARoomsKeysOnTheMasterOfItsSlot() {
		assertThat(instances.a().hasBean(EmbeddedRedisProcess.class)).isFalse();
		String room = instances.a().newRoom("placed");
		RedisServerProcess master = cluster().masterOf(RedisKeys.room(room));
		assertThat(master.cli("EXISTS", RedisKeys.room(room))).isEqualTo("1");
		// the nodes listen on TLS only; every connection of the instances is the ACL user's
		assertThat(appClients(master)).isNotEmpty().allMatch(client -> client.contains(" user=" + RedisAccess.APP_USER + " "));
	}

	/** The instances' connections to {@code node}: all but the fixture's own redis-cli and the other nodes' links. */
	static List<String> appClients(RedisServerProcess node) {
		return node.cli("CLIENT", "LIST").lines()
			.filter(client -> !client.contains(" user=" + RedisAccess.ADMIN + " "))
			.toList();
	}

	@Test
	void aRoomMessageCrossesInstancesWhenTheRoomAndItsTwoMembersSitOnThreeMasters() {
		String room = instances.a().newRoom("x");
		Guest ann = guestAwayFrom(instances.a(), "Ann", RedisKeys.room(room));
		Guest ben = guestAwayFrom(instances.b(), "Ben", RedisKeys.room(room), RedisKeys.user(ann.id()));
		try (WsClient onA = instances.a().http().connectWelcomed(ann);
				WsClient onB = instances.b().http().connectWelcomed(ben)) {
			onA.request(Map.of("type", "join", "room", room));
			JsonNode joined = onB.request(Map.of("type", "join", "room", room));
			assertThat(joined.path("members").findValuesAsString("id")).contains(ann.id(), ben.id());
			assertThat(onA.next("presence").path("user").path("id").asString()).isEqualTo(ben.id());

			String id = onA.request(Map.of("type", "message", "room", room, "text", "across shards")).path("id")
				.asString();
			assertThat(onB.next("message").path("id").asString()).isEqualTo(id);
			assertThat(ids(onB.request(Map.of("type", "history", "room", room, "limit", 5)).path("messages")))
				.containsExactly(id);
		}
	}

	@Test
	void aPrivateMessageReachesTheRecipientAndTheSendersOtherDeviceOnOtherMastersAndInstances() {
		Guest ann = instances.a().http().guest("Pia");
		Guest ben = guestAwayFrom(instances.b(), "Pete", RedisKeys.user(ann.id()));
		try (WsClient annOnA = instances.a().http().connectWelcomed(ann);
				WsClient annOnB = instances.b().http().connectWelcomed(ann);
				WsClient benOnB = instances.b().http().connectWelcomed(ben)) {
			String id = annOnA.request(Map.of("type", "private", "to", ben.id(), "text", "psst")).path("id").asString();
			assertThat(benOnB.next("private").path("id").asString()).isEqualTo(id);
			assertThat(annOnB.next("private").path("id").asString()).isEqualTo(id);
			HttpResponse<String> conversations = instances.b().http()
				.send(HttpRequest.newBuilder(URI.create(instances.b().http().base() + "/api/conversations"))
					.header("Authorization", "Bearer " + ben.token())
					.build());
			assertThat(ParleyHttp.json(conversations).findValuesAsString("id")).contains(ann.id());
		}
	}

	@Test
	void aPrivateMessageToAnOfflineUserOnAnotherMasterWaitsForTheirNextConnection() {
		Guest ann = instances.a().http().guest("Olga");
		Guest ben = guestAwayFrom(instances.b(), "Oscar", RedisKeys.user(ann.id()));
		String id;
		try (WsClient onA = instances.a().http().connectWelcomed(ann)) {
			id = onA.request(Map.of("type", "private", "to", ben.id(), "text", "while you were away")).path("id")
				.asString();
		}
		try (WsClient onB = instances.b().http().connect(ben)) {
			onB.next("welcome");
			assertThat(onB.next("private").path("id").asString()).isEqualTo(id);
		}
	}

	@Test
	void aClientResumingWithSinceGetsWhatItMissedFromTheRoomsMaster() {
		String room = instances.a().newRoom("resume");
		Guest ann = instances.a().http().guest("Rita");
		Guest ben = guestAwayFrom(instances.b(), "Rob", RedisKeys.room(room));
		try (WsClient onA = instances.a().http().connectWelcomed(ann)) {
			onA.request(Map.of("type", "join", "room", room));
			String since;
			try (WsClient onB = instances.b().http().connectWelcomed(ben)) {
				onB.request(Map.of("type", "join", "room", room));
				since = onA.request(Map.of("type", "message", "room", room, "text", "seen")).path("id").asString();
				onB.next("message");
			}
			String missed = onA.request(Map.of("type", "message", "room", room, "text", "missed")).path("id").asString();
			try (WsClient again = instances.b().http().connectWelcomed(ben)) {
				JsonNode joined = again.request(Map.of("type", "join", "room", room, "since", since));
				assertThat(ids(joined.path("history"))).containsExactly(missed);
			}
		}
	}

	@Test
	void aKickABanAndAMuteOnOneInstanceActOnAUserConnectedToTheOther() {
		String room = instances.a().newRoom("moderated");
		Guest bob = guestAwayFrom(instances.b(), "Bob", RedisKeys.room(room));
		ModerationService moderation = instances.a().bean(ModerationService.class);
		try (WsClient onB = instances.b().http().connectWelcomed(bob)) {
			onB.request(Map.of("type", "join", "room", room));
			moderation.mute(bob.id(), Duration.ofMinutes(1), null);
			await().atMost(Duration.ofSeconds(2))
				.until(() -> onB.request(Map.of("type", "message", "room", room, "text", "hi")).path("code").asString(),
						"forbidden"::equals);
			instances.a().bean(MuteList.class).unmute(bob.id());

			moderation.kick(bob.id(), room, "spam");
			assertThat(onB.next("kicked").path("room").asString()).isEqualTo(room);

			moderation.ban(bob.id(), "abuse");
			assertThat(onB.awaitClose()).isEqualTo(ModerationService.BANNED);
		}
		moderation.unban(bob.id());
	}

	@Test
	void aPushReachesAUserARoomAndEveryoneAcrossInstances() {
		String room = instances.a().newRoom("pushed");
		Guest ann = instances.a().http().guest("Una");
		Guest ben = guestAwayFrom(instances.b(), "Ugo", RedisKeys.user(ann.id()), RedisKeys.room(room));
		try (WsClient onA = instances.a().http().connectWelcomed(ann);
				WsClient onB = instances.b().http().connectWelcomed(ben)) {
			onB.request(Map.of("type", "join", "room", room));
			assertThat(instances.a().http().push(PUSH_KEY, "{\"user\":\"" + ben.id() + "\",\"data\":1}").statusCode())
				.isEqualTo(202);
			assertThat(onB.next("push").path("to").asString()).isEqualTo(ben.id());
			assertThat(instances.a().http().push(PUSH_KEY, "{\"room\":\"" + room + "\",\"data\":2}").statusCode())
				.isEqualTo(202);
			assertThat(onB.next("push").path("room").asString()).isEqualTo(room);
			assertThat(instances.b().http().push(PUSH_KEY, "{\"broadcast\":true,\"data\":3}").statusCode())
				.isEqualTo(202);
			assertThat(onA.next("push").path("data").asInt()).isEqualTo(3);
			assertThat(onB.next("push").path("data").asInt()).isEqualTo(3);
		}
	}

	/**
	 * The room's master hands its slots to its replica ({@code CLUSTER FAILOVER}) just before members
	 * join: the instances, whose view of the Cluster is behind for a while, subscribe where they
	 * think the slot is (a replica serves shard channels too), and move to the new master.
	 */
	@Test
	void aRoomJoinedRightAfterItsMasterHandedOverIsSubscribedOnTheNewMaster() {
		String room = instances.a().newRoom("handover");
		Guest ann = instances.a().http().guest("Hana");
		Guest ben = instances.b().http().guest("Hugo");
		try (WsClient onA = instances.a().http().connectWelcomed(ann);
				WsClient onB = instances.b().http().connectWelcomed(ben)) {
			RedisServerProcess before = cluster().masterOf(RedisKeys.roomChannel(room));
			RedisServerProcess replica = cluster().replicaOf(before);
			replica.cli("CLUSTER", "FAILOVER");
			await().atMost(Duration.ofSeconds(10)).until(() -> replica.cli("ROLE").startsWith("master"));

			assertThat(onA.request(Map.of("type", "join", "room", room)).path("type").asString()).isEqualTo("joined");
			assertThat(onB.request(Map.of("type", "join", "room", room)).path("type").asString()).isEqualTo("joined");
			String id = onB.request(Map.of("type", "message", "room", room, "text", "after the handover")).path("id")
				.asString();
			assertThat(onA.next("message").path("id").asString()).isEqualTo(id);

			// both instances move their subscription to the new master and leave the old one, now a
			// replica that still passes the shard's messages on: each message comes once
			await().atMost(Duration.ofSeconds(15))
				.until(() -> replica.cli("PUBSUB", "SHARDNUMSUB", RedisKeys.roomChannel(room)).endsWith("\n2")
						&& before.cli("PUBSUB", "SHARDNUMSUB", RedisKeys.roomChannel(room)).endsWith("\n0"));
			String first = onB.request(Map.of("type", "message", "room", room, "text", "once")).path("id").asString();
			String second = onB.request(Map.of("type", "message", "room", room, "text", "twice?")).path("id").asString();
			assertThat(List.of(onA.next("message").path("id").asString(), onA.next("message").path("id").asString()))
				.containsExactly(first, second);
			// the tests after this one start from a topology both instances know
			await().atMost(Duration.ofSeconds(15)).until(() -> instances.both().stream()
				.allMatch(instance -> masterPortSeenBy(instance, RedisKeys.roomChannel(room)) == replica.port()));
		}
		cluster().awaitHealthy();
	}

	private static int masterPortSeenBy(ParleyInstance instance, String key) {
		RedisClusterClient client = (RedisClusterClient) instance.bean(LettuceConnectionFactory.class)
			.getRequiredNativeClient();
		return client.getPartitions().getMasterBySlot(SlotHash.getSlot(key)).getUri().getPort();
	}

	@Test
	void roomChannelsAreShardChannelsOnTheMasterOfTheirSlotAndNothingUsesClassicPubSub() {
		String room = instances.a().newRoom("sharded");
		Guest ann = instances.a().http().guest("Sue");
		try (WsClient onA = instances.a().http().connectWelcomed(ann)) {
			onA.request(Map.of("type", "join", "room", room));
			String channel = RedisKeys.roomChannel(room);
			assertThat(cluster().masterOf(channel).cli("PUBSUB", "SHARDCHANNELS", channel))
				.isEqualTo(channel);
			assertThat(cluster().masterOf(channel).cli("PUBSUB", "CHANNELS", "parley:*")).isEmpty();
		}
	}

	private static List<String> ids(JsonNode messages) {
		List<String> ids = new ArrayList<>();
		messages.forEach(message -> ids.add(message.path("id").asString()));
		return ids;
	}

	/** A guest whose user slot is on another master than each of {@code keys}. */
	private static Guest guestAwayFrom(ParleyInstance instance, String name, String... keys) {
		for (int attempt = 0; attempt < 50; attempt++) {
			Guest guest = instance.http().guest(name + attempt);
			Predicate<String> elsewhere = key -> cluster().onDifferentMasters(RedisKeys.user(guest.id()), key);
			if (Arrays.stream(keys).allMatch(elsewhere)) {
				return guest;
			}
		}
		throw new IllegalStateException("no guest name placed away from " + String.join(", ", keys));
	}

}
