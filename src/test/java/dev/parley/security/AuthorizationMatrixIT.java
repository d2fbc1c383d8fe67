package dev.parley.security;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.parley.config.RedisKeys;
import dev.parley.room.RoomService;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what, over every HTTP route and every frame type, for an anonymous visitor, a guest, a
 * registered user, a banned user and the admin (Parley has no moderator role yet): real logins,
 * real sessions and tokens, CSRF tokens taken from the pages as a browser would. A route refused
 * changes nothing.
 */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.admin.password=matrix admin secret", "parley.push.keys=matrix-push-key-0123456789" })
class AuthorizationMatrixIT {

	private static final String PASSWORD = "matrix password";

	@Autowired
	ParleyHttp http;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	RoomService rooms;

	/** A role's credentials: its session cookie (or none) and bearer token (or none). */
	record Role(String name, String session, String token) {
	}

	private Role anonymous;

	private Role guest;

	private Role user;

	private Role banned;

	private Role admin;

	@BeforeEach
	void logIn() {
		anonymous = new Role("anonymous", ParleyHttp.setSessionCookie(http.page("/login", null)).orElseThrow(), null);
		ParleyHttp.Guest visitor = http.guest("Visitor");
		guest = new Role("guest", http.guestBrowser("Browser"), visitor.token());
		String member = register("member");
		user = new Role("user", http.formLogin(member, PASSWORD), token(member));
		String outlaw = register("outlaw");
		banned = new Role("banned", http.formLogin(outlaw, PASSWORD), token(outlaw));
		redis.opsForSet().add(RedisKeys.BANNED, outlaw);
		admin = new Role("admin", http.formLogin("/admin/login", "admin", "matrix admin secret"), null);
	}

	@Test
	void chatPagesAndApisAnswerEachRoleAsDocumented() {
		Map<String, Map<String, Integer>> expected = new LinkedHashMap<>();
		expected.put("/", Map.of("anonymous", 302, "guest", 200, "user", 200, "admin", 302));
		expected.put("/rooms/lobby", Map.of("anonymous", 302, "guest", 200, "user", 200, "admin", 302));
		expected.put("/login", Map.of("anonymous", 200, "guest", 200, "user", 200, "admin", 200));
		expected.put("/register", Map.of("anonymous", 200, "guest", 200, "user", 200, "admin", 200));
		expected.put("/api/rooms", Map.of("anonymous", 401, "guest", 200, "user", 200, "admin", 401));
		expected.put("/api/conversations", Map.of("anonymous", 401, "guest", 200, "user", 200, "admin", 401));
		expected.put("/api/users?q=a", Map.of("anonymous", 401, "guest", 200, "user", 200, "admin", 401));
		expected.put("/admin", Map.of("anonymous", 302, "guest", 302, "user", 302, "admin", 200));
		expected.put("/admin/stats", Map.of("anonymous", 302, "guest", 302, "user", 302, "admin", 200));
		expected.put("/admin/stats/history", Map.of("anonymous", 302, "guest", 302, "user", 302, "admin", 200));
		expected.put("/admin/rooms", Map.of("anonymous", 302, "guest", 302, "user", 302, "admin", 200));
		expected.put("/admin/moderation", Map.of("anonymous", 302, "guest", 302, "user", 302, "admin", 200));
		expected.put("/admin/announcements", Map.of("anonymous", 302, "guest", 302, "user", 302, "admin", 200));
		expected.put("/admin/push-keys", Map.of("anonymous", 302, "guest", 302, "user", 302, "admin", 200));
		expected.put("/admin/accounts", Map.of("anonymous", 302, "guest", 302, "user", 302, "admin", 200));
		expected.put("/admin/rooms/lobby", Map.of("anonymous", 302, "guest", 302, "user", 302, "admin", 200));
		expected.put("/admin/people", Map.of("anonymous", 302, "guest", 302, "user", 302, "admin", 200));
		expected.put("/admin/audit", Map.of("anonymous", 302, "guest", 302, "user", 302, "admin", 200));
		expected.put("/admin/login", Map.of("anonymous", 200, "guest", 200, "user", 200, "admin", 200));
		expected.put("/readyz", Map.of("anonymous", 200, "guest", 200, "user", 200, "admin", 200));
		expected.put("/livez", Map.of("anonymous", 200, "guest", 200, "user", 200, "admin", 200));
		List<String> wrong = new ArrayList<>();
		expected.forEach((path, byRole) -> List.of(anonymous, guest, user, admin).forEach(role -> {
			int status = (path.startsWith("/api/") || path.equals("/readyz") || path.equals("/livez") || path.startsWith("/admin/stats")
					? http.get(path, role.session()) : http.page(path, role.session())).statusCode();
			if (status != byRole.get(role.name())) {
				wrong.add("GET " + path + " as " + role.name() + ": " + status + ", expected " + byRole.get(role.name()));
			}
		}));
		for (Role role : List.of(guest, user)) {
			for (String path : List.of("/api/rooms", "/api/conversations", "/api/users?q=a")) {
				int status = http.send(HttpRequest.newBuilder(URI.create(http.base() + path))
					.header("Authorization", "Bearer " + role.token()).build()).statusCode();
				if (status != 200) {
					wrong.add("GET " + path + " with the " + role.name() + "'s token: " + status);
				}
			}
		}
		assertThat(wrong).isEmpty();
	}

