package dev.parley.security;

import java.net.http.HttpResponse;
import java.util.Map;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static dev.parley.support.ParleyHttp.location;
import static org.assertj.core.api.Assertions.assertThat;

/** Password guessing over real HTTP: the chat's form, the token API and the console's form all pause a login. */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.auth.login-attempts=3", "parley.admin.password=throttle admin secret" })
class LoginThrottleIT {

	private static final String PASSWORD = "the right password";

	@Autowired
	ParleyHttp http;

	@Test
	void afterTooManyWrongPasswordsTheTokenApiRefusesEvenTheRightOne() {
		String username = register("api");
		for (int i = 0; i < 3; i++) {
			assertThat(token(username, "wrong " + i).statusCode()).isEqualTo(401);
		}
		HttpResponse<String> locked = token(username, PASSWORD);
		assertThat(locked.statusCode()).isEqualTo(429);
		assertThat(locked.headers().firstValue("Retry-After")).contains("900");
		assertThat(ParleyHttp.json(locked).path("error").asString()).contains("too many wrong passwords");

		String other = register("bystander");
		assertThat(token(other, PASSWORD).statusCode()).as("other users are not affected").isEqualTo(200);
		assertThat(formLogin("/login", username, PASSWORD)).as("the form shares the count").endsWith("/login?locked");
	}

	@Test
	void theLoginFormPausesAfterTooManyWrongPasswordsInARowAndSaysSo() {
		String username = register("form");
		for (int i = 0; i < 2; i++) {
			assertThat(formLogin("/login", username, "wrong " + i)).endsWith("/login?error");
		}
		assertThat(formLogin("/login", username, PASSWORD)).as("a success starts the count again").isEqualTo("/");
		for (int i = 0; i < 3; i++) {
			assertThat(formLogin("/login", username, "wrong again " + i)).endsWith("/login?error");
		}
		assertThat(formLogin("/login", username, PASSWORD)).endsWith("/login?locked");
		assertThat(http.page("/login?locked", null).body()).contains("Too many wrong passwords");
	}

	@Test
	void theConsoleLoginIsPausedApartFromTheChats() {
		for (int i = 0; i < 3; i++) {
			assertThat(formLogin("/admin/login", "admin", "wrong " + i)).endsWith("/admin/login?error");
		}
		assertThat(formLogin("/admin/login", "admin", "throttle admin secret")).endsWith("/admin/login?locked");
		assertThat(http.page("/admin/login?locked", null).body()).contains("Too many wrong passwords");

		String chatUser = register("admin");
		assertThat(formLogin("/login", chatUser, PASSWORD)).as("a chat login is counted apart").isEqualTo("/");
	}

	@Test
	void anAddressMadeUpLeftOfTheProxysHopDoesNotDodgeTheCount() {
		String username = register("hops");
		for (int i = 0; i < 3; i++) {
			Map<String, String> hops = Map.of("X-Forwarded-For", "203.0.113." + i + ", 198.51.100.7");
			assertThat(http.postJson("/api/auth/token", Map.of("username", username, "password", "wrong"), hops)
				.statusCode()).isEqualTo(401);
		}
		Map<String, String> newHop = Map.of("X-Forwarded-For", "203.0.113.99, 198.51.100.7");
		assertThat(http.postJson("/api/auth/token", Map.of("username", username, "password", PASSWORD), newHop)
			.statusCode()).isEqualTo(429);
		Map<String, String> otherClient = Map.of("X-Forwarded-For", "198.51.100.8");
		assertThat(http.postJson("/api/auth/token", Map.of("username", username, "password", PASSWORD), otherClient)
			.statusCode()).as("the proxy's own hop names the client").isEqualTo(200);
	}

	/** Posts a login form as a browser would; returns where it redirects. */
	private String formLogin(String page, String username, String password) {
		HttpResponse<String> form = http.page(page, null);
		String session = ParleyHttp.setSessionCookie(form).orElseThrow();
		return location(http.form(page, session, ParleyHttp.csrfToken(form.body()),
				Map.of("username", username, "password", password)));
	}

	private HttpResponse<String> token(String username, String password) {
		return http.postJson("/api/auth/token", Map.of("username", username, "password", password));
	}

	private String register(String prefix) {
		String username = prefix + System.nanoTime() % 1_000_000;
		assertThat(http.postJson("/api/users", Map.of("username", username, "password", PASSWORD)).statusCode())
			.isEqualTo(201);
		return username;
	}

}
