package dev.parley.chat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.parley.config.RedisKeys;
import dev.parley.delivery.Hub;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyInstance;
import dev.parley.support.TwoInstances;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Two application instances sharing one real Redis act as one server. */
class TwoInstancesIT {

	@RegisterExtension
	static final TwoInstances instances = TwoInstances.withProperties("parley.presence.ttl=2s",
			"parley.presence.refresh=500ms");

	@Test
	void aMessageSentOnOneInstanceReachesAMemberConnectedOnlyToTheOther() {
		String room = instances.a().newRoom("x1");
		Guest ann = instances.a().http().guest("Ann");
		Guest ben = instances.b().http().guest("Ben");
		try (WsClient onA = instances.a().http().connectWelcomed(ann);
				WsClient onB = instances.b().http().connectWelcomed(ben)) {
			onA.request(Map.of("type", "join", "room", room));
			onB.request(Map.of("type", "join", "room", room));

			String id = onA.request(Map.of("type", "message", "room", room, "text", "across")).path("id").asString();

			JsonNode message = onB.next("message");
			assertThat(message.path("id").asString()).isEqualTo(id);
			assertThat(message.path("text").asString()).isEqualTo("across");
		}
	}

	@Test
	void presenceOnOneInstanceShowsAUserConnectedToTheOther() {
		String room = instances.a().newRoom("x2");
		Guest ann = instances.a().http().guest("Ann");
		Guest ben = instances.b().http().guest("Ben");
		try (WsClient onA = instances.a().http().connectWelcomed(ann);
				WsClient onB = instances.b().http().connectWelcomed(ben)) {
			onA.request(Map.of("type", "join", "room", room));
			JsonNode joined = onB.request(Map.of("type", "join", "room", room));
			assertThat(joined.path("members").findValuesAsString("id")).contains(ann.id(), ben.id());
			assertThat(onA.next("presence").path("user").path("id").asString()).isEqualTo(ben.id());
		}
	}

	@Test
	void aPrivateMessageCrossesInstances() {
		Guest ann = instances.a().http().guest("Ann");
		Guest ben = instances.b().http().guest("Ben");
		try (WsClient onA = instances.a().http().connectWelcomed(ann);
				WsClient onB = instances.b().http().connectWelcomed(ben)) {
			onA.request(Map.of("type", "private", "to", ben.id(), "text", "hi from A"));
			assertThat(onB.next("private").path("text").asString()).isEqualTo("hi from A");
		}
	}

	@Test
	void aPrivateMessageReachesEveryDeviceOfARecipientConnectedToBothInstances() {
		Guest ann = instances.a().http().guest("Ann");
		Guest ben = instances.a().http().guest("Ben");
		try (WsClient annOnA = instances.a().http().connectWelcomed(ann);
				WsClient benOnA = instances.a().http().connectWelcomed(ben);
				WsClient benOnB = instances.b().http().connectWelcomed(ben)) {
			String id = annOnA.request(Map.of("type", "private", "to", ben.id(), "text", "to both")).path("id")
				.asString();
			assertThat(benOnA.next("private").path("id").asString()).isEqualTo(id);
			assertThat(benOnB.next("private").path("id").asString()).isEqualTo(id);
		}
	}

	@Test
	void aPrivateMessageReachesTheSendersOtherDeviceOnTheOtherInstance() {
		Guest ann = instances.a().http().guest("Ann");
		Guest ben = instances.a().http().guest("Ben");
		try (WsClient annOnA = instances.a().http().connectWelcomed(ann);
				WsClient annOnB = instances.b().http().connectWelcomed(ann);
				WsClient benOnA = instances.a().http().connectWelcomed(ben)) {
			String id = annOnA.request(Map.of("type", "private", "to", ben.id(), "text", "seen on both")).path("id")
				.asString();
			assertThat(annOnB.next("private").path("id").asString()).isEqualTo(id);
			assertThat(benOnA.next("private").path("id").asString()).isEqualTo(id);
		}
	}