	@Test
	void everyConsoleActionIsTheAdminsAloneAndARefusedOneChangesNothing() {
		String room = "matrix-" + System.nanoTime();
		rooms.createIfAbsent(room, room, "");
		String victim = register("victim");
		Map<String, Map<String, String>> actions = new LinkedHashMap<>();
		actions.put("/admin/announce", Map.of("text", "hello"));
		actions.put("/admin/kick", Map.of("user", victim, "room", room));
		actions.put("/admin/ban", Map.of("user", victim));
		actions.put("/admin/unban", Map.of("user", victim));
		actions.put("/admin/mute", Map.of("user", victim, "minutes", "5"));
		actions.put("/admin/unmute", Map.of("user", victim));
		actions.put("/admin/rooms", Map.of("slug", room + "-new", "name", "New"));
		actions.put("/admin/rooms/" + room, Map.of("name", "Renamed"));
		actions.put("/admin/rooms/" + room + "/close", Map.of());
		actions.put("/admin/rooms/" + room + "/open", Map.of());
		actions.put("/admin/push-keys", Map.of("name", "stolen"));
		actions.put("/admin/rooms/" + room + "/moderators", Map.of("user", victim));
		actions.put("/admin/rooms/" + room + "/moderators/" + victim + "/remove", Map.of());
		actions.put("/admin/rooms/" + room + "/messages/1-1/delete", Map.of());
		actions.put("/admin/rooms/" + room + "/members/" + victim + "/remove", Map.of());
		actions.put("/admin/rooms/" + room + "/delete", Map.of());
		actions.put("/admin/people/" + victim + "/password", Map.of("password", "taken over!"));
		actions.put("/admin/people/" + victim + "/delete", Map.of());
		actions.put("/admin/people/" + victim + "/sign-out", Map.of());
		actions.put("/admin/announcements/withdraw", Map.of("announcement", "x"));
		actions.put("/admin/rooms/" + room + "/invitations/" + victim + "/withdraw", Map.of());
		actions.put("/admin/accounts", Map.of("name", "intruder", "password", "intruder password", "role", "admin"));
		actions.put("/admin/accounts/intruder/remove", Map.of());
		Map<String, String> before = consoleState(room, victim);
		List<String> wrong = new ArrayList<>();
		for (Role role : List.of(anonymous, guest, user)) {
			String csrf = ParleyHttp.csrfToken(http.page(role == anonymous ? "/login" : "/", role.session()).body());
			actions.forEach((path, fields) -> {
				HttpResponse<String> answer = http.form(path, role.session(), csrf, fields);
				String location = ParleyHttp.location(answer);
				if (!(answer.statusCode() == 403 || (answer.statusCode() == 302 && location.endsWith("/admin/login")))) {
					wrong.add("POST " + path + " as " + role.name() + ": " + answer.statusCode() + " " + location);
				}
			});
		}
		assertThat(wrong).isEmpty();
		assertThat(consoleState(room, victim)).as("nothing the refused actions would have changed").isEqualTo(before);

		String adminCsrf = ParleyHttp.csrfToken(http.page("/admin", admin.session()).body());
		HttpResponse<String> ban = http.form("/admin/ban", admin.session(), adminCsrf, Map.of("user", victim));
		assertThat(ban.statusCode()).isEqualTo(302);
		assertThat(redis.opsForSet().isMember(RedisKeys.BANNED, victim)).as("the admin's action works").isTrue();
	}

