package dev.parley.admin;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.parley.config.RedisKeys;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static dev.parley.support.ParleyHttp.cookie;
import static dev.parley.support.ParleyHttp.location;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin console over real HTTP: its own login, its pages for the admin only, its actions. */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.admin.username=root", "parley.admin.password=console secret 42" })
class AdminConsoleIT {

	private static final String PASSWORD = "console secret 42";

	@Autowired
	ParleyHttp http;

	@Autowired
	StatsHistory history;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void theConsoleAsksForTheAdminLoginAndRefusesAWrongPassword() {
		assertThat(location(http.page("/admin", null))).endsWith("/admin/login");
		assertThat(location(http.page("/admin/anything", null))).endsWith("/admin/login");
		HttpResponse<String> login = http.page("/admin/login", null);
		assertThat(login.statusCode()).isEqualTo(200);
		assertThat(login.body()).contains("Admin log in", "_csrf");
		assertThatThrownBy(() -> http.formLogin("/admin/login", "root", "wrong password"))
			.hasMessageContaining("login failed");
	}

	@Test
	void aChatUserIsNoAdminAndTheAdminIsNoChatUser() {
		String chatSession = chatLogin("notadmin").session();
		assertThat(location(http.page("/admin", chatSession))).endsWith("/admin/login");

		String adminSession = http.formLogin("/admin/login", "root", PASSWORD);
		assertThat(http.page("/admin", adminSession).statusCode()).isEqualTo(200);
		assertThat(location(http.page("/", adminSession))).as("the admin login is not a chat login").endsWith("/login");
		assertThatThrownBy(() -> http.formLogin("root", PASSWORD)).as("the admin password is no chat password")
			.hasMessageContaining("login failed");
	}

	@Test
	void aChatLoginAndAnAdminLoginLiveSideBySideInOneBrowser() {
		ChatLogin chat = chatLogin("both");
		String username = chat.username();
		String chatSession = chat.session();
		HttpResponse<String> adminLogin = http.form("/admin/login", chatSession, csrf("/admin/login", chatSession),
				Map.of("username", "root", "password", PASSWORD));
		assertThat(location(adminLogin)).endsWith("/admin");
		String both = cookie(adminLogin, chatSession);

		assertThat(http.page("/", both).body()).contains("data-user-id=\"" + username + "\"");
		assertThat(http.page("/admin", both).body()).contains("Online now");

		HttpResponse<String> logout = http.form("/admin/logout", both, csrf("/admin", both), Map.of());
		assertThat(location(logout)).endsWith("/admin/login?logout");
		String after = cookie(logout, both);
		assertThat(location(http.page("/admin", after))).endsWith("/admin/login");
		assertThat(http.page("/", after).statusCode()).as("still logged in to the chat").isEqualTo(200);
	}

	@Test
	void theLivePageShowsWhoIsOnlineAndTheRoomsPageTheRoomsAsText() {
		String username = "hostile" + System.nanoTime() % 1_000_000;
		http.postJson("/api/users", Map.of("username", username, "password", "hostile password", "displayName",
				"<b>bold</b>"));
		String token = ParleyHttp.json(http.postJson("/api/auth/token",
				Map.of("username", username, "password", "hostile password"))).path("token").asString();
		try (WsClient ws = http.connectWelcomed(new Guest(token, username, "<b>bold</b>"))) {
			String session = http.formLogin("/admin/login", "root", PASSWORD);
			HttpResponse<String> live = http.page("/admin", session);
			assertThat(live.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
					policy -> assertThat(policy).contains("script-src 'self'", "object-src 'none'"));
			String page = live.body();
			assertThat(page).contains("data-user=\"" + username + "\"", "&lt;b&gt;bold&lt;/b&gt;")
				.doesNotContain("<b>bold</b>");
			assertThat(http.page("/admin/rooms", session).body()).contains("data-room=\"lobby\"");
			assertThat(page).containsPattern("id=\"online-count\">[1-9][0-9]*<");
		}
	}

