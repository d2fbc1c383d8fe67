package dev.parley.admin;

import java.net.http.HttpResponse;
import java.util.Map;

import dev.parley.room.RoomService;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import dev.parley.user.UserService;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static dev.parley.support.ParleyHttp.cookie;
import static dev.parley.support.ParleyHttp.location;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's people pages, a room's members and deletion, and the audit log, over real HTTP
 * and real sockets: every action works on the real data, reaches the user's connections, and is
 * audited with who did it.
 */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.admin.username=root", "parley.admin.password=console secret 42" })
class AdminPeopleIT {

	private static final String PASSWORD = "console secret 42";

	@Autowired
	ParleyHttp http;

	@Autowired
	RoomService rooms;

	@Autowired
	UserService users;

	@Test
	void everyoneIsFoundAndAUsersPageShowsTheirRooms() {
		String username = register("finder");
		rooms.join(username, "lobby");
		String session = admin();

		assertThat(http.page("/admin/people?q=" + username, session).body()).contains("data-user=\"" + username + "\"");
		String all = allPeople(session);
		assertThat(all).contains("data-user=\"" + username + "\"");
		String page = http.page("/admin/people/" + username, session).body();
		assertThat(page).contains("registered", "# lobby", "Reset the password");
		assertThat(location(http.page("/admin/people/nobody-" + System.nanoTime(), session))).endsWith("/admin/people");
	}

	@Test
	void aPasswordResetEndsTheUsersLoginsAndOnlyTheNewPasswordLetsThemIn() {
		String username = register("forgetful");
		String token = ParleyHttp.json(http.postJson("/api/auth/token", Map.of("username", username, "password",
				"old password 1"))).path("token").asString();
		String laptop = http.formLogin(username, "old password 1");
		String phone = http.formLogin(username, "old password 1");
		assertThat(http.page("/", laptop).statusCode()).isEqualTo(200);
		String session = admin();
		assertThat(http.page("/admin/people/" + username, session).body()).contains(
				"id=\"person-session-count\">2<").containsPattern("data-session=\"[0-9a-f-]{8}\"");
		try (WsClient connected = WsClient.connect(http.wsUrl(), Map.of("Authorization", "Bearer " + token))) {
			connected.next("welcome");
			String notice = at(session, "/admin/people/" + username + "/password", Map.of("password", "short"),
					"/admin/people/" + username);
			assertThat(notice).contains("8 to 128 characters");

			assertThat(at(session, "/admin/people/" + username + "/password", Map.of("password", "new password 2"),
					"/admin/people/" + username)).contains("The password was reset");

			assertThat(connected.awaitClose()).isEqualTo(4004);
		}
		assertThat(location(http.page("/", laptop))).as("the browser sessions ended too").endsWith("/login");
		assertThat(location(http.page("/", phone))).endsWith("/login");
		assertThat(http.page("/admin/people/" + username, session).body()).contains("id=\"person-session-count\">0<");
		assertThat(WsClient.refusedStatus(http.wsUrl(), Map.of("Authorization", "Bearer " + token))).isEqualTo(401);
		assertThat(http.postJson("/api/auth/token", Map.of("username", username, "password", "old password 1"))
			.statusCode()).isEqualTo(401);
		assertThat(http.postJson("/api/auth/token", Map.of("username", username, "password", "new password 2"))
			.statusCode()).isEqualTo(200);
		Guest guest = http.guest("NoPassword");
		assertThat(at(session, "/admin/people/" + guest.id() + "/password", Map.of("password", "guest password"),
				"/admin/people/" + guest.id())).contains("Only a registered user");
	}

	@Test
	void signingAGuestOutEverywhereEndsTheirBrowserSessionAndRememberedLogin() {
		String browser = http.guestBrowser("Roamer");
		String page = http.page("/", browser).body();
		String id = page.replaceAll("(?s).*data-user-id=\"([^\"]+)\".*", "$1");
		String session = admin();
		assertThat(http.page("/admin/people/" + id, session).body()).contains("id=\"person-session-count\">1<");

		assertThat(at(session, "/admin/people/" + id + "/sign-out", Map.of(), "/admin/people/" + id))
			.contains(id + " was signed out everywhere", "id=\"person-session-count\">0<");
		assertThat(location(http.page("/", browser))).endsWith("/login");
		assertThat(audit(session, "action=sign+out")).contains(id);
		assertThat(at(session, "/admin/people/nobody-" + System.nanoTime() + "/sign-out", Map.of(), "/admin/people"))
			.contains("There is no user");
	}

