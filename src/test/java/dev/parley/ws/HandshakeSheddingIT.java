package dev.parley.ws;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.RawWebSocket;
import dev.parley.support.WsClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code parley.ws.handshakes-in-flight}: connections that are accepted and say nothing yet hold
 * their places, as the first of a storm do; a handshake arriving past the limit is answered
 * {@code 503} with {@code Retry-After} at once, and once the earlier ones are gone the next is let in.
 */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.ws.handshakes-in-flight=2" })
class HandshakeSheddingIT {

	@LocalServerPort
	int port;

	@Autowired
	ParleyHttp http;

	@Autowired
	MeterRegistry meters;

	@Test
	void aHandshakeArrivingPastTheLimitInFlightIsShedWithRetryAfterAndLaterOnesAreLetIn() throws IOException {
		Guest guest = http.guest("Stormy");
		double shedBefore = shedCount();
		try (Socket first = new Socket("localhost", port); Socket second = new Socket("localhost", port)) {
			await().atMost(Duration.ofSeconds(5)).until(() -> inFlight() >= 2);
			String answer = RawWebSocket.handshakeAnswer(port, guest.token());
			assertThat(answer).startsWith("HTTP/1.1 503").containsPattern("(?i)retry-after: [1-9]");
			assertThat(shedCount()).isEqualTo(shedBefore + 1);
		}
		// what is left in flight is at most the test's own keep-alive HTTP connection
		await().atMost(Duration.ofSeconds(5)).until(() -> inFlight() < 2);
		// upgraded connections are past their handshake: three at once are more than the limit
		try (WsClient one = http.connectWelcomed(guest); WsClient two = http.connectWelcomed(guest);
				WsClient three = http.connectWelcomed(guest)) {
			assertThat(three.request(Map.of("type", "ping")).path("type").asString()).isEqualTo("pong");
			assertThat(inFlight()).isLessThan(2);
		}
	}

	/** The kernel's own figure (ss: a listener's Send-Q is its backlog); Jetty's default got 50. */
	@Test
	void theChatPortHoldsAStormsWorthOfConnectionsUntilTheyAreAccepted() throws Exception {
		Process ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + port).redirectErrorStream(true).start();
		String listener = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		assertThat(ss.waitFor()).as(listener).isZero();
		String[] columns = listener.lines().findFirst().orElseThrow().strip().split("\\s+");
		assertThat(Integer.parseInt(columns[2])).as(listener).isGreaterThanOrEqualTo(1024);
	}

	private double inFlight() {
		return meters.get("parley.handshakes.in.flight").gauge().value();
	}

	private double shedCount() {
		return meters.get("parley.handshakes").tag("outcome", ConnectionMeters.SHED).counter().count();
	}

}
