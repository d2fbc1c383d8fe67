package dev.parley.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.parley.messaging.MessageStore;
import dev.parley.room.RoomService;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import dev.parley.user.User;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client resuming with {@code since} after a long gap gets it a page at a time: {@code joined}
 * carries what fits, {@code "more":true}, and {@code history} with {@code after} the rest.
 */
@ParleyIntegrationTest
class ResumeIT {

	@Autowired
	ParleyHttp http;

	@Autowired
	MessageStore store;

	@Autowired
	RoomService rooms;

	@Test
	void aResumeAfterMoreThanTheSendBufferHoldsSucceedsPageByPage() {
		String room = "resume-" + System.nanoTime();
		rooms.createIfAbsent(room, room, "");
		Guest reader = http.guest("Reader");
		String since;
		try (WsClient first = http.connectWelcomed(reader)) {
			first.request(Map.of("type", "join", "room", room));
			since = store(room, 1, "before the gap").get(0);
		}
		// 300 messages of 4,000 characters: 1.2 million, past the 1 MiB send buffer
		List<String> missed = store(room, 300, "x".repeat(3990));

		try (WsClient again = http.connectWelcomed(reader)) {
			JsonNode joined = again.request(Map.of("type", "join", "room", room, "since", since));
			List<String> received = ids(joined.path("history"));
			assertThat(joined.path("more").asBoolean()).isTrue();
			JsonNode page = joined;
			while (page.path("more").asBoolean()) {
				page = again.request(Map.of("type", "history", "room", room, "after", received.get(received.size() - 1),
						"limit", 100));
				received.addAll(ids(page.path("messages")));
			}
			assertThat(received).containsExactlyElementsOf(missed);
			assertThat(again.isClosed()).isFalse();
		}
	}

	@Test
	void aJoinWithSinceWithinOnePageSaysThereIsNoMore() {
		String room = "resume-" + System.nanoTime();
		rooms.createIfAbsent(room, room, "");
		Guest reader = http.guest("Short");
		try (WsClient ws = http.connectWelcomed(reader)) {
			ws.request(Map.of("type", "join", "room", room));
			List<String> ids = store(room, 3, "hi");
			JsonNode joined = ws.request(Map.of("type", "join", "room", room, "since", ids.get(0)));
			assertThat(ids(joined.path("history"))).containsExactlyElementsOf(ids.subList(1, 3));
			assertThat(joined.path("more").asBoolean(true)).isFalse();
			JsonNode error = ws.request(
					Map.of("type", "history", "room", room, "after", ids.get(0), "before", ids.get(2)));
			assertThat(error.path("code").asString()).isEqualTo("bad_request");
		}
	}

	private static List<String> ids(JsonNode messages) {
		List<String> ids = new ArrayList<>();
		messages.forEach(message -> ids.add(message.path("id").asString()));
		return ids;
	}

	private List<String> store(String room, int count, String text) {
		User writer = User.guest("writer", "Writer");
		rooms.join(writer.id(), room);
		List<CompletableFuture<String>> stored = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			stored.add(store.storeRoomMessage(room, writer, text));
		}
		return stored.stream().map(CompletableFuture::join).toList();
	}

}