	@Test
	void aBrowserLetInByItsRememberedLoginIsListedAmongTheUsersSessions() {
		HttpResponse<String> login = http.page("/login", null);
		String first = ParleyHttp.setSessionCookie(login).orElseThrow();
		HttpResponse<String> joined = http.form("/guest", first, ParleyHttp.csrfToken(login.body()),
				Map.of("name", "Returning"));
		String remembered = joined.headers().allValues("Set-Cookie").stream()
			.filter(cookie -> cookie.startsWith("remember-me="))
			.map(cookie -> cookie.substring(0, cookie.indexOf(';')))
			.findFirst()
			.orElseThrow();
		HttpResponse<String> later = http.page("/", remembered);
		assertThat(later.statusCode()).as("let in by the remember-me cookie alone").isEqualTo(200);
		String id = later.body().replaceAll("(?s).*data-user-id=\"([^\"]+)\".*", "$1");

		assertThat(http.page("/admin/people/" + id, admin()).body()).contains("id=\"person-session-count\">2<");
	}

	@Test
	void aDeletedUserIsDisconnectedAndGoneFromEveryRoom() {
		Guest doomed = http.guest("Doomed");
		String session = admin();
		try (WsClient connected = http.connectWelcomed(doomed)) {
			connected.request(Map.of("type", "join", "room", "lobby"));

			assertThat(at(session, "/admin/people/" + doomed.id() + "/delete", Map.of(), "/admin/people"))
				.contains(doomed.id() + " was deleted");

			assertThat(connected.awaitClose()).isEqualTo(4005);
		}
		assertThat(users.find(doomed.id())).isEmpty();
		assertThat(rooms.members("lobby")).doesNotContain(doomed.id());
		assertThat(WsClient.refusedStatus(http.wsUrl(), Map.of("Authorization", "Bearer " + doomed.token()))).isEqualTo(401);
		assertThat(audit(session, "action=delete+user")).contains(doomed.id());
	}

	@Test
	void aRoomsMembersAreListedAndRemovableAndADeletedRoomTellsThemAndKeepsNothing() {
		String room = "doomed-" + System.nanoTime() % 1_000_000;
		rooms.createIfAbsent(room, "Doomed", "");
		Guest stay = http.guest("Stayer");
		Guest go = http.guest("Goer");
		String session = admin();
		try (WsClient stayer = http.connectWelcomed(stay); WsClient goer = http.connectWelcomed(go)) {
			stayer.request(Map.of("type", "join", "room", room));
			goer.request(Map.of("type", "join", "room", room));
			stayer.request(Map.of("type", "message", "room", room, "text", "soon gone"));
			String page = http.page("/admin/rooms/" + room, session).body();
			assertThat(page).contains("data-user=\"" + stay.id() + "\"", "data-user=\"" + go.id() + "\"");

			assertThat(at(session, "/admin/rooms/" + room + "/members/" + go.id() + "/remove", Map.of("reason", "off topic"),
					"/admin/rooms/" + room)).contains(go.id() + " was removed");
			assertThat(goer.next("kicked").path("reason").asString()).isEqualTo("off topic");

			assertThat(at(session, "/admin/rooms/" + room + "/delete", Map.of(), "/admin/rooms")).contains("was deleted");
			assertThat(stayer.next("kicked").path("reason").asString()).isEqualTo("the room was deleted");
			JsonNode again = stayer.request(Map.of("type", "join", "room", room));
			assertThat(again.path("code").asString()).isEqualTo("not_found");
		}
		assertThat(rooms.find(room)).isEmpty();
		assertThat(rooms.roomsOf(stay.id())).doesNotContain(room);
		assertThat(at(session, "/admin/rooms/lobby/delete", Map.of(), "/admin/rooms/lobby")).contains("cannot be deleted");
		assertThat(audit(session, "action=delete+room")).contains(room);
		assertThat(audit(session, "target=" + go.id())).contains("off topic");
	}

