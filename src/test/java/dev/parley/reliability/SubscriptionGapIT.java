package dev.parley.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import dev.parley.admin.ModerationService;
import dev.parley.config.RedisKeys;
import dev.parley.delivery.Hub;
import dev.parley.messaging.PubSubGateway;
import dev.parley.room.RoomService;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyInstance;
import dev.parley.support.TwoInstances;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pub/sub connections of both instances are cut while Redis stays up, and kept from coming back
 * (Redis refuses new clients) while messages are stored: when they are back, what was stored
 * meanwhile reaches every member, once and in order, ahead of what follows; a gap larger than a
 * connection may be sent at once closes the connections with 4003, so that they resume.
 */
class SubscriptionGapIT {

	/** Half of the send buffer is the most replayed to a connection: 5 here. */
	private static final String BUFFER = "parley.send.buffer-messages=10";

	@RegisterExtension
	static final TwoInstances instances = TwoInstances.withProperties(BUFFER);

	static RedisClient admin;

	static RedisCommands<String, String> redisAdmin;

	static StatefulRedisConnection<String, String> adminConnection;

	@BeforeAll
	static void connectAdmin() {
		admin = RedisClient.create(RedisURI.create("127.0.0.1", instances.redis().port()));
		adminConnection = admin.connect();
		redisAdmin = adminConnection.sync();
	}

	@AfterAll
	static void disconnectAdmin() {
		adminConnection.close();
		admin.shutdown();
	}

	@Test
	void whatWasStoredWhileTheSubscriptionsWereDownArrivesOnceInOrderBeforeWhatFollows() {
		String room = instances.a().newRoom("gap");
		try (WsClient sender = member(instances.a(), room, "Sam"); WsClient onA = member(instances.a(), room, "Ann");
				WsClient onB = member(instances.b(), room, "Ben")) {
			List<String> acked = new ArrayList<>();
			whileSubscriptionsAreDown(() -> {
				for (int i = 0; i < 4; i++) {
					acked.add(sender.request(Map.of("type", "message", "room", room, "text", "gap " + i)).path("id")
						.asString());
				}
			});
			acked.add(sender.request(Map.of("type", "message", "room", room, "text", "after")).path("id").asString());

			// the sender's own copies went by while it waited for its acks
			for (WsClient receiver : List.of(onA, onB)) {
				assertThat(messageIds(receiver, acked.size())).containsExactlyElementsOf(acked);
				receiver.expectNone("message", 300);
			}
		}
	}

