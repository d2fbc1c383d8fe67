package dev.parley.user;

import java.time.Duration;
import java.util.Map;

import dev.parley.config.RedisKeys;
import dev.parley.room.RoomService;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A guest is deleted after the guest TTL (2 s here), and their name is free again: whoever takes it
 * next, guest or registered, must get nothing of theirs. No sweep runs during these tests.
 */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.auth.guest-ttl=2s", "parley.auth.sweep-interval=1h" })
class DeletedUserIT {

	@Autowired
	ParleyHttp http;

	@Autowired
	UserService users;

	@Autowired
	RoomService rooms;

	@Autowired
	StringRedisTemplate redis;

	private final String suffix = Long.toString(System.nanoTime() % 1_000_000);

	private final String room = "kept-" + suffix;

	@Test
	void aGuestWhoTakesADeletedGuestsNameGetsNoneOfTheirRoomsMessagesOrTokens() {
		rooms.createIfAbsent(room, "Kept", "");
		Guest bob = registeredWithToken("bob" + suffix);
		Guest ann = http.guest("ann" + suffix);
		try (WsClient a = http.connectWelcomed(ann); WsClient b = http.connectWelcomed(bob)) {
			a.request(Map.of("type", "join", "room", room));
			a.request(Map.of("type", "private", "to", bob.id(), "text", "between us"));
			b.next("private");
		}
		try (WsClient b = http.connectWelcomed(bob)) {
			b.request(Map.of("type", "private", "to", ann.id(), "text", "waiting for ann"));
		}
		awaitDeleted(ann.id());

		Guest next = http.guest("ann" + suffix);
		assertThat(next.id()).isEqualTo(ann.id());
		try (WsClient a = http.connect(next)) {
			assertThat(a.next("welcome").path("rooms").size()).isZero();
			JsonNode history = a.request(Map.of("type", "history", "with", bob.id()));
			assertThat(history.path("messages").size()).isZero();
			JsonNode refused = a.request(Map.of("type", "message", "room", room, "text", "am I in?"));
			assertThat(refused.path("code").asString()).isEqualTo("not_member");
			a.expectNone("private", 300);
		}
		assertThat(redis.opsForZSet().score(RedisKeys.userConversations(bob.id()), ann.id())).isNull();
		assertThat(WsClient.refusedStatus(http.wsUrl(), Map.of("Authorization", "Bearer " + ann.token())))
			.isEqualTo(401);
	}

	@Test
	void someoneWhoRegistersADeletedGuestsNameIsNoMemberOfTheirRooms() {
		rooms.createIfAbsent(room, "Kept", "");
		Guest carl = http.guest("carl" + suffix);
		rooms.join(carl.id(), room);
		awaitDeleted(carl.id());

		User registered = users.register(new Registration("carl" + suffix, "carl's password", null));

		assertThat(registered.id()).isEqualTo(carl.id());
		assertThat(rooms.isMember(registered.id(), room)).isFalse();
		assertThat(redis.opsForSet().isMember(RedisKeys.roomMembers(room), registered.id())).isFalse();
	}

	private void awaitDeleted(String userId) {
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> !Boolean.TRUE.equals(redis.hasKey(RedisKeys.user(userId))));
	}

	private Guest registeredWithToken(String username) {
		users.register(new Registration(username, username + " password", null));
		JsonNode body = ParleyHttp
			.json(http.postJson("/api/auth/token", Map.of("username", username, "password", username + " password")));
		return new Guest(body.path("token").asString(), body.path("user").path("id").asString(),
				body.path("user").path("name").asString());
	}

}
