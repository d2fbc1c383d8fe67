package dev.parley.room;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import dev.parley.user.UserService;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/rooms}, the chat page's list of rooms to join and its way to make one, over real HTTP. */
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
		assertThat(first.path("private").asBoolean()).isFalse();
		assertThat(first.path("members").asLong()).isZero();
	}

	@Test
	void aUserCreatesARoomTheyOwnAndBelongToAndTheListCountsItsMembers() {
		Guest ann = http.guest("Ann");
		String slug = "made-" + System.nanoTime() % 1_000_000;
		try (WsClient annOnline = http.connectWelcomed(ann)) {
			HttpResponse<String> created = http.api(ann.token(), "/api/rooms",
					Map.of("slug", slug, "name", "  Book club\u0007 ", "topic", "what we read"));

			assertThat(created.statusCode()).isEqualTo(201);
			JsonNode room = ParleyHttp.json(created);
			assertThat(room.path("name").asString()).isEqualTo("Book club");
			assertThat(room.path("members").asLong()).isEqualTo(1);
			assertThat(rooms.find(slug)).hasValueSatisfying(found -> {
				assertThat(found.owner()).isEqualTo(ann.id());
				assertThat(found.privateRoom()).isFalse();
			});
			assertThat(rooms.isModerator(ann.id(), slug)).isTrue();
			JsonNode joined = annOnline.request(Map.of("type", "join", "room", slug));
			assertThat(joined.path("type").asString()).isEqualTo("joined");
			assertThat(joined.path("moderator").asBoolean()).isTrue();
		}
		// the bot and the admins' announcer join rooms to speak in them: they are not people to count
		rooms.join("parley-bot", slug);
		rooms.join(UserService.ANNOUNCER_ID, slug);
		Guest ben = http.guest("Ben");
		JsonNode listed = ParleyHttp.json(http.api(ben.token(), "/api/rooms", null));
		JsonNode mine = listed.get(listed.findValuesAsString("slug").indexOf(slug));
		assertThat(mine.path("members").asLong()).isEqualTo(1);
		assertThat(mine.path("topic").asString()).isEqualTo("what we read");
	}

	@Test
	void aRoomThatCannotBeMadeIsRefusedWithTheReasonAndNothingIsStored() {
		Guest ann = http.guest("Ann");
		String slug = "taken-" + System.nanoTime() % 1_000_000;
		assertThat(http.api(ann.token(), "/api/rooms", Map.of("slug", slug, "name", "First")).statusCode()).isEqualTo(201);

		assertRefused(http.api(ann.token(), "/api/rooms", Map.of("slug", slug, "name", "Second")), 409, "already");
		assertRefused(http.api(ann.token(), "/api/rooms", Map.of("slug", "Not A Slug", "name", "x")), 400, "address");
		assertRefused(http.api(ann.token(), "/api/rooms", Map.of("slug", slug + "-b", "name", "x".repeat(61))), 400,
				"name");
		assertRefused(http.api(ann.token(), "/api/rooms", Map.of("name", "no slug")), 400, "address");
		assertThat(http.api(null, "/api/rooms", Map.of("slug", slug + "-c", "name", "x")).statusCode()).isEqualTo(401);

		assertThat(rooms.find(slug).map(Room::name)).hasValue("First");
		assertThat(rooms.find(slug + "-b")).isEmpty();
		assertThat(rooms.find(slug + "-c")).isEmpty();
	}

	@Test
	void aPrivateRoomIsListedOnlyToItsMembers() {
		Guest owner = http.guest("Owner");
		Guest other = http.guest("Other");
		String slug = "hidden-" + System.nanoTime() % 1_000_000;
		HttpResponse<String> created = http.api(owner.token(), "/api/rooms",
				Map.of("slug", slug, "name", "Hidden", "private", true));
		assertThat(ParleyHttp.json(created).path("private").asBoolean()).isTrue();

		JsonNode forOwner = ParleyHttp.json(http.api(owner.token(), "/api/rooms", null));
		assertThat(forOwner.get(forOwner.findValuesAsString("slug").indexOf(slug)).path("private").asBoolean()).isTrue();
		assertThat(ParleyHttp.json(http.api(other.token(), "/api/rooms", null)).findValuesAsString("slug"))
			.doesNotContain(slug);
	}

	private static void assertRefused(HttpResponse<String> response, int status, String reason) {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(ParleyHttp.json(response).path("error").asString()).containsIgnoringCase(reason);
	}

}
