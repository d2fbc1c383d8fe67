package dev.parley.bot;

import java.util.Map;

import dev.parley.room.RoomService;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The bot over real WebSockets: it answers a mention in a room, as a user marked as a bot, and nothing else. */
@ParleyIntegrationTest
class BotIT {

	@Autowired
	RoomService rooms;

	@Autowired
	ParleyHttp http;

	String room;

	@BeforeEach
	void freshRoom() {
		room = "bot-" + System.nanoTime() % 1_000_000;
		rooms.createIfAbsent(room, "Bot test", "");
	}

	@Test
	void aMentionGetsTheBotsAnswerInTheRoomFromAUserMarkedAsBot() {
		Guest guest = http.guest("Asker");
		try (WsClient ws = http.connectWelcomed(guest); WsClient other = http.connectWelcomed(http.guest("Onlooker"))) {
			ws.request(Map.of("type", "join", "room", room));
			other.request(Map.of("type", "join", "room", room));
			assertThat(ws.request(Map.of("type", "message", "room", room, "text", "hey @parley-bot who"))
				.path("type").asString()).isEqualTo("ack");

			JsonNode answer = botMessage(ws);
			assertThat(answer.path("room").asString()).isEqualTo(room);
			assertThat(answer.path("from").path("id").asString()).isEqualTo("parley-bot");
			assertThat(answer.path("from").path("name").asString()).isEqualTo("Parley Bot");
			assertThat(answer.path("from").path("bot").asBoolean()).isTrue();
			assertThat(answer.path("text").asString()).isEqualTo("@" + guest.id() + " online in this room: Asker, Onlooker.");
			assertThat(botMessage(other).path("id").asString()).isEqualTo(answer.path("id").asString());

			JsonNode history = ws.request(Map.of("type", "history", "room", room, "limit", 10)).path("messages");
			assertThat(history.get(history.size() - 1).path("id").asString()).isEqualTo(answer.path("id").asString());
		}
	}

	@Test
	void textThatDoesNotMentionTheBotGetsNoAnswer() {
		Guest guest = http.guest("Quiet");
		try (WsClient ws = http.connectWelcomed(guest)) {
			ws.request(Map.of("type", "join", "room", room));
			for (String text : new String[] { "parley-bot help", "mail me at me@parley-bot.example",
					"@parley-bot2 who", "@parley-botty who" }) {
				ws.request(Map.of("type", "message", "room", room, "text", text));
			}
			ws.request(Map.of("type", "message", "room", room, "text", "@PARLEY-BOT: roll 2"));
			assertThat(botMessage(ws).path("text").asString()).as("the first answer is to the only mention")
				.matches("@" + guest.id() + " rolled [12] \\(1 to 2\\)\\.");
		}
	}

	@Test
	void theChatPageNamesTheBotSoThatItsPlaceholderCanSuggestAMention() {
		String username = "reader" + System.nanoTime() % 1_000_000;
		http.postJson("/api/users", Map.of("username", username, "password", "reader password"));
		String session = http.formLogin(username, "reader password");
		assertThat(http.page("/", session).body()).contains("data-bot=\"parley-bot\"");
	}

	@Test
	void nobodyCanLogInOrRegisterAsTheBot() {
		assertThat(http.postJson("/api/auth/token", Map.of("username", "parley-bot", "password", "")).statusCode())
			.isEqualTo(401);
		assertThat(http.postJson("/api/users", Map.of("username", "parley-bot", "password", "a long password"))
			.statusCode()).isEqualTo(409);
		assertThat(http.guest("parley-bot").id()).isNotEqualTo("parley-bot");
	}

	private static JsonNode botMessage(WsClient ws) {
		return ws.next(frame -> "message".equals(frame.path("type").asString())
				&& frame.path("from").path("bot").asBoolean(), "bot's message");
	}

}