	@Test
	void theAuditLogHasEveryActionNewestFirstWithWhoDidItIncludingARoomModeratorsDelete() {
		String room = "audited-" + System.nanoTime() % 1_000_000;
		rooms.createIfAbsent(room, "Audited", "");
		Guest author = http.guest("Author");
		Guest moderator = http.guest("Moderator");
		rooms.addModerator(room, moderator.id());
		String session = admin();
		at(session, "/admin/ban", Map.of("user", author.id(), "reason", "spam links"), "/admin/moderation");
		at(session, "/admin/unban", Map.of("user", author.id()), "/admin/moderation");
		try (WsClient writer = http.connectWelcomed(author); WsClient mod = http.connectWelcomed(moderator)) {
			writer.request(Map.of("type", "join", "room", room));
			mod.request(Map.of("type", "join", "room", room));
			String id = writer.request(Map.of("type", "message", "room", room, "text", "buy now")).path("id").asString();
			mod.request(Map.of("type", "delete", "room", room, "id", id));
		}

		String log = audit(session, "target=" + author.id());
		assertThat(log.indexOf(">unban<")).as("newest first").isLessThan(log.indexOf(">ban<"));
		assertThat(log).contains("root (admin)", "spam links", moderator.id() + " (moderator)", "delete message");
		assertThat(log).doesNotContain("buy now");
		String bans = audit(session, "action=ban&target=" + author.id());
		assertThat(bans).contains(">ban<").doesNotContain(">unban<");
	}

