package dev.parley.admin;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin console over real HTTP: its own login, its pages for the admin only, its actions. */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.admin.username=root", "parley.admin.password=console secret 42" })
class AdminConsoleIT {

	private static final String PASSWORD = "console secret 42";

	private final HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@LocalServerPort
	int port;

	ParleyHttp http;

	@BeforeEach
	void http() {
		http = new ParleyHttp(port);
	}

	@Test
	void theConsoleAsksForTheAdminLoginAndRefusesAWrongPassword() {
		assertThat(location(get("/admin", null))).endsWith("/admin/login");
		assertThat(location(get("/admin/anything", null))).endsWith("/admin/login");
		HttpResponse<String> login = get("/admin/login", null);
		assertThat(login.statusCode()).isEqualTo(200);
		assertThat(login.body()).contains("Admin log in", "_csrf");
		assertThatThrownBy(() -> http.formLogin("/admin/login", "root", "wrong password"))
			.hasMessageContaining("login failed");
	}

	@Test
	void aChatUserIsNoAdminAndTheAdminIsNoChatUser() {
		String chatSession = chatLogin("notadmin").session();
		assertThat(location(get("/admin", chatSession))).endsWith("/admin/login");

		String adminSession = http.formLogin("/admin/login", "root", PASSWORD);
		assertThat(get("/admin", adminSession).statusCode()).isEqualTo(200);
		assertThat(location(get("/", adminSession))).as("the admin login is not a chat login").endsWith("/login");
		assertThatThrownBy(() -> http.formLogin("root", PASSWORD)).as("the admin password is no chat password")
			.hasMessageContaining("login failed");
	}

	@Test
	void aChatLoginAndAnAdminLoginLiveSideBySideInOneBrowser() {
		ChatLogin chat = chatLogin("both");
		String username = chat.username();
		String chatSession = chat.session();
		HttpResponse<String> adminLogin = post("/admin/login", chatSession, csrf("/admin/login", chatSession),
				Map.of("username", "root", "password", PASSWORD));
		assertThat(location(adminLogin)).endsWith("/admin");
		String both = cookie(adminLogin, chatSession);

		assertThat(get("/", both).body()).contains("data-user-id=\"" + username + "\"");
		assertThat(get("/admin", both).body()).contains("Online now");

		HttpResponse<String> logout = post("/admin/logout", both, csrf("/admin", both), Map.of());
		assertThat(location(logout)).endsWith("/admin/login?logout");
		String after = cookie(logout, both);
		assertThat(location(get("/admin", after))).endsWith("/admin/login");
		assertThat(get("/", after).statusCode()).as("still logged in to the chat").isEqualTo(200);
	}

	@Test
	void theDashboardShowsWhoIsOnlineAndTheRoomsAsText() {
		String username = "hostile" + System.nanoTime() % 1_000_000;
		http.postJson("/api/users", Map.of("username", username, "password", "hostile password", "displayName",
				"<b>bold</b>"));
		String token = ParleyHttp.json(http.postJson("/api/auth/token",
				Map.of("username", username, "password", "hostile password"))).path("token").asString();
		try (WsClient ws = http.connectWelcomed(new Guest(token, username, "<b>bold</b>"))) {
			String session = http.formLogin("/admin/login", "root", PASSWORD);
			String page = get("/admin", session).body();
			assertThat(page).contains("data-user=\"" + username + "\"", "&lt;b&gt;bold&lt;/b&gt;", "data-room=\"lobby\"")
				.doesNotContain("<b>bold</b>");
			assertThat(page).containsPattern("id=\"online-count\">[1-9][0-9]*<");
		}
	}

	@Test
	void actionsWithoutTheCsrfTokenAreRefusedAndChangeNothing() {
		Guest guest = http.guest("Quiet");
		try (WsClient ws = http.connectWelcomed(guest)) {
			String session = http.formLogin("/admin/login", "root", PASSWORD);
			assertThat(post("/admin/announce", session, null, Map.of("text", "forged")).statusCode()).isEqualTo(403);
			assertThat(post("/admin/ban", session, null, Map.of("user", guest.id())).statusCode()).isEqualTo(403);
			ws.expectNone("system", 300);
			assertThat(ws.isClosed()).isFalse();
		}
	}

