package dev.parley.security;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.parley.delivery.Hub;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyInstance;
import dev.parley.support.TwoInstances;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Per client address, counted in Redis for both instances together: accounts, guests, tokens and
 * handshakes past their count get 429 with Retry-After; a user's live connections are capped. Each
 * test poses as addresses of its own (X-Forwarded-For from the trusted loopback).
 */
class ThrottleIT {

	@RegisterExtension
	static final TwoInstances instances = TwoInstances.withProperties("parley.throttle.accounts=2",
			"parley.throttle.guests=2", "parley.throttle.tokens=3", "parley.throttle.handshakes=5",
			"parley.throttle.connections-per-user=2", "parley.throttle.connections-per-address=3",
			"parley.throttle.rooms=1");

	@Test
	void guestsFromOneAddressAreCountedByBothInstancesTogether() {
		Map<String, String> from = client("198.51.100.1");
		assertThat(guest(instances.a(), "One", from).statusCode()).isEqualTo(200);
		assertThat(guest(instances.b(), "Two", from).statusCode()).isEqualTo(200);

		HttpResponse<String> third = guest(instances.a(), "Three", from);
		assertThat(third.statusCode()).isEqualTo(429);
		assertThat(third.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
				seconds -> assertThat(seconds).isBetween(1L, 60L));
		assertThat(ParleyHttp.json(third).path("error").asString()).contains("too many guests");
		assertThat(instances.a().bean(dev.parley.user.UserService.class).find("three")).as("nothing created").isEmpty();

		assertThat(guest(instances.a(), "Four",
				client("198.51.100.2")).statusCode()).as("another address").isEqualTo(200);
	}

	@Test
	void accountsAndTokensFromOneAddressArePaced() {
		Map<String, String> from = client("198.51.100.3");
		for (int i = 0; i < 2; i++) {
			assertThat(instances.a().http().postJson("/api/users", account("pace" + i + System.nanoTime() % 100000),
					from)
				.statusCode()).isEqualTo(201);
		}
		assertThat(instances.b().http().postJson("/api/users", account("pace" + System.nanoTime() % 100000),
				from).statusCode())
			.isEqualTo(429);

		for (int i = 0; i < 3; i++) {
			assertThat(instances.a().http().postJson("/api/auth/token", account("nobody"),
					from).statusCode()).isEqualTo(401);
		}
		assertThat(instances.a().http().postJson("/api/auth/token", account("nobody"),
				from).statusCode()).isEqualTo(429);
	}

	@Test
	void handshakesFromOneAddressArePacedAndAUsersConnectionsAreCapped() {
		String token = ParleyHttp.json(guest(instances.a(), "Caps", client("198.51.100.4"))).path("token").asString();
		Map<String, String> first = Map.of("Authorization", "Bearer " + token, "X-Forwarded-For", "198.51.100.5");
		Map<String, String> second = Map.of("Authorization", "Bearer " + token, "X-Forwarded-For", "198.51.100.6");
		try (WsClient one = WsClient.connect(instances.a().http().wsUrl(), first);
				WsClient two = WsClient.connect(instances.b().http().wsUrl(), second)) {
			one.next("welcome");
			two.next("welcome");
			assertThat(WsClient.refusedStatus(instances.a().http().wsUrl(),
					Map.of("Authorization", "Bearer " + token, "X-Forwarded-For", "198.51.100.7")))
				.as("a third connection of the same user").isEqualTo(429);
		}
		Map<String, String> noToken = client("198.51.100.8");
		for (int i = 0; i < 5; i++) {
			assertThat(WsClient.refusedStatus(instances.a().http().wsUrl(), noToken)).isEqualTo(401);
		}
		assertThat(WsClient.refusedStatus(instances.b().http().wsUrl(), noToken)).as("the sixth handshake")
			.isEqualTo(429);
		HttpRequest.Builder seventh = HttpRequest.newBuilder(URI.create(instances.a().http().base() + "/ws"));
		noToken.forEach(seventh::header);
		HttpResponse<String> refused = instances.a().http().send(seventh.build());
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
				seconds -> assertThat(seconds).isBetween(1L, 60L));
		assertThat(refused.body()).startsWith("too many handshakes from your address");
	}

	@Test
	void oneAddressHoldsAtMostItsShareOfAnInstancesConnections() {
		Map<String, String> from = client("198.51.100.9");
		List<String> tokens = List.of(token("Crowd1", "198.51.100.10"), token("Crowd2", "198.51.100.11"));
		List<WsClient> held = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				held.add(WsClient.connect(instances.a().http().wsUrl(), Map.of("Authorization",
						"Bearer " + tokens.get(i % 2), "X-Forwarded-For", from.get("X-Forwarded-For"))));
			}
			held.forEach(ws -> ws.next("welcome"));
			Map<String, String> fourth = Map.of("Authorization", "Bearer " + tokens.get(1), "X-Forwarded-For",
					from.get("X-Forwarded-For"));
			assertThat(WsClient.refusedStatus(instances.a().http().wsUrl(), fourth)).isEqualTo(429);
			held.remove(0).close();
			await().untilAsserted(() -> assertThat(
					instances.a().bean(Hub.class).connectionsFrom("198.51.100.9")).isEqualTo(2));
			held.add(WsClient.connect(instances.a().http().wsUrl(), fourth));
			assertThat(held.get(2).next("welcome")).as("a place came free").isNotNull();
		}
		finally {
			held.forEach(WsClient::close);
		}
	}

	private static String token(String name, String address) {
		return ParleyHttp.json(guest(instances.a(), name, client(address))).path("token").asString();
	}

	@Test
	void roomsMadeFromOneAddressArePaced() {
		Map<String, String> from = client("198.51.100.9");
		String token = ParleyHttp.json(guest(instances.a(), "Maker", from)).path("token").asString();
		Map<String, String> signedIn = Map.of("X-Forwarded-For", "198.51.100.9", "Authorization", "Bearer " + token);
		String slug = "paced-" + System.nanoTime() % 1_000_000;

		assertThat(instances.a().http().postJson("/api/rooms", Map.of("slug", slug, "name", "One"), signedIn)
			.statusCode()).isEqualTo(201);
		assertThat(instances.b().http().postJson("/api/rooms", Map.of("slug", slug + "-b", "name", "Two"), signedIn)
			.statusCode()).isEqualTo(429);
		assertThat(instances.a().bean(dev.parley.room.RoomService.class).find(slug + "-b")).isEmpty();
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
