package dev.parley.ws;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import dev.parley.config.RedisKeys;
import dev.parley.security.TokenService;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.RawWebSocket;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may open {@code /ws}: real handshakes over real sockets. */
@ParleyIntegrationTest
class HandshakeIT {

	@LocalServerPort
	int port;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	ParleyHttp http;

	@Test
	void aHandshakeWithoutCredentialsIs401() {
		assertThat(WsClient.refusedStatus(http.wsUrl(), Map.of())).isEqualTo(401);
	}

	@Test
	void aHandshakeWithAnUnknownTokenIs401() {
		assertThat(WsClient.refusedStatus(http.wsUrl(), Map.of("Authorization", "Bearer not-a-token")))
			.isEqualTo(401);
		assertThat(WsClient.refusedStatus(http.wsUrl() + "?token=nope", Map.of())).isEqualTo(401);
	}

	/**
	 * A token names its user so that the user's standing is read alongside its lookup; the claim
	 * counts only when the lookup agrees. Changing the claim changes the token (so its lookup finds
	 * nothing), and a token whose lookup names another user than its claim is refused too.
	 */
	@Test
	void aTokenIsRefusedUnlessItsLookupConfirmsTheUserItNames() {
		Guest holder = http.guest("Holder");
		Guest other = http.guest("Other");
		assertThat(TokenService.claimedUser(holder.token())).contains(holder.id());
		String claimingOther = Base64.getUrlEncoder().withoutPadding()
			.encodeToString(other.id().getBytes(StandardCharsets.UTF_8))
				+ holder.token().substring(holder.token().indexOf('.'));
		assertThat(WsClient.refusedStatus(http.wsUrl(), Map.of("Authorization", "Bearer " + claimingOther)))
			.isEqualTo(401);
		redis.opsForValue().set(RedisKeys.token(TokenService.hash(claimingOther)), holder.id(), Duration.ofMinutes(5));
		assertThat(WsClient.refusedStatus(http.wsUrl(), Map.of("Authorization", "Bearer " + claimingOther)))
			.isEqualTo(401);
		try (WsClient ws = WsClient.connect(http.wsUrl(), Map.of("Authorization", "Bearer " + holder.token()))) {
			assertThat(ws.next("welcome").path("user").path("id").asString()).isEqualTo(holder.id());
		}
	}

	/** Tokens issued before tokens named their user hold until their TTL: their lookup comes first. */
	@Test
	void aTokenThatNamesNoUserStillAuthenticates() {
		Guest guest = http.guest("Elder");
		String unnamed = "an-unnamed-token-of-before";
		redis.opsForValue().set(RedisKeys.token(TokenService.hash(unnamed)), guest.id(), Duration.ofMinutes(5));
		assertThat(TokenService.claimedUser(unnamed)).isEmpty();
		try (WsClient ws = WsClient.connect(http.wsUrl(), Map.of("Authorization", "Bearer " + unnamed))) {
			assertThat(ws.next("welcome").path("user").path("id").asString()).isEqualTo(guest.id());
		}
	}

	@Test
	void aMalformedOriginIsRefusedWith403NotAServerError() {
		Guest guest = http.guest("Orson");
		for (String origin : new String[] { "http://127.0.0.1:abc", "http://[::1", "not a url at all", "http://" }) {
			assertThat(WsClient.refusedStatus(http.wsUrl(),
					Map.of("Origin", origin, "Authorization", "Bearer " + guest.token())))
				.as(origin).isEqualTo(403);
			assertThat(http.send(HttpRequest.newBuilder(URI.create(http.base() + "/ws")).header("Origin", origin).build())
				.statusCode()).as("unauthenticated, " + origin).isEqualTo(403);
			assertThat(http.send(HttpRequest.newBuilder(URI.create(http.base() + "/login")).header("Origin", origin)
				.build()).statusCode()).as("a page, " + origin).isLessThan(500);
		}
	}

	@Test
	void aBearerHeaderAuthenticates() {
		Guest guest = http.guest("Hal");
		try (WsClient ws = WsClient.connect(http.wsUrl(), Map.of("Authorization", "Bearer " + guest.token()))) {
			assertThat(ws.next("welcome").path("user").path("id").asString()).isEqualTo(guest.id());
		}
	}

