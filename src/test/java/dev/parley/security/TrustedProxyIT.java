package dev.parley.security;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;

import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyInstance;
import dev.parley.support.TestRedis;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forwarded headers count from trusted proxies only: loopback is trusted by default; the second
 * instance trusts only 10.0.0.0/8, so the same loopback requests are an untrusted client's.
 */
class TrustedProxyIT {

	private static final Map<String, String> VIA_TLS_PROXY = Map.of("X-Forwarded-Proto", "https",
			"X-Forwarded-Host", "chat.example.org", "X-Forwarded-Port", "443");

	static TestRedis redis;

	static ParleyInstance trusting;

	static ParleyInstance untrusting;

	@BeforeAll
	static void start() {
		redis = new TestRedis();
		trusting = ParleyInstance.start(redis.port());
		untrusting = ParleyInstance.start(redis.port(), "parley.proxy.trusted=10.0.0.0/8");
	}

	@AfterAll
	static void stop() {
		untrusting.close();
		trusting.close();
		redis.close();
	}

	@Test
	void httpsForwardedByATrustedProxyMakesTheSessionCookieSecure() {
		assertThat(sessionCookieOfTheLoginPage(trusting)).contains("SESSION=").containsIgnoringCase("Secure");
	}

	@Test
	void httpsClaimedByAnUntrustedPeerIsIgnored() {
		assertThat(sessionCookieOfTheLoginPage(untrusting)).contains("SESSION=").doesNotContainIgnoringCase("Secure");
	}

	@Test
	void aPageServedThroughATrustedTlsProxyMayOpenTheWebSocket() {
		Guest guest = trusting.http().guest("Tess");
		try (WsClient ws = WsClient.connect(trusting.http().wsUrl(), handshake(guest))) {
			assertThat(ws.next("welcome")).isNotNull();
		}
	}

	@Test
	void anUntrustedPeerCannotClaimTheOriginsHost() {
		Guest guest = untrusting.http().guest("Mallory");
		assertThat(WsClient.refusedStatus(untrusting.http().wsUrl(), handshake(guest))).isEqualTo(403);
	}

	private static Map<String, String> handshake(Guest guest) {
		Map<String, String> headers = new java.util.HashMap<>(VIA_TLS_PROXY);
		headers.put("Origin", "https://chat.example.org");
		headers.put("Authorization", "Bearer " + guest.token());
		return headers;
	}

	private static String sessionCookieOfTheLoginPage(ParleyInstance instance) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(instance.http().base() + "/login"));
		VIA_TLS_PROXY.forEach(request::header);
		return String.join("\n", instance.http().send(request.build()).headers().allValues("Set-Cookie"));
	}

}
