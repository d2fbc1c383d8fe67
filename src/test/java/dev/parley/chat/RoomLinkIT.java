package dev.parley.chat;

import java.net.http.HttpResponse;
import java.util.Map;

import dev.parley.room.RoomService;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static dev.parley.support.ParleyHttp.cookie;
import static dev.parley.support.ParleyHttp.location;
import static org.assertj.core.api.Assertions.assertThat;

/** A room's shared link, {@code /rooms/<slug>}, over real HTTP: straight in, or through the login. */
@ParleyIntegrationTest
class RoomLinkIT {

	@Autowired
	ParleyHttp http;

	@Autowired
	RoomService rooms;

	@Test
	void aLoggedInUserGetsTheChatPageOpenOnThatRoom() {
		String session = registeredLogin("linked");
		HttpResponse<String> page = http.page("/rooms/lobby", session);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("data-open-room=\"lobby\"", "data-open-room-name=\"Lobby\"");
		assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
				policy -> assertThat(policy).contains("script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"));
		assertThat(http.page("/", session).body()).doesNotContain("data-open-room");
	}

	@Test
	void aLinkToARoomThatDoesNotExistLeadsToTheChatPage() {
		String session = registeredLogin("lost");
		assertThat(location(http.page("/rooms/no-such-room", session))).endsWith("/");
		assertThat(location(http.page("/rooms/Not_A_Slug", session))).endsWith("/");
	}

	@Test
	void aLinkToAPrivateRoomOpensItForItsMembersOnlyAndNamesItToNoOneElse() {
		String member = register("insider");
		String slug = "inner-" + System.nanoTime() % 1_000_000;
		rooms.createOwned(slug, "Inner circle", "", true, member);

		assertThat(http.page("/rooms/" + slug, http.formLogin(member, "link password")).body())
			.contains("data-open-room-name=\"Inner circle\"");
		HttpResponse<String> outsider = http.page("/rooms/" + slug, registeredLogin("outsider"));
		assertThat(location(outsider)).endsWith("/");
		assertThat(outsider.body()).doesNotContain("Inner circle");
	}

	@Test
	void aVisitorSentToTheLoginByARoomLinkJoinsAsGuestAndLandsInTheRoom() {
		String session = visit("/rooms/lobby");
		String csrf = ParleyHttp.csrfToken(http.page("/login", session).body());
		HttpResponse<String> joined = http.form("/guest", session, csrf, Map.of("name", "Follower"));
		assertThat(location(joined)).endsWith("/rooms/lobby");
		assertThat(http.page("/rooms/lobby", cookie(joined, session)).body()).contains("data-open-room=\"lobby\"");
	}

	@Test
	void aUserSentToTheLoginByARoomLinkLogsInAndLandsInTheRoom() {
		assertThat(logInAfterVisiting("/rooms/lobby", register("member"))).endsWith("/rooms/lobby");
	}

	@Test
	void anyOtherAddressAskedForBeforeTheLoginIsNotWhereTheLoginLands() {
		assertThat(logInAfterVisiting("/some/other/page", register("elsewhere"))).isEqualTo("/");
	}

	/** Visits {@code path} logged out, then logs in on the page it was sent to; returns where the login leads. */
	private String logInAfterVisiting(String path, String username) {
		String session = visit(path);
		String csrf = ParleyHttp.csrfToken(http.page("/login", session).body());
		return location(http.form("/login", session, csrf, Map.of("username", username, "password", "link password")));
	}

	/** Asks for a page without logging in: returns the session that remembers it, after the redirect to the login. */
	private String visit(String path) {
		HttpResponse<String> visit = http.page(path, null);
		assertThat(location(visit)).endsWith("/login");
		return ParleyHttp.setSessionCookie(visit).orElseThrow();
	}

	private String register(String prefix) {
		String username = prefix + System.nanoTime() % 1_000_000;
		assertThat(http.postJson("/api/users", Map.of("username", username, "password", "link password")).statusCode())
			.isEqualTo(201);
		return username;
	}

	private String registeredLogin(String prefix) {
		return http.formLogin(register(prefix), "link password");
	}

}