	@Test
	void joiningOnOneDeviceMakesTheUsersOtherDevicesOnTheOtherInstanceReceiveTheRoom() {
		String room = instances.a().newRoom("x3");
		Guest ann = instances.a().http().guest("Ann");
		Guest ben = instances.b().http().guest("Ben");
		try (WsClient annOnA = instances.a().http().connectWelcomed(ann);
				WsClient annOnB = instances.b().http().connectWelcomed(ann);
				WsClient benOnA = instances.a().http().connectWelcomed(ben)) {
			annOnA.request(Map.of("type", "join", "room", room));
			benOnA.request(Map.of("type", "join", "room", room));
			benOnA.request(Map.of("type", "message", "room", room, "text", "to all of Ann"));
			assertThat(annOnB.next("message").path("text").asString()).isEqualTo("to all of Ann");
		}
	}

	@Test
	void anInstanceSubscribesOnlyToRoomsItsConnectionsNeed() {
		String room = instances.a().newRoom("x4");
		Guest ann = instances.a().http().guest("Ann");
		try (WsClient onA = instances.a().http().connectWelcomed(ann)) {
			onA.request(Map.of("type", "join", "room", room));
			assertThat(channelsOf(instances.a())).contains(RedisKeys.roomChannel(room));
			assertThat(channelsOf(instances.b())).doesNotContain(RedisKeys.roomChannel(room));
		}
	}

	@Test
	void theUsersOfAnInstanceThatStoppedRefreshingGoOfflineForTheOthers() {
		String room = instances.a().newRoom("x5");
		Guest ann = instances.a().http().guest("Ann");
		Guest ghost = instances.a().http().guest("Ghost");
		StringRedisTemplate store = instances.a().bean(StringRedisTemplate.class);
		try (WsClient onA = instances.a().http().connectWelcomed(ann)) {
			onA.request(Map.of("type", "join", "room", room));
			long soon = System.currentTimeMillis() + 1000;
			store.opsForSet().add(RedisKeys.roomMembers(room), ghost.id());
			store.opsForSet().add(RedisKeys.userRooms(ghost.id()), room);
			store.opsForZSet().add(RedisKeys.userConnections(ghost.id()), "dead-instance-conn", soon);
			store.opsForZSet().add(RedisKeys.ONLINE, ghost.id(), soon);
			// as the dead instance's presence event had put it
			store.opsForZSet().add(RedisKeys.roomOnline(room), ghost.id(), 0);
			assertThat(instances.a().bean(dev.parley.presence.PresenceManager.class).onlineMembers(room))
				.extracting(dev.parley.user.User::id)
				.contains(ghost.id());

			JsonNode offline = onA.next(f -> "offline".equals(f.path("event").asString()), "offline");

			assertThat(offline.path("user").path("id").asString()).isEqualTo(ghost.id());
			assertThat(store.opsForZSet().score(RedisKeys.ONLINE, ghost.id())).isNull();
			onA.expectNone("presence", 1500);
		}
	}

	@Test
	void everyConnectionStaysOnlinePastItsTtlWhileItsInstanceRefreshesItASliceAtATime() throws Exception {
		List<Guest> guests = IntStream.range(0, 30).mapToObj(i -> instances.a().http().guest("Slice" + i)).toList();
		List<WsClient> clients = guests.stream().map(guest -> instances.a().http().connectWelcomed(guest)).toList();
		try {
			Thread.sleep(5000);
			StringRedisTemplate store = instances.a().bean(StringRedisTemplate.class);
			long now = System.currentTimeMillis();
			assertThat(guests).allSatisfy(
					guest -> assertThat(store.opsForZSet().score(RedisKeys.ONLINE, guest.id())).isGreaterThan(now));
		}
		finally {
			clients.forEach(WsClient::close);
		}
	}

	private static java.util.Set<String> channelsOf(ParleyInstance instance) {
		return instance.bean(Hub.class).subscribedChannels();
	}

}
