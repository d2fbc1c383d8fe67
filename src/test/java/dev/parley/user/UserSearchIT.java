package dev.parley.user;

import java.util.List;
import java.util.stream.IntStream;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/users?q=}: anyone, online or not, found by the start of their id or name. */
@ParleyIntegrationTest
class UserSearchIT {

	@Autowired
	ParleyHttp http;

	@Autowired
	UserService users;

	@Test
	void findsUsersByTheStartOfTheirIdOrTheirNameInAnyCase() {
		String tag = Long.toString(System.nanoTime() % 1_000_000);
		User zoe = users.register(new Registration("zq" + tag, "zoe's password", "Xanthe Z" + tag));
		Guest asker = http.guest("Seeker");

		assertThat(ids(search(asker, "ZQ" + tag))).containsExactly(zoe.id());
		JsonNode byName = search(asker, "xanthe z" + tag);
		assertThat(ids(byName)).containsExactly(zoe.id());
		assertThat(byName.get(0).path("name").asString()).isEqualTo("Xanthe Z" + tag);
		assertThat(byName.get(0).path("guest").asBoolean()).isFalse();
		assertThat(ids(search(asker, "zq" + tag + "x"))).isEmpty();
		assertThat(ids(search(asker, ""))).isEmpty();
	}

	@Test
	void answersAtMostTwentyUsersOnceEach() {
		String tag = "many" + System.nanoTime() % 1_000_000;
		IntStream.range(0, 25).forEach(i -> users.createGuest(tag + "-" + i));
		Guest asker = http.guest("Seeker");

		List<String> found = ids(search(asker, tag));

		assertThat(found).hasSize(20).doesNotHaveDuplicates().allMatch(id -> id.startsWith(tag));
	}

	@Test
	void theBotAndTheAdminsAnnouncerAreNotPeopleToWriteTo() {
		Guest asker = http.guest("Seeker");
		assertThat(users.find("parley-admins")).hasValueSatisfying(announcer -> assertThat(announcer.bot()).isTrue());

		assertThat(ids(search(asker, "parley-"))).doesNotContain("parley-admins", "parley-bot");
	}

	@Test
	void searchingNeedsASignedInUser() {
		assertThat(http.api(null, "/api/users?q=a", null).statusCode()).isEqualTo(401);
	}

	private JsonNode search(Guest asker, String prefix) {
		var response = http.api(asker.token(), "/api/users?q=" + java.net.URLEncoder.encode(prefix,
				java.nio.charset.StandardCharsets.UTF_8), null);
		assertThat(response.statusCode()).isEqualTo(200);
		return ParleyHttp.json(response);
	}

	private static List<String> ids(JsonNode users) {
		return users.findValuesAsString("id");
	}

}
