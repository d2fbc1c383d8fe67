package dev.parley.chat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyInstance;
import dev.parley.support.TestRedis;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Two application instances sharing one real Redis act as one server. */
class TwoInstancesIT {

	static TestRedis redis;

	static ParleyInstance a;

	static ParleyInstance b;

	@BeforeAll
	static void start() {
		redis = new TestRedis();
		a = ParleyInstance.start(redis.port(), "parley.presence.ttl=2s", "parley.presence.refresh=500ms");
		b = ParleyInstance.start(redis.port(), "parley.presence.ttl=2s", "parley.presence.refresh=500ms");
	}

	@AfterAll
	static void stop() {
		b.close();
		a.close();
		redis.close();
	}

	@Test
	void aMessageSentOnOneInstanceReachesAMemberConnectedOnlyToTheOther() {
		String room = a.newRoom("x1");
		Guest ann = a.http().guest("Ann");
		Guest ben = b.http().guest("Ben");
		try (WsClient onA = a.http().connectWelcomed(ann); WsClient onB = b.http().connectWelcomed(ben)) {
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
		String room = a.newRoom("x2");
		Guest ann = a.http().guest("Ann");
		Guest ben = b.http().guest("Ben");
		try (WsClient onA = a.http().connectWelcomed(ann); WsClient onB = b.http().connectWelcomed(ben)) {
			onA.request(Map.of("type", "join", "room", room));
			JsonNode joined = onB.request(Map.of("type", "join", "room", room));
			assertThat(joined.path("members").findValuesAsString("id")).contains(ann.id(), ben.id());
			assertThat(onA.next("presence").path("user").path("id").asString()).isEqualTo(ben.id());
		}
	}

	@Test
	void aPrivateMessageCrossesInstances() {
		Guest ann = a.http().guest("Ann");
		Guest ben = b.http().guest("Ben");
		try (WsClient onA = a.http().connectWelcomed(ann); WsClient onB = b.http().connectWelcomed(ben)) {
			onA.request(Map.of("type", "private", "to", ben.id(), "text", "hi from A"));
			assertThat(onB.next("private").path("text").asString()).isEqualTo("hi from A");
		}
	}

	@Test
	void aPrivateMessageReachesEveryDeviceOfARecipientConnectedToBothInstances() {
		Guest ann = a.http().guest("Ann");
		Guest ben = a.http().guest("Ben");
		try (WsClient annOnA = a.http().connectWelcomed(ann); WsClient benOnA = a.http().connectWelcomed(ben);
				WsClient benOnB = b.http().connectWelcomed(ben)) {
			String id = annOnA.request(Map.of("type", "private", "to", ben.id(), "text", "to both")).path("id")
				.asString();
			assertThat(benOnA.next("private").path("id").asString()).isEqualTo(id);
			assertThat(benOnB.next("private").path("id").asString()).isEqualTo(id);
		}
	}

	@Test
	void aPrivateMessageReachesTheSendersOtherDeviceOnTheOtherInstance() {
		Guest ann = a.http().guest("Ann");
		Guest ben = a.http().guest("Ben");
		try (WsClient annOnA = a.http().connectWelcomed(ann); WsClient annOnB = b.http().connectWelcomed(ann);
				WsClient benOnA = a.http().connectWelcomed(ben)) {
			String id = annOnA.request(Map.of("type", "private", "to", ben.id(), "text", "seen on both")).path("id")
				.asString();
			assertThat(annOnB.next("private").path("id").asString()).isEqualTo(id);
			assertThat(benOnA.next("private").path("id").asString()).isEqualTo(id);
		}
	}

	@Test
	void joiningOnOneDeviceMakesTheUsersOtherDevicesOnTheOtherInstanceReceiveTheRoom() {
		String room = a.newRoom("x3");
		Guest ann = a.http().guest("Ann");
		Guest ben = b.http().guest("Ben");
		try (WsClient annOnA = a.http().connectWelcomed(ann); WsClient annOnB = b.http().connectWelcomed(ann);
				WsClient benOnA = a.http().connectWelcomed(ben)) {
			annOnA.request(Map.of("type", "join", "room", room));
			benOnA.request(Map.of("type", "join", "room", room));
			benOnA.request(Map.of("type", "message", "room", room, "text", "to all of Ann"));
			assertThat(annOnB.next("message").path("text").asString()).isEqualTo("to all of Ann");
		}
	}

	@Test
	void anInstanceSubscribesOnlyToRoomsItsConnectionsNeed() {
		String room = a.newRoom("x4");
		Guest ann = a.http().guest("Ann");
		try (WsClient onA = a.http().connectWelcomed(ann)) {
			onA.request(Map.of("type", "join", "room", room));
			assertThat(channelsOf(a)).contains("parley:ch:room:" + room);
			assertThat(channelsOf(b)).doesNotContain("parley:ch:room:" + room);
		}
	}

	@Test
	void theUsersOfAnInstanceThatStoppedRefreshingGoOfflineForTheOthers() {
		String room = a.newRoom("x5");
		Guest ann = a.http().guest("Ann");
		Guest ghost = a.http().guest("Ghost");
		StringRedisTemplate store = a.bean(StringRedisTemplate.class);
		try (WsClient onA = a.http().connectWelcomed(ann)) {
			onA.request(Map.of("type", "join", "room", room));
			long soon = System.currentTimeMillis() + 1000;
			store.opsForSet().add("parley:room:" + room + ":members", ghost.id());
			store.opsForSet().add("parley:user:" + ghost.id() + ":rooms", room);
			store.opsForZSet().add("parley:user:" + ghost.id() + ":conns", "dead-instance-conn", soon);
			store.opsForZSet().add("parley:online", ghost.id(), soon);
			assertThat(a.bean(dev.parley.presence.PresenceManager.class).onlineMembers(room))
				.extracting(dev.parley.user.User::id)
				.contains(ghost.id());

			JsonNode offline = onA.next(f -> "offline".equals(f.path("event").asString()), "offline");

			assertThat(offline.path("user").path("id").asString()).isEqualTo(ghost.id());
			assertThat(store.opsForZSet().score("parley:online", ghost.id())).isNull();
			onA.expectNone("presence", 1500);
		}
	}

	@Test
	void everyConnectionStaysOnlinePastItsTtlWhileItsInstanceRefreshesItASliceAtATime() throws Exception {
		List<Guest> guests = IntStream.range(0, 30).mapToObj(i -> a.http().guest("Slice" + i)).toList();
		List<WsClient> clients = guests.stream().map(guest -> a.http().connectWelcomed(guest)).toList();
		try {
			Thread.sleep(5000);
			StringRedisTemplate store = a.bean(StringRedisTemplate.class);
			long now = System.currentTimeMillis();
			assertThat(guests).allSatisfy(
					guest -> assertThat(store.opsForZSet().score("parley:online", guest.id())).isGreaterThan(now));
		}
		finally {
			clients.forEach(WsClient::close);
		}
	}

	private static java.util.Set<String> channelsOf(ParleyInstance instance) {
		return instance.bean(Hub.class).subscribedChannels();
	}

}