	@Test
	void anAnnouncementReachesEveryoneOrOneRoom() {
		Guest inLobby = http.guest("InLobby");
		Guest elsewhere = http.guest("Elsewhere");
		try (WsClient a = http.connectWelcomed(inLobby); WsClient b = http.connectWelcomed(elsewhere)) {
			a.request(Map.of("type", "join", "room", "lobby"));
			String session = http.formLogin("/admin/login", "root", PASSWORD);

			assertThat(flash(act(session, "/admin/announce", Map.of("text", "to all", "room", "")), session))
				.contains("Announced to everyone.");
			assertThat(a.next("system").path("text").asString()).isEqualTo("to all");
			assertThat(b.next("system").path("text").asString()).isEqualTo("to all");

			act(session, "/admin/announce", Map.of("text", "lobby only", "room", "lobby"));
			assertThat(a.next("system").path("room").asString()).isEqualTo("lobby");
			b.expectNone("system", 300);

			assertThat(flash(act(session, "/admin/announce", Map.of("text", " ", "room", "")), session))
				.contains("needs 1 to 4000 characters");
			assertThat(flash(act(session, "/admin/announce", Map.of("text", "x", "room", "nowhere")), session))
				.contains("There is no room nowhere.");
			a.expectNone("system", 300);
		}
	}

	@Test
	void kickBanAndUnbanActOnTheUsersConnections() {
		Guest target = http.guest("Target");
		try (WsClient ws = http.connectWelcomed(target)) {
			ws.request(Map.of("type", "join", "room", "lobby"));
			String session = http.formLogin("/admin/login", "root", PASSWORD);

			assertThat(flash(act(session, "/admin/kick", Map.of("user", target.id(), "room", "lobby", "reason", "spam")),
					session)).contains("was removed from lobby");
			assertThat(ws.next("kicked").path("reason").asString()).isEqualTo("spam");
			assertThat(flash(act(session, "/admin/kick", Map.of("user", target.id(), "room", "lobby")), session))
				.contains("is not a member of lobby");

			assertThat(flash(act(session, "/admin/ban", Map.of("user", "no-such-user")), session))
				.contains("There is no user no-such-user.");
			assertThat(flash(act(session, "/admin/ban", Map.of("user", target.id(), "reason", "abuse")), session))
				.contains("is banned");
			assertThat(ws.awaitClose()).isEqualTo(1008);
			assertThat(get("/admin", session).body()).contains("<span>" + target.id() + "</span>");
			assertThat(WsClient.refusedStatus(http.wsUrl(), Map.of("Authorization", "Bearer " + target.token())))
				.isEqualTo(403);

			assertThat(flash(act(session, "/admin/unban", Map.of("user", target.id())), session))
				.contains("may connect again");
			try (WsClient back = http.connectWelcomed(target)) {
				assertThat(back.isClosed()).isFalse();
			}
			assertThat(flash(act(session, "/admin/unban", Map.of("user", target.id())), session)).contains("is not banned");
		}
	}

	record ChatLogin(String username, String session) {
	}

	/** A newly registered chat user, logged in through the chat's login form. */
	private ChatLogin chatLogin(String prefix) {
		String username = prefix + System.nanoTime() % 1_000_000;
		http.postJson("/api/users", Map.of("username", username, "password", "chat password"));
		return new ChatLogin(username, http.formLogin(username, "chat password"));
	}

	/** Posts a console form with the dashboard's CSRF token; returns the redirect it answers with. */
	private HttpResponse<String> act(String session, String path, Map<String, String> fields) {
		HttpResponse<String> response = post(path, session, csrf("/admin", session), fields);
		assertThat(location(response)).endsWith("/admin");
		return response;
	}

	/** The message the dashboard shows once after an action. */
	private String flash(HttpResponse<String> action, String session) {
		return get("/admin", cookie(action, session)).body();
	}

	private String csrf(String path, String session) {
		return ParleyHttp.csrfToken(get(path, session).body());
	}

	private HttpResponse<String> get(String path, String cookie) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.base() + path)).header("Accept", "text/html");
		return send(cookie == null ? request : request.header("Cookie", cookie));
	}

	private HttpResponse<String> post(String path, String cookie, String csrf, Map<String, String> fields) {
		Map<String, String> form = new LinkedHashMap<>(fields);
		if (csrf != null) {
			form.put("_csrf", csrf);
		}
		String body = form.entrySet()
			.stream()
			.map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return send(HttpRequest.newBuilder(URI.create(http.base() + path))
			.header("Cookie", cookie)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return noRedirects.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String location(HttpResponse<?> response) {
		assertThat(response.statusCode()).isEqualTo(302);
		return response.headers().firstValue("Location").orElseThrow();
	}

	/** The session cookie after a response: a new one when the response set it, else the one sent. */
	private static String cookie(HttpResponse<?> response, String sent) {
		return ParleyHttp.setSessionCookie(response).orElse(sent);
	}

}