	/**
	 * The servlet container's filters stamp every response they see with an {@code X-Request-Id}: a
	 * token's handshake is answered before them ({@code DirectHandshakes}), a browser's (with its
	 * Origin) by {@code WebSocketEndpoint} behind them, and either gets its connection.
	 */
	@Test
	void aTokenHandshakeIsUpgradedInFrontOfTheServletContainerAndABrowsersBehindIt() throws Exception {
		Guest guest = http.guest("Dirk");
		try (RawWebSocket direct = RawWebSocket.connect(port, guest.token());
				RawWebSocket servlet = RawWebSocket.connect(port, guest.token(),
						"Origin: http://localhost:" + port + "\r\n")) {
			assertThat(direct.handshake().toLowerCase()).doesNotContain("x-request-id");
			assertThat(servlet.handshake().toLowerCase()).contains("x-request-id");
			assertThat(direct.read().text()).startsWith("{\"type\":\"welcome\"");
			assertThat(servlet.read().text()).startsWith("{\"type\":\"welcome\"");
		}
	}

	@Test
	void aClientOfferingPermessageDeflateGetsPlainFramesSoThatABroadcastIsEncodedOnceForAll() throws Exception {
		Guest guest = http.guest("Ida");
		try (RawWebSocket ws = RawWebSocket.connect(port, guest.token(),
				"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")) {
			assertThat(ws.handshake().toLowerCase()).doesNotContain("sec-websocket-extensions");
			RawWebSocket.Frame welcome = ws.read();
			assertThat(welcome.rsv1()).isFalse();
			assertThat(welcome.text()).startsWith("{\"type\":\"welcome\"");
		}
	}

	@Test
	void aTokenQueryParameterAuthenticates() {
		Guest guest = http.guest("Hal");
		try (WsClient ws = WsClient.connect(http.wsUrl() + "?token=" + guest.token(), Map.of())) {
			assertThat(ws.next("welcome").path("user").path("id").asString()).isEqualTo(guest.id());
		}
	}

	@Test
	void theSessionCookieOfALoggedInBrowserAuthenticates() throws Exception {
		String username = "cookie" + System.nanoTime() % 1_000_000;
		http.postJson("/api/users", Map.of("username", username, "password", "correct horse"));
		String cookie = http.formLogin(username, "correct horse");

		try (WsClient ws = WsClient.connect(http.wsUrl(),
				Map.of("Cookie", cookie, "Origin", "http://localhost:" + port))) {
			assertThat(ws.next("welcome").path("user").path("id").asString()).isEqualTo(username);
		}
	}

	@Test
	void aRememberedLoginAuthenticatesWhenItsSessionIsGone() {
		HttpResponse<String> form = http.page("/login", null);
		HttpResponse<String> joined = http.form("/guest", ParleyHttp.setSessionCookie(form).orElseThrow(),
				ParleyHttp.csrfToken(form.body()), Map.of("name", "Remembered"));
		String rememberMe = joined.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter(cookie -> cookie.startsWith("remember-me="))
			.map(cookie -> cookie.substring(0, cookie.indexOf(';')))
			.findFirst()
			.orElseThrow();

		try (WsClient ws = WsClient.connect(http.wsUrl(),
				Map.of("Cookie", rememberMe, "Origin", "http://localhost:" + port))) {
			assertThat(ws.next("welcome").path("user").path("name").asString()).isEqualTo("Remembered");
		}
	}

	@Test
	void aBannedUserIs403() {
		Guest guest = http.guest("Hal");
		redis.opsForSet().add(RedisKeys.BANNED, guest.id());
		assertThat(WsClient.refusedStatus(http.wsUrl(), Map.of("Authorization", "Bearer " + guest.token())))
			.isEqualTo(403);
	}

	@Test
	void aForeignOriginIs403() {
		Guest guest = http.guest("Hal");
		assertThat(WsClient.refusedStatus(http.wsUrl(),
				Map.of("Authorization", "Bearer " + guest.token(), "Origin", "http://evil.example")))
			.isEqualTo(403);
	}

	@Test
	void thePagesOwnOriginIsAllowed() {
		Guest guest = http.guest("Hal");
		try (WsClient ws = WsClient.connect(http.wsUrl(),
				Map.of("Authorization", "Bearer " + guest.token(), "Origin", "http://localhost:" + port))) {
			assertThat(ws.next("welcome")).isNotNull();
		}
	}

	@Test
	void anAuthenticatedRequestThatIsNotAnUpgradeIs400() throws Exception {
		Guest guest = http.guest("Hal");
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ws"))
				.header("Authorization", "Bearer " + guest.token())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(400);
	}

}
