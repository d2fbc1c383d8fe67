package dev.parley.user;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.parley.config.RedisKeys;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.RedisMonitor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ParleyIntegrationTest
class UserServiceIT {

	@Autowired
	UserService users;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	LettuceConnectionFactory connectionFactory;

	@Test
	void anAccountIsWrittenInOneCommandSoThatNoHalfOfItCanBeLeftBehind() throws Exception {
		String member = unique("whole");
		String guestName = unique("Guest");
		try (RedisMonitor monitor = new RedisMonitor(connectionFactory.getPort())) {
			users.register(new Registration(member, "secret-password", "Whole"));
			User guest = users.createGuest(guestName);
			await().untilAsserted(() -> assertThat(monitor.clientCommandsOn(RedisKeys.user(guest.id()))).isNotEmpty());

			assertThat(monitor.clientCommandsOn(RedisKeys.user(member))).isNotEmpty().isSubsetOf("EVALSHA", "EVAL");
			assertThat(monitor.clientCommandsOn(RedisKeys.user(guest.id()))).isNotEmpty().isSubsetOf("EVALSHA", "EVAL");
		}
		assertThat(redis.opsForHash().entries(RedisKeys.user(member))).containsKeys("name", "password", "guest", "created");
		assertThat(redis.getExpire(RedisKeys.user(member))).isEqualTo(-1);
		assertThat(redis.getExpire(RedisKeys.user(guestName.toLowerCase()))).isPositive();
		assertThat(redis.opsForZSet().score(RedisKeys.GUESTS, guestName.toLowerCase())).isNotNull();
	}

	@Test
	void hotPathLookupsReuseAUserAlreadyReadWhileAccountLookupsReadRedis() throws Exception {
		User ann = users.register(new Registration(unique("ann"), "secret-password", "Ann"));
		assertThat(users.findAsync(ann.id()).get()).contains(ann);

		redis.delete(RedisKeys.user(ann.id()));

		assertThat(users.findAsync(ann.id()).get()).contains(ann);
		assertThat(users.findAll(List.of(ann.id()))).containsExactly(ann);
		assertThat(users.find(ann.id())).isEmpty();
	}

	@Test
	void aUserNotFoundIsFoundAsSoonAsItExists() throws Exception {
		String id = unique("bo");
		assertThat(users.findAsync(id).get()).isEmpty();
		assertThat(users.findAll(List.of(id))).isEmpty();

		User bo = users.register(new Registration(id, "secret-password", "Bo"));

		assertThat(users.findAsync(id).get()).contains(bo);
		assertThat(users.findAll(List.of(id))).containsExactly(bo);
	}

	@Test
	void findAllKeepsTheOrderAskedForAcrossRememberedAndFetchedUsers() throws Exception {
		User first = users.register(new Registration(unique("cy"), "secret-password", "Cy"));
		User second = users.register(new Registration(unique("di"), "secret-password", "Di"));
		User third = users.register(new Registration(unique("ed"), "secret-password", "Ed"));
		users.findAsync(second.id()).get();

		assertThat(users.findAll(List.of(third.id(), "nobody-" + UUID.randomUUID(), second.id(), first.id())))
			.containsExactly(third, second, first);
	}

	@Test
	void theBotNeverTakesOverAUsernameThatAPersonOrGuestHolds() {
		User person = users.register(new Registration(unique("taken"), "secret-password", "Person"));
		User guest = users.createGuest(unique("guestbot"));
		assertThat(users.ensureBot(person.id(), "Bot")).isEmpty();
		assertThat(users.ensureBot(guest.id(), "Bot")).isEmpty();
		assertThat(users.find(person.id())).contains(person);
		assertThat(users.passwordHash(person.id())).isPresent();
		assertThat(users.find(guest.id())).contains(guest);

		String botId = unique("bot");
		assertThat(users.ensureBot(botId, "Helper")).contains(new User(botId, "Helper", false, true));
		assertThat(users.ensureBot(botId, "Renamed")).as("a restart may rename it").isPresent();
		assertThat(users.find(botId)).contains(new User(botId, "Renamed", false, true));
		assertThat(users.passwordHash(botId)).isEmpty();
	}

	private static String unique(String prefix) {
		return prefix + UUID.randomUUID().toString().substring(0, 8);
	}

}
