package dev.parley.room;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/rooms}, the chat page's list of rooms to join, over real HTTP. */
@ParleyIntegrationTest
class RoomApiIT {

	@Autowired
	ParleyHttp http;

	@Autowired
	RoomService rooms;

	@Test
	void listsTheOpenRoomsBySlugAndLeavesClosedOnesOut() {
		String prefix = "list-" + System.nanoTime() % 1_000_000 + "-";
		rooms.createIfAbsent(prefix + "b", "Bee", "");
		rooms.createIfAbsent(prefix + "a", "Ay", "the first");
		rooms.createIfAbsent(prefix + "c", "Sea", "");
		rooms.setOpen(prefix + "c", false);

		String username = "lister" + System.nanoTime() % 1_000_000;
		http.postJson("/api/users", Map.of("username", username, "password", "lister password"));
		String session = http.formLogin(username, "lister password");
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/api/rooms"))
			.header("Cookie", session)
			.GET()
			.build());
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode listed = ParleyHttp.json(response);

		List<String> slugs = listed.findValuesAsString("slug");
		assertThat(slugs).isSorted().contains("lobby", prefix + "a", prefix + "b").doesNotContain(prefix + "c");
		JsonNode first = listed.get(slugs.indexOf(prefix + "a"));
		assertThat(first.path("name").asString()).isEqualTo("Ay");
		assertThat(first.path("topic").asString()).isEqualTo("the first");
	}

}
