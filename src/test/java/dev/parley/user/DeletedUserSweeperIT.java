package dev.parley.user;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisKeys;
import dev.parley.room.RoomService;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What guests deleted after their TTL (2 s here) left goes at the next sweep (every second here). */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.auth.guest-ttl=2s", "parley.auth.sweep-interval=1s" })
class DeletedUserSweeperIT {

	@Autowired
	ParleyHttp http;

	@Autowired
	UserService users;

	@Autowired
	RoomService rooms;

	@Autowired
	UserDirectory directory;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	ParleyProperties properties;

	@Test
	void aDeletedGuestLeavesEveryRoomAndTheirConversationsGoWithThem() {
		String suffix = Long.toString(System.nanoTime() % 1_000_000);
		String room = "swept-" + suffix;
		rooms.createIfAbsent(room, "Swept", "");
		User dan = users.register(new Registration("dan" + suffix, "dan's password", null));
		rooms.join(dan.id(), room);
		Guest eve = http.guest("eve" + suffix);
		try (WsClient e = http.connectWelcomed(eve)) {
			e.request(Map.of("type", "join", "room", room));
			e.request(Map.of("type", "private", "to", dan.id(), "text", "hello dan"));
		}
		assertThat(redis.hasKey(RedisKeys.conversationHistory(eve.id(), dan.id()))).isTrue();
		assertThat(directory.search(eve.id())).contains(eve.id());

		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> !Boolean.TRUE.equals(redis.opsForSet().isMember(RedisKeys.roomMembers(room), eve.id())));

		assertThat(redis.hasKey(RedisKeys.conversationHistory(eve.id(), dan.id()))).isFalse();
		assertThat(redis.opsForZSet().score(RedisKeys.userConversations(dan.id()), eve.id())).isNull();
		assertThat(redis.opsForSet().isMember(RedisKeys.roomMembers(room), dan.id())).isTrue();
		assertThat(redis.opsForZSet().score(RedisKeys.GUESTS, eve.id())).isNull();
		assertThat(directory.search(eve.id())).as("gone from the directory").doesNotContain(eve.id());
		assertThat(redis.opsForHash().hasKey(RedisKeys.DIRECTORY_NAMES, eve.id())).isFalse();
	}

	@Test
	void aDeletedGuestsFilesGoFromRedisAndTheStore() {
		String suffix = Long.toString(System.nanoTime() % 1_000_000);
		String room = "files-swept-" + suffix;
		rooms.createIfAbsent(room, "Files", "");
		Guest ida = http.guest("ida" + suffix);
		HttpResponse<String> uploaded = http.upload(ida.token(), "note.txt", "text/plain",
				"left behind".getBytes(StandardCharsets.UTF_8));
		String id = ParleyHttp.json(uploaded).path("file").path("id").asString();
		try (WsClient i = http.connectWelcomed(ida)) {
			i.request(Map.of("type", "join", "room", room));
			i.request(Map.of("type", "message", "room", room, "text", "a note", "files", List.of(id)));
		}
		Path stored = properties.files().dir().resolve(id);
		assertThat(stored).exists();

		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> !Boolean.TRUE.equals(redis.hasKey(RedisKeys.file(id))));

		assertThat(stored).doesNotExist();
		assertThat(redis.hasKey(RedisKeys.userFiles(ida.id()))).isFalse();
	}

	@Test
	void aDeletedGuestInNoRoomLosesTheirConversationsToo() {
		String suffix = Long.toString(System.nanoTime() % 1_000_000);
		User fay = users.register(new Registration("fay" + suffix, "fay's password", null));
		Guest gus = http.guest("gus" + suffix);
		try (WsClient g = http.connectWelcomed(gus)) {
			g.request(Map.of("type", "private", "to", fay.id(), "text", "hello fay"));
		}
		assertThat(redis.opsForZSet().score(RedisKeys.userConversations(fay.id()), gus.id())).isNotNull();

		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> redis.opsForZSet().score(RedisKeys.userConversations(fay.id()), gus.id()) == null);

		assertThat(redis.hasKey(RedisKeys.conversationHistory(gus.id(), fay.id()))).isFalse();
	}

	@Test
	void aGuestWhoIsStillThereIsLookedAtAgainOneTtlLater() {
		Guest hal = http.guest("hal" + System.nanoTime() % 1_000_000);
		redis.opsForZSet().add(RedisKeys.GUESTS, hal.id(), 0);
		redis.expire(RedisKeys.user(hal.id()), Duration.ofMinutes(5));

		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> redis.opsForZSet().score(RedisKeys.GUESTS, hal.id()) > System.currentTimeMillis());

		assertThat(redis.hasKey(RedisKeys.user(hal.id()))).isTrue();
	}

}
