package dev.parley.ws;

import java.time.Duration;
import java.util.Map;

import dev.parley.delivery.Hub;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.RawWebSocket;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The server's pings keep answering clients open and close silent ones with 4001. */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.ws.heartbeat-interval=200ms", "parley.ws.heartbeat-timeout=1s" })
@ExtendWith(OutputCaptureExtension.class)
class HeartbeatIT {

	private static final int PING = 0x9;

	private static final int CLOSE = 0x8;

	@LocalServerPort
	int port;

	@Autowired
	ParleyHttp http;

	@Autowired
	Hub hub;

	@Test
	void aClientThatAnswersPingsStaysOpenPastTheTimeoutWithoutSendingAnything() throws InterruptedException {
		try (WsClient ws = http.connectWelcomed(http.guest("Quiet"))) {
			Thread.sleep(2500);
			assertThat(ws.isClosed()).isFalse();
			ws.send(Map.of("type", "ping"));
			assertThat(ws.next("pong")).isNotNull();
		}
	}

	@Test
	void aClientThatReadsButNeverAnswersIsClosedWith4001() throws Exception {
		try (RawWebSocket ws = RawWebSocket.connect(port, http.guest("Mute").token())) {
			int pings = 0;
			RawWebSocket.Frame frame;
			while ((frame = ws.read()).opcode() != CLOSE) {
				pings += frame.opcode() == PING ? 1 : 0;
			}
			assertThat(pings).as("pinged before being dropped").isPositive();
			assertThat(frame.closeCode()).isEqualTo(4001);
		}
	}

	@Test
	void aClientWithTrafficInBothDirectionsIsNotPinged() throws Exception {
		try (RawWebSocket ws = RawWebSocket.connect(port, http.guest("Chatty").token())) {
			assertThat(ws.read().text()).contains("\"welcome\"");
			int pings = 0;
			for (int i = 0; i < 15; i++) {
				ws.sendText("{\"type\":\"ping\"}");
				RawWebSocket.Frame frame;
				while ((frame = ws.read()).opcode() != 0x1) {
					pings += frame.opcode() == PING ? 1 : 0;
				}
				Thread.sleep(100);
			}
			assertThat(pings).as("pings while frames went both ways every 100 ms, interval 200 ms").isZero();
		}
	}

	@Test
	void aConnectionDroppedWithoutACloseFrameIsForgottenWithoutWarnings(CapturedOutput output) throws Exception {
		ParleyHttp.Guest dropped = http.guest("Dropped");
		RawWebSocket ws = RawWebSocket.connect(port, dropped.token());
		ws.read();
		await().atMost(Duration.ofSeconds(5)).until(() -> !hub.clientsOf(dropped.id()).isEmpty());
		ws.drop();
		await().atMost(Duration.ofSeconds(5)).until(() -> hub.clientsOf(dropped.id()).isEmpty());
		assertThat(output).doesNotContain("Invalid outgoing frame").doesNotContain("non-transmittable");
	}

}