	@Test
	void actionsWithoutTheCsrfTokenAreRefusedAndChangeNothing() {
		Guest guest = http.guest("Quiet");
		try (WsClient ws = http.connectWelcomed(guest)) {
			String session = http.formLogin("/admin/login", "root", PASSWORD);
			assertThat(http.form("/admin/announce", session, null, Map.of("text", "forged")).statusCode()).isEqualTo(403);
			assertThat(http.form("/admin/ban", session, null, Map.of("user", guest.id())).statusCode()).isEqualTo(403);
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

			assertThat(flash(act(session, "/admin/announce", Map.of("text", "lobby only", "room", "lobby")), session))
				.contains("kept in its history");
			JsonNode kept = a.next("message");
			assertThat(kept.path("room").asString()).isEqualTo("lobby");
			assertThat(kept.path("announcement").asBoolean()).isTrue();
			assertThat(kept.path("from").path("name").asString()).isEqualTo("Admins");
			assertThat(kept.path("from").path("bot").asBoolean()).isTrue();
			b.expectNone("message", 300);
			JsonNode history = b.request(Map.of("type", "join", "room", "lobby")).path("history");
			assertThat(history.get(history.size() - 1).path("text").asString()).as("there for whoever comes later")
				.isEqualTo("lobby only");

			assertThat(flash(act(session, "/admin/announce", Map.of("text", " ", "room", "")), session))
				.contains("needs 1 to 4000 characters");
			assertThat(flash(act(session, "/admin/announce", Map.of("text", "x", "room", "nowhere")), session))
				.contains("There is no room nowhere.");
			a.expectNone("system", 300);
		}
	}