	@Test
	void everyStateChangingFormRefusesAPostWithoutItsCsrfToken() {
		List<String> forms = List.of("/login", "/register", "/guest", "/logout", "/admin/login", "/admin/logout",
				"/admin/announce", "/admin/ban", "/admin/rooms", "/admin/push-keys", "/admin/rooms/lobby/moderators",
				"/admin/rooms/lobby/messages/1-1/delete", "/admin/people/u/delete", "/admin/rooms/lobby/delete",
				"/admin/people/u/sign-out");
		List<String> wrong = new ArrayList<>();
		for (Role role : List.of(anonymous, user, admin)) {
			for (String path : forms) {
				HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(http.base() + path))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.header("Cookie", role.session())
					.POST(HttpRequest.BodyPublishers.ofString("username=x&password=y&name=z&text=t&user=u&slug=s"))
					.build());
				if (answer.statusCode() != 403) {
					wrong.add("POST " + path + " as " + role.name() + " without CSRF: " + answer.statusCode());
				}
			}
		}
		assertThat(wrong).isEmpty();
	}

	@Test
	void theWebSocketAdmitsGuestsAndUsersOnlyAndRefusesForeignOriginsEvenWithTheSessionCookie() {
		assertThat(WsClient.refusedStatus(http.wsUrl(), Map.of("Cookie", anonymous.session()))).isEqualTo(401);
		assertThat(WsClient.refusedStatus(http.wsUrl(), Map.of("Cookie", admin.session())))
			.as("the console's login is not a chat login").isEqualTo(401);
		assertThat(WsClient.refusedStatus(http.wsUrl(), Map.of("Cookie", banned.session()))).isEqualTo(403);
		assertThat(WsClient.refusedStatus(http.wsUrl(), Map.of("Authorization", "Bearer " + banned.token())))
			.isEqualTo(403);
		assertThat(WsClient.refusedStatus(http.wsUrl(),
				Map.of("Cookie", user.session(), "Origin", "https://evil.example")))
			.as("cross-site WebSocket hijacking").isEqualTo(403);
		assertThat(WsClient.refusedStatus(http.wsUrl(), Map.of("Authorization", "Bearer matrix-push-key-0123456789")))
			.as("a push key is not a chat token").isEqualTo(401);
		for (Role role : List.of(guest, user)) {
			try (WsClient ws = WsClient.connect(http.wsUrl(), Map.of("Cookie", role.session()))) {
				assertThat(ws.next("welcome").path("user").path("guest").asBoolean()).isEqualTo(role == guest);
			}
		}
	}

	@Test
	void everyFrameTypeAnswersGuestsAndUsersAlikeAndKeepsOthersRoomsToThemselves() {
		String secret = "matrix-closed-" + System.nanoTime();
		rooms.createIfAbsent(secret, secret, "");
		rooms.setOpen(secret, false);
		for (Role role : List.of(guest, user)) {
			try (WsClient ws = WsClient.connect(http.wsUrl(), Map.of("Authorization", "Bearer " + role.token()))) {
				ws.next("welcome");
				assertThat(reply(ws, Map.of("type", "join", "room", "lobby"))).isEqualTo("joined");
				assertThat(reply(ws, Map.of("type", "message", "room", "lobby", "text", "hi"))).isEqualTo("ack");
				assertThat(reply(ws, Map.of("type", "history", "room", "lobby"))).isEqualTo("history");
				assertThat(reply(ws, Map.of("type", "private", "to", "admin-nobody", "text", "x")))
					.isEqualTo("error:not_found");
				assertThat(reply(ws, Map.of("type", "ping"))).isEqualTo("pong");
				assertThat(reply(ws, Map.of("type", "join", "room", secret))).as("a closed room").isEqualTo("error:forbidden");
				assertThat(reply(ws, Map.of("type", "history", "room", secret))).isEqualTo("error:not_member");
				assertThat(reply(ws, Map.of("type", "message", "room", secret, "text", "x"))).isEqualTo("error:not_member");
				assertThat(reply(ws, Map.of("type", "typing", "room", secret))).isEqualTo("error:not_member");
				assertThat(reply(ws, Map.of("type", "read", "room", secret, "id", "1-0"))).isEqualTo("error:not_member");
				assertThat(reply(ws, Map.of("type", "leave", "room", "lobby"))).isEqualTo("left");
				assertThat(reply(ws, Map.of("type", "ban", "user", "someone"))).isEqualTo("error:unknown_type");
			}
		}
	}

	private static String reply(WsClient ws, Map<String, Object> frame) {
		var answer = ws.request(frame);
		String type = answer.path("type").asString();
		return type.equals("error") ? "error:" + answer.path("code").asString() : type;
	}

	/** What the console's actions change: bans, mutes, the room, the rooms, the push keys. */
	private Map<String, String> consoleState(String room, String victimId) {
		Map<String, String> state = new LinkedHashMap<>();
		state.put("banned", String.valueOf(redis.opsForSet().members(RedisKeys.BANNED)));
		state.put("muted", String.valueOf(redis.opsForZSet().range(RedisKeys.MUTED, 0, -1)));
		state.put("room", String.valueOf(redis.opsForHash().entries(RedisKeys.room(room))));
		state.put("members", String.valueOf(redis.opsForSet().members(RedisKeys.roomMembers(room))));
		state.put("rooms", String.valueOf(redis.opsForSet().members(RedisKeys.ROOMS)));
		state.put("moderators", String.valueOf(redis.opsForSet().members(RedisKeys.roomModerators(room))));
		state.put("push keys", String.valueOf(redis.opsForHash().keys(RedisKeys.PUSH_KEYS)));
		state.put("victim", String.valueOf(redis.opsForHash().entries(RedisKeys.user(victimId))));
		state.put("audit", String.valueOf(redis.opsForStream().size(RedisKeys.AUDIT)));
		state.put("accounts", String.valueOf(redis.opsForHash().keys(RedisKeys.CONSOLE_ADMINS)));
		return state;
	}

	private String register(String prefix) {
		String username = prefix + System.nanoTime() % 1_000_000;
		assertThat(http.postJson("/api/users", Map.of("username", username, "password", PASSWORD)).statusCode())
			.isEqualTo(201);
		return username;
	}

	private String token(String username) {
		return ParleyHttp.json(http.postJson("/api/auth/token", Map.of("username", username, "password", PASSWORD)))
			.path("token").asString();
	}

}
