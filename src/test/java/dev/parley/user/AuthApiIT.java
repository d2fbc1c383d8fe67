package dev.parley.user;

import java.net.http.HttpResponse;
import java.util.Map;

import dev.parley.config.RedisKeys;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON endpoints of PROTOCOL.md for users and tokens. */
@ParleyIntegrationTest
class AuthApiIT {

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	ParleyHttp http;

	String username;

	@BeforeEach
	void setUp() {
		username = "user" + System.nanoTime() % 100_000_000;
	}

	@Test
	void registrationCreatesAUserWithABcryptHash() {
		HttpResponse<String> created = http.postJson("/api/users",
				Map.of("username", username, "password", "s3cret-pass", "displayName", "Jo <Doe>"));

		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode user = ParleyHttp.json(created).path("user");
		assertThat(user.path("id").asString()).isEqualTo(username);
		assertThat(user.path("name").asString()).isEqualTo("Jo <Doe>");
		assertThat(user.path("guest").asBoolean()).isFalse();
		assertThat(user.has("bot")).isFalse();
		String hash = (String) redis.opsForHash().get(RedisKeys.user(username), "password");
		assertThat(hash).startsWith("$2").doesNotContain("s3cret-pass");
	}

	@Test
	void aTakenUsernameIs409() {
		http.postJson("/api/users", Map.of("username", username, "password", "s3cret-pass"));
		HttpResponse<String> again = http.postJson("/api/users",
				Map.of("username", username.toUpperCase(), "password", "other-pass"));
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(ParleyHttp.json(again).path("error").asString()).contains("taken");
	}

	@Test
	void invalidFieldsAre400WithAReason() {
		HttpResponse<String> shortPassword = http.postJson("/api/users",
				Map.of("username", username, "password", "short"));
		assertThat(shortPassword.statusCode()).isEqualTo(400);
		assertThat(ParleyHttp.json(shortPassword).path("error").asString()).contains("password");
		HttpResponse<String> badName = http.postJson("/api/users",
				Map.of("username", "no spaces allowed", "password", "long-enough"));
		assertThat(badName.statusCode()).isEqualTo(400);
		assertThat(ParleyHttp.json(badName).path("error").asString()).contains("username");
		assertThat(redis.hasKey(RedisKeys.user("no spaces allowed"))).isFalse();
	}

	@Test
	void tokenForGoodCredentialsAnd401ForBadOnes() {
		http.postJson("/api/users", Map.of("username", username, "password", "s3cret-pass"));

		HttpResponse<String> good = http.postJson("/api/auth/token",
				Map.of("username", username, "password", "s3cret-pass"));
		assertThat(good.statusCode()).isEqualTo(200);
		String token = ParleyHttp.json(good).path("token").asString();
		assertThat(token).hasSizeGreaterThan(30);
		assertThat(ParleyHttp.json(good).path("user").path("id").asString()).isEqualTo(username);
		assertThat(redis.keys("parley:token:*")).noneMatch(key -> key.contains(token));

		assertThat(http.postJson("/api/auth/token", Map.of("username", username, "password", "wrong")).statusCode())
			.isEqualTo(401);
		assertThat(http.postJson("/api/auth/token", Map.of("username", "nobody-x", "password", "wrong"))
			.statusCode()).isEqualTo(401);
	}

	@Test
	void tokensExpire() {
		http.postJson("/api/users", Map.of("username", username, "password", "s3cret-pass"));
		http.postJson("/api/auth/token", Map.of("username", username, "password", "s3cret-pass"));
		String key = redis.keys("parley:token:*").iterator().next();
		assertThat(redis.getExpire(key)).isPositive();
	}

	@Test
	void aGuestWhoseNameIsTakenGetsASuffix() {
		String name = "Gus" + System.nanoTime() % 100_000;
		JsonNode first = ParleyHttp.json(http.postJson("/api/auth/guest", Map.of("name", name)));
		JsonNode second = ParleyHttp.json(http.postJson("/api/auth/guest", Map.of("name", name)));

		assertThat(first.path("user").path("name").asString()).isEqualTo(name);
		assertThat(first.path("user").path("guest").asBoolean()).isTrue();
		assertThat(second.path("user").path("name").asString()).isEqualTo(name + "2");
		assertThat(second.path("token").asString()).isNotEqualTo(first.path("token").asString());
		assertThat(redis.getExpire(RedisKeys.user(second.path("user").path("id").asString())))
			.as("guests expire").isPositive();
	}

	@Test
	void crowdedGuestNamesStillGetAFreeName() {
		String name = "Crowd" + System.nanoTime() % 100_000;
		java.util.Set<String> names = new java.util.HashSet<>();
		for (int i = 0; i < 12; i++) {
			HttpResponse<String> response = http.postJson("/api/auth/guest", Map.of("name", name));
			assertThat(response.statusCode()).isEqualTo(200);
			names.add(ParleyHttp.json(response).path("user").path("name").asString());
		}
		assertThat(names).hasSize(12).contains(name, name + "2", name + "9");
		assertThat(names).filteredOn(n -> n.startsWith(name + "-")).hasSize(3);
	}

}