	@Test
	void editsAndDeletesMadeWhileTheSubscriptionsWereDownArriveWithTheMessagesAsTheyAreNow() {
		String room = instances.a().newRoom("gap-changes");
		try (WsClient sender = member(instances.a(), room, "Sid"); WsClient onB = member(instances.b(), room, "Bea")) {
			String before = sender.request(Map.of("type", "message", "room", room, "text", "before")).path("id")
				.asString();
			assertThat(onB.next("message").path("id").asString()).isEqualTo(before);
			List<String> during = new ArrayList<>();
			whileSubscriptionsAreDown(() -> {
				sender.request(Map.of("type", "edit", "room", room, "id", before, "text", "before, edited"));
				during.add(sender.request(Map.of("type", "message", "room", room, "text", "during")).path("id")
					.asString());
				sender.request(Map.of("type", "edit", "room", room, "id", during.get(0), "text", "during, edited"));
				during.add(sender.request(Map.of("type", "message", "room", room, "text", "gone")).path("id")
					.asString());
				sender.request(Map.of("type", "delete", "room", room, "id", during.get(1)));
			});

			List<JsonNode> frames = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				frames.add(onB.next(frame -> List.of("message", "edited", "deleted")
					.contains(frame.path("type").asString()), "a message, edit or delete"));
			}
			// in the order they were made, the replayed message as it is now; the deleted one never shows
			assertThat(frames).extracting(frame -> frame.path("type").asString() + " " + frame.path("id").asString())
				.containsExactly("edited " + before, "message " + during.get(0), "edited " + during.get(0),
						"deleted " + during.get(1));
			assertThat(frames.get(0).path("text").asString()).isEqualTo("before, edited");
			assertThat(frames.get(1).path("text").asString()).isEqualTo("during, edited");
			onB.expectNone("message", 300);
		}
	}

	@Test
	void aGapLargerThanCanBeReplayedClosesTheConnectionsWith4003SoThatTheyResume() {
		String room = instances.a().newRoom("biggap");
		try (WsClient sender = member(instances.a(), room, "Sue"); WsClient onB = member(instances.b(), room, "Bob")) {
			whileSubscriptionsAreDown(() -> {
				for (int i = 0; i < 8; i++) {
					sender.request(Map.of("type", "message", "room", room, "text", "lost " + i));
				}
			});
			assertThat(onB.awaitClose()).isEqualTo(4003);
			assertThat(sender.awaitClose()).isEqualTo(4003);
		}
	}

	@Test
	void aBanAndAJoinMadeWhileTheSubscriptionsWereDownTakeEffectOnceTheyAreBack() {
		String room = instances.a().newRoom("joined-meanwhile");
		Guest ann = instances.a().http().guest("Ann");
		Guest eve = instances.a().http().guest("Eve");
		try (WsClient annOnA = instances.a().http().connectWelcomed(ann);
				WsClient annOnB = instances.b().http().connectWelcomed(ann);
				WsClient eveOnB = instances.b().http().connectWelcomed(eve)) {
			whileSubscriptionsAreDown(() -> {
				// as a third instance would: the membership is stored, the news of it lost
				instances.a().bean(RoomService.class).join(ann.id(), room);
				instances.a().bean(PubSubGateway.class).roomJoined(ann.id(), room);
				instances.a().bean(ModerationService.class).ban(eve.id(), "spam");
			});
			assertThat(eveOnB.awaitClose()).isEqualTo(1008);
			await().untilAsserted(() -> assertThat(instances.both()).allSatisfy(instance -> assertThat(
					instance.bean(Hub.class).subscribedChannels()).contains(RedisKeys.roomChannel(room))));

			try (WsClient sam = member(instances.a(), room, "Sam")) {
				String id = sam.request(Map.of("type", "message", "room", room, "text", "to both")).path("id")
					.asString();
				assertThat(annOnA.next("message").path("id").asString()).isEqualTo(id);
				assertThat(annOnB.next("message").path("id").asString()).isEqualTo(id);
			}
		}
	}

	@Test
	void connectionsAndJoinsRefusedWhileTheSubscriptionsAreDownLeaveNothingBehind() {
		String room = instances.a().newRoom("refused");
		Guest ray = instances.a().http().guest("Ray");
		Guest newcomer = instances.a().http().guest("Newcomer");
		Hub hub = instances.a().bean(Hub.class);
		int before = hub.connectionCount();
		try (WsClient joining = instances.a().http().connectWelcomed(ray)) {
			whileSubscriptionsAreDown(() -> {
				try (WsClient refused = instances.a().http().connect(newcomer)) {
					assertThat(refused.awaitClose()).isEqualTo(1013);
				}
				JsonNode reply = joining.request(Map.of("type", "join", "room", room));
				assertThat(reply.path("code").asString()).isEqualTo("unavailable");
			});
			await().untilAsserted(() -> assertThat(hub.connectionCount()).isEqualTo(before + 1));
			assertThat(hub.subscribedChannels()).doesNotContain(RedisKeys.roomChannel(room));
		}
	}

	/** Kills every pub/sub connection and refuses new connections until {@code meanwhile} is done. */
	private static void whileSubscriptionsAreDown(Runnable meanwhile) {
		String maxClients = redisAdmin.configGet("maxclients").get("maxclients");
		redisAdmin.configSet("maxclients", "1");
		try {
			assertThat(redisAdmin.clientKill(io.lettuce.core.KillArgs.Builder.typePubsub())).isEqualTo(2);
			meanwhile.run();
		}
		finally {
			redisAdmin.configSet("maxclients", maxClients);
			// after a refused reconnect, Lettuce waits for its command timeout (5 s) before the next try
			await().atMost(Duration.ofSeconds(15)).until(SubscriptionGapIT::pubSubConnections, count -> count >= 2);
		}
	}

	private static long pubSubConnections() {
		return redisAdmin.clientList().lines().filter(line -> line.matches(".* sub=[1-9].*")).count();
	}

	private static List<String> messageIds(WsClient client, int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			JsonNode message = client.next("message");
			ids.add(message.path("id").asString());
		}
		return ids;
	}

	private static WsClient member(ParleyInstance instance, String room, String name) {
		WsClient client = instance.http().connectWelcomed(instance.http().guest(name));
		client.request(Map.of("type", "join", "room", room));
		return client;
	}

}
