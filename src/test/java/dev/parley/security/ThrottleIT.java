package dev.parley.security;

import java.net.http.HttpResponse;
import java.util.Map;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyInstance;
import dev.parley.support.TestRedis;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per client address, counted in Redis for both instances together: accounts, guests, tokens and
 * handshakes past their count get 429 with Retry-After; a user's live connections are capped. Each
 * test poses as addresses of its own (X-Forwarded-For from the trusted loopback).
 */
class ThrottleIT {

	static TestRedis redis;

	static ParleyInstance a;

	static ParleyInstance b;

	@BeforeAll
	static void start() {
		redis = new TestRedis();
		String[] limits = { "parley.throttle.accounts=2", "parley.throttle.guests=2", "parley.throttle.tokens=3",
				"parley.throttle.handshakes=3", "parley.throttle.connections-per-user=2" };
		a = ParleyInstance.start(redis.port(), limits);
		b = ParleyInstance.start(redis.port(), limits);
	}

	@AfterAll
	static void stop() {
		b.close();
		a.close();
		redis.close();
	}

	@Test
	void guestsFromOneAddressAreCountedByBothInstancesTogether() {
		Map<String, String> from = client("198.51.100.1");
		assertThat(guest(a, "One", from).statusCode()).isEqualTo(200);
		assertThat(guest(b, "Two", from).statusCode()).isEqualTo(200);

		HttpResponse<String> third = guest(a, "Three", from);
		assertThat(third.statusCode()).isEqualTo(429);
		assertThat(third.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
				seconds -> assertThat(seconds).isBetween(1L, 60L));
		assertThat(ParleyHttp.json(third).path("error").asString()).contains("too many guests");
		assertThat(a.bean(dev.parley.user.UserService.class).find("three")).as("nothing created").isEmpty();

		assertThat(guest(a, "Four", client("198.51.100.2")).statusCode()).as("another address").isEqualTo(200);
	}

	@Test
	void accountsAndTokensFromOneAddressArePaced() {
		Map<String, String> from = client("198.51.100.3");
		for (int i = 0; i < 2; i++) {
			assertThat(a.http().postJson("/api/users", account("pace" + i + System.nanoTime() % 100000), from)
				.statusCode()).isEqualTo(201);
		}
		assertThat(b.http().postJson("/api/users", account("pace" + System.nanoTime() % 100000), from).statusCode())
			.isEqualTo(429);

		for (int i = 0; i < 3; i++) {
			assertThat(a.http().postJson("/api/auth/token", account("nobody"), from).statusCode()).isEqualTo(401);
		}
		assertThat(a.http().postJson("/api/auth/token", account("nobody"), from).statusCode()).isEqualTo(429);
	}

	@Test
	void handshakesFromOneAddressArePacedAndAUsersConnectionsAreCapped() {
		String token = ParleyHttp.json(guest(a, "Caps", client("198.51.100.4"))).path("token").asString();
		Map<String, String> first = Map.of("Authorization", "Bearer " + token, "X-Forwarded-For", "198.51.100.5");
		Map<String, String> second = Map.of("Authorization", "Bearer " + token, "X-Forwarded-For", "198.51.100.6");
		try (WsClient one = WsClient.connect(a.http().wsUrl(), first);
				WsClient two = WsClient.connect(b.http().wsUrl(), second)) {
			one.next("welcome");
			two.next("welcome");
			assertThat(WsClient.refusedStatus(a.http().wsUrl(),
					Map.of("Authorization", "Bearer " + token, "X-Forwarded-For", "198.51.100.7")))
				.as("a third connection of the same user").isEqualTo(429);
		}
		Map<String, String> noToken = client("198.51.100.8");
		for (int i = 0; i < 3; i++) {
			assertThat(WsClient.refusedStatus(a.http().wsUrl(), noToken)).isEqualTo(401);
		}
		assertThat(WsClient.refusedStatus(b.http().wsUrl(), noToken)).as("the fourth handshake").isEqualTo(429);
	}

	private static HttpResponse<String> guest(ParleyInstance instance, String name, Map<String, String> from) {
		return instance.http().postJson("/api/auth/guest", Map.of("name", name), from);
	}

	private static Map<String, Object> account(String username) {
		return Map.of("username", username, "password", "a good password");
	}

	private static Map<String, String> client(String address) {
		return Map.of("X-Forwarded-For", address);
	}

}
