package dev.parley.security;

import java.net.http.HttpResponse;
import java.util.Map;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The browser session's life: a new id at login, and a logout that ends it and its WebSocket connections. */
@ParleyIntegrationTest
class SessionSecurityIT {

	private static final String PASSWORD = "session password";

	@Autowired
	ParleyHttp http;

	@Test
	void loggingInGivesTheBrowserANewSessionId() {
		String username = register("renew");
		HttpResponse<String> loginPage = http.page("/login", null);
		String before = ParleyHttp.setSessionCookie(loginPage).orElseThrow();
		HttpResponse<String> login = http.form("/login", before, ParleyHttp.csrfToken(loginPage.body()),
				Map.of("username", username, "password", PASSWORD));
		String after = ParleyHttp.setSessionCookie(login).orElseThrow();
		assertThat(after).isNotEqualTo(before);
		assertThat(http.page("/", before).statusCode()).as("the old id logs nobody in").isEqualTo(302);
		assertThat(http.page("/", after).statusCode()).isEqualTo(200);
	}

	@Test
	void loggingOutEndsTheSessionAndClosesTheConnectionsItOpenedButNotTheUsersOthers() {
		String username = register("logout");
		String session = http.formLogin(username, PASSWORD);
		String token = ParleyHttp.json(http.postJson("/api/auth/token",
				Map.of("username", username, "password", PASSWORD))).path("token").asString();
		try (WsClient browser = WsClient.connect(http.wsUrl(), Map.of("Cookie", session));
				WsClient app = WsClient.connect(http.wsUrl(), Map.of("Authorization", "Bearer " + token))) {
			browser.next("welcome");
			app.next("welcome");
			HttpResponse<String> chat = http.page("/", session);

			HttpResponse<String> logout = http.form("/logout", session, ParleyHttp.csrfToken(chat.body()), Map.of());

			assertThat(ParleyHttp.location(logout)).endsWith("/login?logout");
			assertThat(browser.awaitClose()).isEqualTo(4004);
			assertThat(app.isClosed()).isFalse();
			assertThat(http.page("/", session).statusCode()).as("the session is over").isEqualTo(302);
			assertThat(WsClient.refusedStatus(http.wsUrl(), Map.of("Cookie", session))).isEqualTo(401);
		}
	}

	private String register(String prefix) {
		String username = prefix + System.nanoTime() % 1_000_000;
		assertThat(http.postJson("/api/users", Map.of("username", username, "password", PASSWORD)).statusCode())
			.isEqualTo(201);
		return username;
	}

}
