package dev.parley.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A mute ends on its own, stops only its user, and covers private messages too. */
@ParleyIntegrationTest
class MuteIT {

	@Autowired
	ParleyHttp http;

	@Autowired
	MuteList mutes;

	@Test
	void aMuteEndsOnItsOwnAtItsTime() {
		Guest guest = http.guest("Brief");
		try (WsClient ws = http.connectWelcomed(guest)) {
			ws.request(Map.of("type", "join", "room", "lobby"));
			Instant until = Instant.now().plusMillis(800);
			mutes.mute(guest.id(), until);

			assertThat(ws.request(Map.of("type", "message", "room", "lobby", "text", "now?")).path("code").asString())
				.isEqualTo("forbidden");
			assertThat(mutes.muted()).containsKey(guest.id());
			await().pollDelay(Duration.between(Instant.now(), until).plusMillis(50)).until(() -> true);

			assertThat(ws.request(Map.of("type", "message", "room", "lobby", "text", "now!")).path("type").asString())
				.isEqualTo("ack");
			assertThat(mutes.muted()).doesNotContainKey(guest.id());
		}
	}

	@Test
	void aMutedSendersMessageFailsAloneAmongOthersStoredAtTheSameTime() {
		Guest muted = http.guest("Muted");
		Guest free = http.guest("Free");
		try (WsClient a = http.connectWelcomed(muted); WsClient b = http.connectWelcomed(free)) {
			a.request(Map.of("type", "join", "room", "lobby"));
			b.request(Map.of("type", "join", "room", "lobby"));
			mutes.mute(muted.id(), Instant.now().plusSeconds(60));
			for (int i = 0; i < 20; i++) {
				a.send(Map.of("type", "message", "room", "lobby", "text", "m" + i, "ref", "a" + i));
				b.send(Map.of("type", "message", "room", "lobby", "text", "f" + i, "ref", "b" + i));
			}
			for (int i = 0; i < 20; i++) {
				String ref = "a" + i;
				assertThat(a.next(frame -> ref.equals(frame.path("ref").asString()), ref).path("code").asString())
					.isEqualTo("forbidden");
				String other = "b" + i;
				assertThat(b.next(frame -> other.equals(frame.path("ref").asString()), other).path("type").asString())
					.isEqualTo("ack");
			}
			mutes.unmute(muted.id());
		}
	}

	@Test
	void aMutedUserMaySendNoPrivateMessageAndAnUnmutedOneMayAgain() {
		Guest muted = http.guest("Hushed");
		Guest friend = http.guest("Friend");
		try (WsClient ws = http.connectWelcomed(muted)) {
			mutes.mute(muted.id(), Instant.now().plusSeconds(60));
			assertThat(ws.request(Map.of("type", "private", "to", friend.id(), "text", "psst")).path("code").asString())
				.isEqualTo("forbidden");
			assertThat(mutes.unmute(muted.id())).isTrue();
			assertThat(ws.request(Map.of("type", "private", "to", friend.id(), "text", "hello")).path("type").asString())
				.isEqualTo("ack");
		}
	}

}
