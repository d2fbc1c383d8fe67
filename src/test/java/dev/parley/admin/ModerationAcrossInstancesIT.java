package dev.parley.admin;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import dev.parley.user.UserService;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.TwoInstances;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Admin actions taken on one instance reach the user's connections on every instance. */
class ModerationAcrossInstancesIT {

	private static final String BOBS_ADDRESS = "203.0.113.7";

	@RegisterExtension
	static final TwoInstances instances = TwoInstances.withProperties("parley.admin.guest-address-ban=1h");

	@Test
	void aKickOnOneInstanceRemovesTheUserFromTheRoomOnTheOther() {
		String room = instances.a().newRoom("kick");
		Guest ann = instances.a().http().guest("Ann");
		Guest bob = instances.b().http().guest("Bob");
		try (WsClient annWs = instances.a().http().connectWelcomed(ann);
				WsClient bobWs = instances.b().http().connectWelcomed(bob)) {
			annWs.request(Map.of("type", "join", "room", room));
			bobWs.request(Map.of("type", "join", "room", room));

			instances.a().bean(ModerationService.class).kick(bob.id(), room, "spam");

			JsonNode kicked = bobWs.next("kicked");
			assertThat(kicked.path("room").asString()).isEqualTo(room);
			assertThat(kicked.path("reason").asString()).isEqualTo("spam");
			assertThat(annWs.next(f -> f.path("type").asString().equals("presence")
					&& f.path("event").asString().equals("leave"), "presence leave").path("user").path("id").asString())
				.isEqualTo(bob.id());
			assertThat(bobWs.request(Map.of("type", "message", "room", room, "text", "still here?")).path("code")
				.asString()).isEqualTo("not_member");
			annWs.request(Map.of("type", "message", "room", room, "text", "bye Bob"));
			bobWs.expectNone("message", 500);
		}
	}

	@Test
	void aBanOnOneInstanceClosesTheUsersConnectionsOnEveryInstanceAndRefusesNewOnesWithTheReason() {
		Guest bob = guestFrom(BOBS_ADDRESS, "Bob");
		try (WsClient onA = instances.a().http().connectWelcomed(bob);
				WsClient onB = instances.b().http().connectWelcomed(bob)) {
			instances.a().bean(ModerationService.class).ban(bob.id(), "abuse");

			assertThat(onA.awaitClose()).isEqualTo(1008);
			assertThat(onB.awaitClose()).isEqualTo(1008);
			assertThat(onB.closeReason()).isEqualTo("abuse");
		}
		assertThat(WsClient.refusedStatus(instances.b().http().wsUrl(), Map.of("Authorization",
				"Bearer " + bob.token())))
			.isEqualTo(403);
		HttpResponse<String> asked = instances.b().http().api(bob.token(), "/ws", null);
		assertThat(asked.statusCode()).isEqualTo(403);
		assertThat(ParleyHttp.json(asked).path("error").asString()).isEqualTo("banned");
		assertThat(ParleyHttp.json(asked).path("reason").asString()).isEqualTo("abuse");

		HttpResponse<String> again = instances.a().http().postJson("/api/auth/guest", Map.of("name", "Bobby"),
				Map.of("X-Forwarded-For", BOBS_ADDRESS));
		assertThat(again.statusCode()).as("a new guest from the banned guest's address").isEqualTo(403);
		assertThat(ParleyHttp.json(again).path("reason").asString()).isEqualTo("abuse");
		assertThat(instances.a().bean(UserService.class).find("bobby")).isEmpty();
		assertThat(guestFrom("203.0.113.8", "Other").id()).as("another address").isNotBlank();

		instances.a().bean(ModerationService.class).unban(bob.id());
		try (WsClient back = instances.b().http().connectWelcomed(bob)) {
			assertThat(back.isClosed()).isFalse();
		}
		assertThat(guestFrom(BOBS_ADDRESS, "Bobby").name()).as("the unban lifts the address's ban too").isEqualTo("Bobby");
	}

	private static Guest guestFrom(String address, String name) {
		HttpResponse<String> made = instances.a().http().postJson("/api/auth/guest", Map.of("name", name),
				Map.of("X-Forwarded-For", address));
		assertThat(made.statusCode()).isEqualTo(200);
		JsonNode body = ParleyHttp.json(made);
		return new Guest(body.path("token").asString(), body.path("user").path("id").asString(),
				body.path("user").path("name").asString());
	}

	@Test
	void aMuteOnOneInstanceRefusesTheUsersMessagesOnTheOtherAndAnUnmuteLetsThemThroughAgain() {
		String room = instances.a().newRoom("hush");
		Guest bob = instances.b().http().guest("Bob");
		try (WsClient onB = instances.b().http().connectWelcomed(bob)) {
			onB.request(Map.of("type", "join", "room", room));
			instances.a().bean(ModerationService.class).mute(bob.id(), Duration.ofMinutes(5), null);

			// the other instance hears of it within a pub/sub delivery
			await().atMost(Duration.ofSeconds(2))
				.until(() -> onB.request(Map.of("type", "message", "room", room, "text", "still?")).path("code").asString(),
						"forbidden"::equals);
			assertThat(onB.request(Map.of("type", "private", "to", "nobody-" + System.nanoTime(), "text", "psst"))
				.path("code").asString()).isEqualTo("forbidden");

			instances.a().bean(ModerationService.class).unmute(bob.id());
			await().atMost(Duration.ofSeconds(2))
				.until(() -> onB.request(Map.of("type", "message", "room", room, "text", "back")).path("type").asString(),
						"ack"::equals);
		}
	}

	@Test
	void anAnnouncementReachesEveryConnectionOnEveryInstanceAndARoomAnnouncementOnlyItsMembers() {
		String room = instances.a().newRoom("news");
		Guest ann = instances.a().http().guest("Ann");
		Guest bob = instances.b().http().guest("Bob");
		try (WsClient annWs = instances.a().http().connectWelcomed(ann);
				WsClient bobWs = instances.b().http().connectWelcomed(bob)) {
			bobWs.request(Map.of("type", "join", "room", room));

			instances.b().bean(ModerationService.class).announce(null, "maintenance at noon");

			for (WsClient ws : new WsClient[] { annWs, bobWs }) {
				JsonNode notice = ws.next("system");
				assertThat(notice.path("text").asString()).isEqualTo("maintenance at noon");
				assertThat(notice.has("room")).isFalse();
			}

			instances.a().bean(ModerationService.class).announce(room, "welcome to the news room");

			assertThat(bobWs.next("system").path("room").asString()).isEqualTo(room);
			annWs.expectNone("system", 500);
		}
	}

}
