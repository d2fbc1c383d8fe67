package dev.parley.chat;

import java.time.Instant;
import java.util.Map;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import dev.parley.user.UserService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** A mute is checked in Redis where the message is stored: it ends on its own, and it stops only its user. */
@ParleyIntegrationTest
class MuteIT {

	@Autowired
	ParleyHttp http;

	@Autowired
	UserService users;

	@Test
	void aMuteEndsOnItsOwnAtItsTime() throws InterruptedException {
		Guest guest = http.guest("Brief");
		try (WsClient ws = http.connectWelcomed(guest)) {
			ws.request(Map.of("type", "join", "room", "lobby"));
			Instant until = Instant.now().plusMillis(800);
			users.mute(guest.id(), until);

			assertThat(ws.request(Map.of("type", "message", "room", "lobby", "text", "now?")).path("code").asString())
				.isEqualTo("forbidden");
			assertThat(users.muted()).containsKey(guest.id());
			Thread.sleep(Math.max(0, until.toEpochMilli() - System.currentTimeMillis()) + 50);

			assertThat(ws.request(Map.of("type", "message", "room", "lobby", "text", "now!")).path("type").asString())
				.isEqualTo("ack");
			assertThat(users.muted()).doesNotContainKey(guest.id());
		}
	}

	@Test
	void aMutedSendersMessageFailsAloneAmongOthersStoredAtTheSameTime() {
		Guest muted = http.guest("Muted");
		Guest free = http.guest("Free");
		try (WsClient a = http.connectWelcomed(muted); WsClient b = http.connectWelcomed(free)) {
			a.request(Map.of("type", "join", "room", "lobby"));
			b.request(Map.of("type", "join", "room", "lobby"));
			users.mute(muted.id(), Instant.now().plusSeconds(60));
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
			users.unmute(muted.id());
		}
	}

}