	@Test
	void aPrivateRoomsInvitationsAreListedAndMayBeWithdrawnAndAUsersPageSaysWhenTheyWereLastSeen() {
		String room = "invite-only-" + System.nanoTime() % 1_000_000;
		Guest owner = http.guest("Owner");
		Guest invited = http.guest("Invited");
		rooms.createOwned(room, "Invite only", "", true, owner.id());
		rooms.invite(room, invited.id());
		String session = admin();
		assertThat(http.page("/admin/rooms/" + room, session).body()).contains("Private: by invitation",
				"data-user=\"" + invited.id() + "\"");

		assertThat(at(session, "/admin/rooms/" + room + "/invitations/" + invited.id() + "/withdraw", Map.of(),
				"/admin/rooms/" + room)).contains("was withdrawn");
		assertThat(rooms.isInvited(invited.id(), room)).isFalse();
		try (WsClient client = http.connectWelcomed(invited)) {
			assertThat(client.request(Map.of("type", "join", "room", room)).path("code").asString()).isEqualTo("not_found");
			assertThat(http.page("/admin/people/" + invited.id(), session).body()).contains("id=\"person-seen\">now<");
		}
		org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(
				http.page("/admin/people/" + invited.id(), session).body()).containsPattern("id=\"person-seen\">20\\d\\d-"));
	}

	@Test
	void aModeratorAccountModeratesAndLooksButChangesNothingElse() {
		String session = admin();
		String name = "mod" + System.nanoTime() % 1_000_000;
		assertThat(at(session, "/admin/accounts", Map.of("name", name, "password", "moderator secret", "role",
				"moderator"), "/admin/accounts")).contains(name + " may log in to the console now, as a moderator.");
		String moderator = http.formLogin("/admin/login", name, "moderator secret");
		Guest target = http.guest("Target");

		String live = http.page("/admin", moderator).body();
		assertThat(live).contains("Online now", "id=\"nav-rooms\"", "id=\"nav-moderation\"").doesNotContain(
				"id=\"nav-accounts\"", "id=\"nav-announcements\"", "id=\"nav-push-keys\"");
		assertThat(http.page("/admin/rooms", moderator).body()).contains("data-room=\"lobby\"")
			.doesNotContain("id=\"room-form\"", "class=\"room-edit\"");
		assertThat(http.page("/admin/moderation", moderator).body()).contains("id=\"ban-form\"");
		assertThat(http.page("/admin/announcements", moderator).statusCode()).isEqualTo(403);
		assertThat(http.page("/admin/push-keys", moderator).statusCode()).isEqualTo(403);
		assertThat(http.page("/admin/people/" + target.id(), moderator).statusCode()).isEqualTo(200);
		assertThat(http.page("/admin/audit", moderator).statusCode()).isEqualTo(200);
		String csrf = ParleyHttp.csrfToken(live);
		assertThat(location(http.form("/admin/ban", moderator, csrf, Map.of("user", target.id()))))
			.endsWith("/admin/moderation");
		assertThat(users.isBanned(target.id())).isTrue();
		assertThat(http.form("/admin/rooms", moderator, csrf, Map.of("slug", name, "name", "Nope")).statusCode())
			.isEqualTo(403);
		assertThat(rooms.find(name)).isEmpty();
		assertThat(http.page("/admin/accounts", moderator).statusCode()).isEqualTo(403);
		assertThat(http.form("/admin/people/" + target.id() + "/sign-out", moderator, csrf, Map.of()).statusCode())
			.as("signing out is an admin's").isEqualTo(403);
		assertThat(audit(session, "target=" + target.id())).contains(name + " (admin)");
	}

	@Test
	void anAddedAdminWorksUntilRemovedAndIsThenLoggedOutEverywhere() {
		String session = admin();
		String name = "adm" + System.nanoTime() % 1_000_000;
		at(session, "/admin/accounts", Map.of("name", name, "password", "second admin secret", "role", "admin"),
				"/admin/accounts");
		String second = http.formLogin("/admin/login", name, "second admin secret");
		assertThat(http.page("/admin/accounts", second).body()).contains("data-account=\"" + name + "\"");
		String room = "made-by-" + name;
		assertThat(at(second, "/admin/rooms", Map.of("slug", room, "name", "Second's"), "/admin/rooms")).contains("is open");

		assertThat(at(session, "/admin/accounts/" + name + "/remove", Map.of(), "/admin/accounts"))
			.contains(name + " can no longer log in");
		assertThat(location(http.page("/admin", second))).endsWith("/admin/login");
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.formLogin("/admin/login", name, "second admin secret"))
			.hasMessageContaining("login failed");
		assertThat(at(session, "/admin/accounts/root/remove", Map.of(), "/admin/accounts")).contains("your own account");
	}

	@Test
	void anAccountThatCannotBeMadeIsRefusedWithTheReason() {
		String session = admin();
		assertThat(at(session, "/admin/accounts", Map.of("name", "X", "password", "long enough secret", "role", "admin"),
				"/admin/accounts")).contains("3 to 32");
		assertThat(at(session, "/admin/accounts", Map.of("name", "shorty", "password", "short", "role", "admin"),
				"/admin/accounts")).contains("12 to 128");
		assertThat(at(session, "/admin/accounts", Map.of("name", "chief", "password", "long enough secret", "role",
				"emperor"), "/admin/accounts")).contains("an admin or a moderator");
		assertThat(at(session, "/admin/accounts", Map.of("name", "root", "password", "long enough secret", "role",
				"admin"), "/admin/accounts")).contains("already");
	}

	private String admin() {
		return http.formLogin("/admin/login", "root", PASSWORD);
	}

	/** Posts a console form; returns the notice the page it leads to shows. */
	private String at(String session, String path, Map<String, String> fields, String lands) {
		String csrf = ParleyHttp.csrfToken(http.page("/admin", session).body());
		HttpResponse<String> answer = http.form(path, session, csrf, fields);
		assertThat(location(answer)).endsWith(lands);
		return http.page(lands, cookie(answer, session)).body();
	}

	private String audit(String session, String query) {
		return http.page("/admin/audit?" + query, session).body();
	}

	private String allPeople(String session) {
		StringBuilder pages = new StringBuilder();
		String path = "/admin/people";
		for (int i = 0; i < 100 && path != null; i++) {
			String page = http.page(path, session).body();
			pages.append(page);
			java.util.regex.Matcher more = java.util.regex.Pattern.compile("id=\"people-more\" href=\"([^\"]+)\"")
				.matcher(page);
			path = more.find() ? more.group(1).replace("&amp;", "&") : null;
		}
		return pages.toString();
	}

	private String register(String prefix) {
		String username = prefix + System.nanoTime() % 1_000_000;
		assertThat(http.postJson("/api/users", Map.of("username", username, "password", "old password 1"))
			.statusCode()).isEqualTo(201);
		return username;
	}

}
