package dev.parley.admin;

import java.util.Map;

import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyInstance;
import dev.parley.support.TestRedis;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Admin actions taken on one instance reach the user's connections on every instance. */
class ModerationAcrossInstancesIT {

	static TestRedis redis;

	static ParleyInstance a;

	static ParleyInstance b;

	@BeforeAll
	static void start() {
		redis = new TestRedis();
		a = ParleyInstance.start(redis.port());
		b = ParleyInstance.start(redis.port());
	}

	@AfterAll
	static void stop() {
		b.close();
		a.close();
		redis.close();
	}

	@Test
	void aKickOnOneInstanceRemovesTheUserFromTheRoomOnTheOther() {
		String room = a.newRoom("kick");
		Guest ann = a.http().guest("Ann");
		Guest bob = b.http().guest("Bob");
		try (WsClient annWs = a.http().connectWelcomed(ann); WsClient bobWs = b.http().connectWelcomed(bob)) {
			annWs.request(Map.of("type", "join", "room", room));
			bobWs.request(Map.of("type", "join", "room", room));

			a.bean(ModerationService.class).kick(bob.id(), room, "spam");

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
	void aBanOnOneInstanceClosesTheUsersConnectionsOnEveryInstanceAndRefusesNewOnes() {
		Guest bob = b.http().guest("Bob");
		try (WsClient onA = a.http().connectWelcomed(bob); WsClient onB = b.http().connectWelcomed(bob)) {
			a.bean(ModerationService.class).ban(bob.id(), "abuse");

			assertThat(onA.awaitClose()).isEqualTo(1008);
			assertThat(onB.awaitClose()).isEqualTo(1008);
		}
		assertThat(WsClient.refusedStatus(b.http().wsUrl(), Map.of("Authorization", "Bearer " + bob.token())))
			.isEqualTo(403);
		a.bean(ModerationService.class).unban(bob.id());
		try (WsClient again = b.http().connectWelcomed(bob)) {
			assertThat(again.isClosed()).isFalse();
		}
	}

	@Test
	void anAnnouncementReachesEveryConnectionOnEveryInstanceAndARoomAnnouncementOnlyItsMembers() {
		String room = a.newRoom("news");
		Guest ann = a.http().guest("Ann");
		Guest bob = b.http().guest("Bob");
		try (WsClient annWs = a.http().connectWelcomed(ann); WsClient bobWs = b.http().connectWelcomed(bob)) {
			bobWs.request(Map.of("type", "join", "room", room));

			b.bean(ModerationService.class).announce(null, "maintenance at noon");

			for (WsClient ws : new WsClient[] { annWs, bobWs }) {
				JsonNode notice = ws.next("system");
				assertThat(notice.path("text").asString()).isEqualTo("maintenance at noon");
				assertThat(notice.has("room")).isFalse();
			}

			a.bean(ModerationService.class).announce(room, "welcome to the news room");

			assertThat(bobWs.next("system").path("room").asString()).isEqualTo(room);
			annWs.expectNone("system", 500);
		}
	}

}
