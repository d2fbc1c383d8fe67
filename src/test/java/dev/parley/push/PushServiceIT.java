package dev.parley.push;

import java.util.Map;

import dev.parley.chat.ChatException;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The delivery path the push API calls: a user, a room, everyone. */
@ParleyIntegrationTest
class PushServiceIT {

	@LocalServerPort
	int port;

	@Autowired
	PushService push;

	@Test
	void pushesReachTheUserTheRoomAndEveryone() {
		ParleyHttp http = new ParleyHttp(port);
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient a = http.connectWelcomed(ann); WsClient b = http.connectWelcomed(ben)) {
			a.request(Map.of("type", "join", "room", "lobby"));

			push.toUser(ben.id(), WsClient.JSON.readTree("{\"order\":42}"));
			JsonNode toBen = b.next("push");
			assertThat(toBen.path("to").asString()).isEqualTo(ben.id());
			assertThat(toBen.path("data").path("order").asInt()).isEqualTo(42);
			assertThat(toBen.path("ts").asLong()).isPositive();

			push.toRoom("lobby", WsClient.JSON.readTree("[1,2]"));
			JsonNode toLobby = a.next("push");
			assertThat(toLobby.path("room").asString()).isEqualTo("lobby");
			assertThat(toLobby.path("data").size()).isEqualTo(2);

			push.toEveryone(WsClient.JSON.readTree("\"hello\""));
			assertThat(a.next("push").path("data").asString()).isEqualTo("hello");
			assertThat(b.next("push").path("data").asString()).isEqualTo("hello");
		}
	}

	@Test
	void unknownTargetsAreNotFound() {
		assertThatThrownBy(() -> push.toUser("nobody-at-all", WsClient.JSON.readTree("1")))
			.isInstanceOf(ChatException.class);
		assertThatThrownBy(() -> push.toRoom("no-room-here", WsClient.JSON.readTree("1")))
			.isInstanceOf(ChatException.class);
	}

}