	@Test
	void anAnnouncementToEveryoneIsShownToNewcomersUntilItLapsesOrIsWithdrawn() {
		String session = http.formLogin("/admin/login", "root", PASSWORD);
		String text = "maintenance tonight " + System.nanoTime();
		assertThat(flash(act(session, "/admin/announce", Map.of("text", text, "room", "", "keep", "24")), session))
			.contains("shown to newcomers for 24 hours");
		assertThat(flash(act(session, "/admin/announce", Map.of("text", "x", "room", "", "keep", "169")), session))
			.contains("0 to 168 hours");

		try (WsClient newcomer = http.connect(http.guest("Late"))) {
			newcomer.next("welcome");
			JsonNode shown = newcomer.next(frame -> frame.path("type").asString().equals("system")
					&& frame.path("text").asString().equals(text), "the kept announcement");
			assertThat(shown.path("until").asLong()).isGreaterThan(System.currentTimeMillis() + 23 * 3600_000L);
		}
		String announcements = http.page("/admin/announcements", session).body();
		assertThat(announcements).contains(text);
		String json = org.springframework.web.util.HtmlUtils.htmlUnescape(
				announcements.replaceAll("(?s).*name=\"announcement\" value=\"([^\"]*" + text + "[^\"]*)\".*", "$1"));
		assertThat(flash(act(session, "/admin/announcements/withdraw", Map.of("announcement", json)), session))
			.contains("not shown that announcement any more");

		org.awaitility.Awaitility.await().untilAsserted(() -> {
			try (WsClient later = http.connect(http.guest("Later"))) {
				later.next("welcome");
				List<JsonNode> after = new ArrayList<>();
				for (JsonNode frame = later.poll(300); frame != null; frame = later.poll(300)) {
					after.add(frame);
				}
				assertThat(after).noneMatch(frame -> text.equals(frame.path("text").asString()));
			}
		});
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
			assertThat(http.page("/admin/moderation", session).body()).contains("<span>" + target.id() + "</span>");
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

	@Test
	void anAdminCreatesAndEditsRoomsAndRefusesBadOnes() {
		String session = http.formLogin("/admin/login", "root", PASSWORD);
		String slug = "plans-" + System.nanoTime() % 1_000_000;

		assertThat(flash(act(session, "/admin/rooms", Map.of("slug", slug, "name", " <b>Plans</b> ", "topic", "Q3")),
				session)).contains("Room " + slug + " is open.");
		String page = http.page("/admin/rooms", session).body();
		assertThat(page).contains("data-room=\"" + slug + "\"", "value=\"&lt;b&gt;Plans&lt;/b&gt;\"", "value=\"Q3\"",
				http.base() + "/rooms/" + slug);
		Guest guest = http.guest("Planner");
		try (WsClient member = http.connectWelcomed(guest)) {
			assertThat(member.request(Map.of("type", "join", "room", slug)).path("type").asString()).isEqualTo("joined");

			assertThat(flash(act(session, "/admin/rooms", Map.of("slug", slug, "name", "Again")), session))
				.contains("There is a room " + slug + " already.");
			assertThat(flash(act(session, "/admin/rooms", Map.of("slug", "Not A Slug", "name", "x")), session))
				.contains("lower-case letters, digits and dashes");
			assertThat(flash(act(session, "/admin/rooms", Map.of("slug", slug + "-2", "name", " ")), session))
				.contains("A room name needs 1 to 60 characters.");
			assertThat(flash(act(session, "/admin/rooms", Map.of("slug", slug + "-3", "name", "x", "topic", "t".repeat(201))),
					session)).contains("A topic has at most 200 characters.");
			assertThat(http.page("/admin/rooms", session).body()).doesNotContain("data-room=\"" + slug + "-2\"",
					"data-room=\"" + slug + "-3\"");

			assertThat(flash(act(session, "/admin/rooms/" + slug, Map.of("name", "Plans 2", "topic", "Q4")), session))
				.contains("Room " + slug + " was saved.");
			assertThat(http.page("/admin/rooms", session).body()).contains("value=\"Plans 2\"", "value=\"Q4\"");
			JsonNode changed = member.next("room");
			assertThat(changed.path("room").asString()).isEqualTo(slug);
			assertThat(changed.path("name").asString()).as("members see the new name at once").isEqualTo("Plans 2");
			assertThat(changed.path("topic").asString()).isEqualTo("Q4");
			assertThat(changed.path("open").asBoolean()).isTrue();
		}
		assertThat(flash(act(session, "/admin/rooms/" + slug, Map.of("name", "")), session))
			.contains("A room name needs 1 to 60 characters.");
		assertThat(flash(act(session, "/admin/rooms/no-such-room", Map.of("name", "Ghost")), session))
			.contains("There is no room no-such-room.");
		assertThat(http.page("/admin/rooms", session).body()).contains("value=\"Plans 2\"").doesNotContain("no-such-room\"");
	}

	@Test
	void aClosedRoomTellsItsMembersRefusesMessagesAndNewcomersAndReopens() {
		String session = http.formLogin("/admin/login", "root", PASSWORD);
		String slug = "closing-" + System.nanoTime() % 1_000_000;
		assertThat(flash(act(session, "/admin/rooms", Map.of("slug", slug, "name", "Closing")), session)).contains("is open");
		Guest member = http.guest("Member");
		Guest newcomer = http.guest("Newcomer");
		try (WsClient ws = http.connectWelcomed(member); WsClient late = http.connectWelcomed(newcomer)) {
			ws.request(Map.of("type", "join", "room", slug));

			assertThat(flash(act(session, "/admin/rooms/" + slug + "/close", Map.of()), session))
				.contains("Room " + slug + " is closed.");
			assertThat(ws.next("room").path("open").asBoolean()).isFalse();
			assertThat(ws.next("system").path("text").asString()).isEqualTo("This room is closed: no new messages.");
			assertThat(ws.request(Map.of("type", "message", "room", slug, "text", "anyone?")).path("code").asString())
				.isEqualTo("forbidden");
			assertThat(late.request(Map.of("type", "join", "room", slug)).path("code").asString()).isEqualTo("forbidden");
			assertThat(ws.request(Map.of("type", "join", "room", slug)).path("type").asString())
				.as("a member may still open the room to read it").isEqualTo("joined");
			assertThat(flash(act(session, "/admin/rooms/" + slug + "/close", Map.of()), session))
				.contains("Room " + slug + " is closed already.");
			assertThat(http.page("/admin/rooms", session).body()).containsPattern(
					"data-room=\"" + slug + "\"[\\s\\S]*?class=\"state\">closed<");
			try (WsClient again = http.connect(member)) {
				JsonNode summary = again.next("welcome").path("rooms").get(0);
				assertThat(summary.path("slug").asString()).isEqualTo(slug);
				assertThat(summary.path("open").asBoolean(true)).as("a member's next welcome says it is closed").isFalse();
			}

			assertThat(flash(act(session, "/admin/rooms/" + slug + "/open", Map.of()), session))
				.contains("Room " + slug + " is open again.");
			assertThat(ws.next("room").path("open").asBoolean()).isTrue();
			assertThat(ws.next("system").path("text").asString()).isEqualTo("This room is open again.");
			assertThat(ws.request(Map.of("type", "message", "room", slug, "text", "back")).path("type").asString())
				.isEqualTo("ack");
			assertThat(late.request(Map.of("type", "join", "room", slug)).path("type").asString()).isEqualTo("joined");
			assertThat(flash(act(session, "/admin/rooms/nowhere/close", Map.of()), session))
				.contains("There is no room nowhere.");
		}
	}

	@Test
	void roomActionsNeedTheAdminAndTheCsrfToken() {
		String slug = "guarded-" + System.nanoTime() % 1_000_000;
		String chatSession = chatLogin("sneaky").session();
		HttpResponse<String> asChatUser = http.form("/admin/rooms", chatSession, csrf("/", chatSession),
				Map.of("slug", slug, "name", "Sneaky"));
		assertThat(location(asChatUser)).endsWith("/admin/login");
		String session = http.formLogin("/admin/login", "root", PASSWORD);
		assertThat(http.form("/admin/rooms", session, null, Map.of("slug", slug, "name", "Forged")).statusCode())
			.isEqualTo(403);
		assertThat(http.form("/admin/rooms/lobby/close", session, null, Map.of()).statusCode()).isEqualTo(403);
		String page = http.page("/admin/rooms", session).body();
		assertThat(page).doesNotContain("data-room=\"" + slug + "\"").containsPattern(
				"data-room=\"lobby\"[\\s\\S]*?class=\"state\">open<");
	}

	@Test
	void aMutedUserIsToldAndTheirMessagesAreRefusedUntilUnmuted() {
		Guest target = http.guest("Loud");
		Guest other = http.guest("Calm");
		try (WsClient ws = http.connectWelcomed(target); WsClient calm = http.connectWelcomed(other)) {
			ws.request(Map.of("type", "join", "room", "lobby"));
			calm.request(Map.of("type", "join", "room", "lobby"));
			String session = http.formLogin("/admin/login", "root", PASSWORD);

			assertThat(flash(act(session, "/admin/mute",
					Map.of("user", target.id(), "minutes", "15", "reason", "cool down")), session))
				.contains(target.id() + " is muted for 15 minutes.");
			assertThat(ws.next("system").path("text").asString()).isEqualTo("An admin muted you for 15 minutes: cool down");
			JsonNode refused = ws.request(Map.of("type", "message", "room", "lobby", "text", "LOUD"));
			assertThat(refused.path("code").asString()).isEqualTo("forbidden");
			assertThat(refused.path("message").asString()).contains("muted");
			assertThat(ws.request(Map.of("type", "private", "to", other.id(), "text", "psst")).path("code").asString())
				.isEqualTo("forbidden");
			assertThat(calm.request(Map.of("type", "message", "room", "lobby", "text", "hello")).path("type").asString())
				.isEqualTo("ack");
			calm.expectNone("private", 200);
			assertThat(http.page("/admin/moderation", session).body()).containsPattern(
					"data-user=\"" + target.id() + "\"[\\s\\S]*?until 20");

			assertThat(flash(act(session, "/admin/mute", Map.of("user", target.id(), "minutes", "0")), session))
				.contains("A mute lasts 1 to 10080 minutes.");
			assertThat(flash(act(session, "/admin/mute", Map.of("user", "no-such-user", "minutes", "5")), session))
				.contains("There is no user no-such-user.");
			assertThat(flash(act(session, "/admin/mute",
					Map.of("user", target.id(), "minutes", "5", "reason", "x".repeat(201))), session))
				.contains("A reason has at most 200 characters.");
			ws.expectNone("system", 200);

			assertThat(flash(act(session, "/admin/unmute", Map.of("user", target.id())), session))
				.contains(target.id() + " may send messages again.");
			assertThat(ws.next("system").path("text").asString()).isEqualTo("You may send messages again.");
			assertThat(ws.request(Map.of("type", "message", "room", "lobby", "text", "sorry")).path("type").asString())
				.isEqualTo("ack");
			assertThat(flash(act(session, "/admin/unmute", Map.of("user", target.id())), session))
				.contains(target.id() + " is not muted.");
		}
	}

	@Test
	void theLiveNumbersCountThisInstancesConnectionsMessagesAndDeliveries() {
		String session = http.formLogin("/admin/login", "root", PASSWORD);
		JsonNode before = stats(session).path("instances").get(0);
		Guest guest = http.guest("Counted");
		try (WsClient ws = http.connectWelcomed(guest)) {
			ws.request(Map.of("type", "join", "room", "lobby"));
			for (int i = 0; i < 3; i++) {
				ws.request(Map.of("type", "message", "room", "lobby", "text", "count me " + i));
				ws.next("message");
			}
			JsonNode after = stats(session);
			JsonNode local = after.path("instances").get(0);
			assertThat(after.path("online").asLong()).isPositive();
			assertThat(local.path("instance").asString()).isEqualTo(before.path("instance").asString());
			assertThat(local.path("connections").asLong()).isEqualTo(before.path("connections").asLong() + 1);
			assertThat(local.path("messages").asLong()).isEqualTo(before.path("messages").asLong() + 3);
			assertThat(local.path("deliveries").asLong()).isGreaterThanOrEqualTo(before.path("deliveries").asLong() + 3);
		}
		String chatSession = chatLogin("peeker").session();
		assertThat(location(http.page("/admin/stats", chatSession))).endsWith("/admin/login");
	}

	@Test
	void theChartsHistoryHoldsEachInstancesSamplesOfTheLastHourOnly() {
		String session = http.formLogin("/admin/login", "root", PASSWORD);
		// a stream takes no entry older than its newest: start it afresh, at once, before the scheduled sample
		redis.execute(RedisScript.of("redis.call('DEL', KEYS[1]) redis.call('XADD', KEYS[1], ARGV[1], 'i', 'gone', "
				+ "'c', 1, 'm', 1, 'd', 1, 'r', 0) return 1", Long.class), List.of(RedisKeys.STATS_HISTORY),
				(System.currentTimeMillis() - 3_700_000L) + "-0");
		history.record();
		Guest guest = http.guest("Charted");
		try (WsClient ws = http.connectWelcomed(guest)) {
			ws.request(Map.of("type", "join", "room", "lobby"));
			ws.request(Map.of("type", "message", "room", "lobby", "text", "on the chart"));
			history.record();
		}

		JsonNode charted = json(session, "/admin/stats/history");
		assertThat(charted.path("step").asLong()).isEqualTo(10_000);
		assertThat(charted.path("span").asLong()).isEqualTo(3_600_000);
		String instance = stats(session).path("instances").get(0).path("instance").asString();
		List<JsonNode> lines = new ArrayList<>();
		charted.path("instances").forEach(lines::add);
		assertThat(lines).extracting(line -> line.path("instance").asString()).contains(instance);
		assertThat(redis.opsForStream().range(RedisKeys.STATS_HISTORY, Range.unbounded()))
			.as("a sample older than the hour is dropped when the next is written")
			.noneMatch(record -> "gone".equals(record.getValue().get("i")));
		JsonNode samples = lines.stream().filter(line -> line.path("instance").asString().equals(instance)).findFirst()
			.orElseThrow().path("samples");
		JsonNode first = samples.get(samples.size() - 2);
		JsonNode last = samples.get(samples.size() - 1);
		assertThat(last).hasSize(5);
		assertThat(last.get(0).asLong()).isGreaterThanOrEqualTo(first.get(0).asLong());
		assertThat(last.get(1).asLong()).as("connections").isEqualTo(first.get(1).asLong() + 1);
		assertThat(last.get(2).asLong()).as("messages so far").isEqualTo(first.get(2).asLong() + 1);
	}

	@Test
	void aModerationActionGoesBackToTheConsolePageItCameFromAndNowhereElse() {
		Guest target = http.guest("Returned");
		String session = http.formLogin("/admin/login", "root", PASSWORD);
		String csrf = csrf("/admin", session);
		HttpResponse<String> fromPerson = http.form("/admin/mute", session, csrf,
				Map.of("user", target.id(), "minutes", "5", "back", "/admin/people/" + target.id()));
		assertThat(URI.create(location(fromPerson)).getPath()).isEqualTo("/admin/people/" + target.id());
		assertThat(http.page("/admin/people/" + target.id(), cookie(fromPerson, session)).body())
			.contains(target.id() + " is muted for 5 minutes.");
		for (String elsewhere : List.of("https://evil.example/admin", "//evil.example/admin", "/admin/../login",
				"/chat")) {
			HttpResponse<String> refused = http.form("/admin/unmute", session, csrf,
					Map.of("user", "no-such-user", "back", elsewhere));
			assertThat(location(refused)).as(elsewhere).endsWith("/admin/moderation");
		}
	}

	private JsonNode json(String session, String path) {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(http.base() + path))
			.header("Accept", "application/json")
			.header("Cookie", session)
			.build());
		assertThat(response.statusCode()).isEqualTo(200);
		return ParleyHttp.json(response);
	}

	private JsonNode stats(String session) {
		return json(session, "/admin/stats");
	}

	@Test
	void aPushKeyMadeInTheConsoleIsShownOnceAndWorksUntilRevoked() {
		String session = http.formLogin("/admin/login", "root", PASSWORD);
		String name = "billing " + System.nanoTime() % 1_000_000;
		String shown = flash(act(session, "/admin/push-keys", Map.of("name", name)), session);
		assertThat(shown).contains("Push API key " + name + " is ready. Copy it now: it is not shown again.");
		Matcher secret = Pattern.compile("id=\"new-key\" value=\"(pk_[A-Za-z0-9_-]{40,})\"").matcher(shown);
		assertThat(secret.find()).isTrue();
		String key = secret.group(1);
		String page = http.page("/admin/push-keys", session).body();
		assertThat(page).contains(name).doesNotContain(key);
		Matcher id = Pattern.compile("data-key=\"([0-9a-f]{16})\">\\s*<span>" + name).matcher(page);
		assertThat(id.find()).isTrue();

		Guest guest = http.guest("Pushed");
		try (WsClient ws = http.connectWelcomed(guest)) {
			String body = "{\"user\":\"" + guest.id() + "\",\"data\":{\"n\":1}}";
			assertThat(http.push(key, body).statusCode()).isEqualTo(202);
			assertThat(ws.next("push").path("data").path("n").asInt()).isEqualTo(1);

			assertThat(flash(act(session, "/admin/push-keys/" + id.group(1) + "/revoke", Map.of()), session))
				.contains("The push API key was revoked");
			assertThat(http.push(key, body).statusCode()).isEqualTo(401);
			ws.expectNone("push", 300);
		}
		assertThat(http.page("/admin/push-keys", session).body()).doesNotContain(name);
		assertThat(flash(act(session, "/admin/push-keys/" + id.group(1) + "/revoke", Map.of()), session))
			.contains("There is no such push API key.");
		assertThat(flash(act(session, "/admin/push-keys", Map.of("name", " ")), session))
			.contains("A push API key needs a name of 1 to 60 characters.");
	}

	@Test
	void aRoomsPageListsItsMessagesAndAnAdminDeletesOneForEveryMemberLive() {
		String session = http.formLogin("/admin/login", "root", PASSWORD);
		Guest ann = http.guest("Ann");
		try (WsClient client = http.connectWelcomed(ann)) {
			client.request(Map.of("type", "join", "room", "lobby"));
			String kept = client.request(Map.of("type", "message", "room", "lobby", "text", "kept <b>here</b>")).path("id")
				.asString();
			String spam = client.request(Map.of("type", "message", "room", "lobby", "text", "buy now")).path("id")
				.asString();

			String page = http.page("/admin/rooms/lobby", session).body();
			assertThat(page).contains("data-id=\"" + kept + "\"", "data-id=\"" + spam + "\"", "kept &lt;b&gt;here&lt;/b&gt;")
				.doesNotContain("<b>here</b>");
			assertThat(http.page("/admin/rooms", session).body()).contains("href=\"/admin/rooms/lobby\"");

			HttpResponse<String> deleted = http.form("/admin/rooms/lobby/messages/" + spam + "/delete", session,
					csrf("/admin/rooms/lobby", session), Map.of());
			assertThat(location(deleted)).endsWith("/admin/rooms/lobby");
			JsonNode event = client.next("deleted");
			assertThat(event.path("id").asString()).isEqualTo(spam);
			assertThat(event.path("by").path("id").asString()).isEqualTo("root");
			String after = http.page("/admin/rooms/lobby", cookie(deleted, session)).body();
			assertThat(after).contains("The message was deleted for everyone.", "data-id=\"" + kept + "\"")
				.doesNotContain("data-id=\"" + spam + "\"");

			HttpResponse<String> again = http.form("/admin/rooms/lobby/messages/" + spam + "/delete", session,
					csrf("/admin/rooms/lobby", session), Map.of());
			assertThat(http.page("/admin/rooms/lobby", cookie(again, session)).body()).contains("Not deleted: no message");
			assertThat(http.form("/admin/rooms/lobby/messages/" + kept + "/delete", session, null, Map.of()).statusCode())
				.as("no CSRF token").isEqualTo(403);
		}
	}

	@Test
	void anAdminMakesAUserAModeratorWhoMayThenDeleteOthersMessagesInThatRoomOnly() {
		String session = http.formLogin("/admin/login", "root", PASSWORD);
		String room = "mods-" + System.nanoTime() % 1_000_000;
		assertThat(flash(act(session, "/admin/rooms", Map.of("slug", room, "name", "Mods")), session)).contains("is open");
		Guest ann = http.guest("Ann");
		Guest mod = http.guest("Mod");
		HttpResponse<String> made = http.form("/admin/rooms/" + room + "/moderators", session,
				csrf("/admin/rooms/" + room, session), Map.of("user", mod.id()));
		assertThat(http.page("/admin/rooms/" + room, cookie(made, session)).body())
			.contains(mod.id() + " may now delete any message in " + room, "data-user=\"" + mod.id() + "\"");
		HttpResponse<String> unknown = http.form("/admin/rooms/" + room + "/moderators", session,
				csrf("/admin/rooms/" + room, session), Map.of("user", "nobody-at-all"));
		assertThat(http.page("/admin/rooms/" + room, cookie(unknown, session)).body()).contains("There is no user nobody-at-all.");

		try (WsClient annClient = http.connectWelcomed(ann); WsClient modClient = http.connectWelcomed(mod)) {
			for (WsClient client : java.util.List.of(annClient, modClient)) {
				client.request(Map.of("type", "join", "room", room));
				client.request(Map.of("type", "join", "room", "lobby"));
			}
			String inRoom = annClient.request(Map.of("type", "message", "room", room, "text", "x")).path("id").asString();
			String inLobby = annClient.request(Map.of("type", "message", "room", "lobby", "text", "y")).path("id").asString();
			assertThat(modClient.request(Map.of("type", "delete", "room", "lobby", "id", inLobby)).path("code").asString())
				.isEqualTo("forbidden");
			assertThat(modClient.request(Map.of("type", "delete", "room", room, "id", inRoom)).path("type").asString())
				.isEqualTo("ack");

			http.form("/admin/rooms/" + room + "/moderators/" + mod.id() + "/remove", session,
					csrf("/admin/rooms/" + room, session), Map.of());
			String next = annClient.request(Map.of("type", "message", "room", room, "text", "z")).path("id").asString();
			assertThat(modClient.request(Map.of("type", "delete", "room", room, "id", next)).path("code").asString())
				.isEqualTo("forbidden");
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

	/** Posts a console form with the live page's CSRF token; returns the redirect to the section it acted on. */
	private HttpResponse<String> act(String session, String path, Map<String, String> fields) {
		HttpResponse<String> response = http.form(path, session, csrf("/admin", session), fields);
		assertThat(URI.create(location(response)).getPath()).isEqualTo(SECTIONS.get(path.split("/")[2]));
		return response;
	}

	/** The page each kind of action goes back to, by the action's first path segment after /admin. */
	private static final Map<String, String> SECTIONS = Map.of("announce", "/admin/announcements", "announcements",
			"/admin/announcements", "kick", "/admin/moderation", "ban", "/admin/moderation", "unban",
			"/admin/moderation", "mute", "/admin/moderation", "unmute", "/admin/moderation", "rooms", "/admin/rooms",
			"push-keys", "/admin/push-keys");

	/** The message the section an action went back to shows once. */
	private String flash(HttpResponse<String> action, String session) {
		return http.page(URI.create(location(action)).getPath(), cookie(action, session)).body();
	}

	private String csrf(String path, String session) {
		return ParleyHttp.csrfToken(http.page(path, session).body());
	}

}
