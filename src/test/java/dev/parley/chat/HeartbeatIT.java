package dev.parley.chat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The server's pings keep answering clients open and close silent ones with 4001. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
				"parley.ws.heartbeat-interval=200ms", "parley.ws.heartbeat-timeout=1s" })
@ExtendWith(OutputCaptureExtension.class)
class HeartbeatIT {

	@LocalServerPort
	int port;

	@Autowired
	Hub hub;

	@Test
	void aClientThatAnswersPingsStaysOpenPastTheTimeoutWithoutSendingAnything() throws InterruptedException {
		ParleyHttp http = new ParleyHttp(port);
		try (WsClient ws = http.connectWelcomed(http.guest("Quiet"))) {
			Thread.sleep(2500);
			assertThat(ws.isClosed()).isFalse();
			ws.send(Map.of("type", "ping"));
			assertThat(ws.next("pong")).isNotNull();
		}
	}

	@Test
	void aClientThatReadsButNeverAnswersIsClosedWith4001() throws Exception {
		try (Socket socket = upgradedSocket(new ParleyHttp(port).guest("Mute"))) {
			DataInputStream in = new DataInputStream(socket.getInputStream());
			int pings = 0;
			while (true) {
				int opcode = in.readUnsignedByte() & 0x0F;
				byte[] payload = readPayload(in);
				if (opcode == 0x9) {
					pings++;
				}
				else if (opcode == 0x8) {
					assertThat(pings).as("pinged before being dropped").isPositive();
					assertThat(((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)).isEqualTo(4001);
					return;
				}
			}
		}
	}

	@Test
	void aClientTrafficInBothDirectionsIsNotPinged() throws Exception {
		try (Socket socket = upgradedSocket(new ParleyHttp(port).guest("Chatty"))) {
			DataInputStream in = new DataInputStream(socket.getInputStream());
			assertThat(new String(readFrame(in, 0x1), StandardCharsets.UTF_8)).contains("\"welcome\"");
			int pings = 0;
			for (int i = 0; i < 15; i++) {
				writeMaskedText(socket.getOutputStream(), "{\"type\":\"ping\"}");
				int opcode;
				do {
					opcode = in.readUnsignedByte() & 0x0F;
					readPayload(in);
					pings += opcode == 0x9 ? 1 : 0;
				}
				while (opcode != 0x1);
				Thread.sleep(100);
			}
			assertThat(pings).as("pings while frames went both ways every 100 ms, interval 200 ms").isZero();
		}
	}

	@Test
	void aConnectionDroppedWithoutACloseFrameIsForgottenWithoutWarnings(CapturedOutput output) throws Exception {
		int before = hub.connectionCount();
		Socket socket = upgradedSocket(new ParleyHttp(port).guest("Dropped"));
		readFrame(new DataInputStream(socket.getInputStream()), 0x1);
		await().atMost(Duration.ofSeconds(5)).until(() -> hub.connectionCount() == before + 1);
		socket.setSoLinger(true, 0);
		socket.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> hub.connectionCount() == before);
		assertThat(output).doesNotContain("Invalid outgoing frame").doesNotContain("non-transmittable");
	}

	private Socket upgradedSocket(Guest guest) throws IOException {
		Socket socket = new Socket("localhost", port);
		socket.setSoTimeout(10_000);
		OutputStream out = socket.getOutputStream();
		out.write(("GET /ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
				+ "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + guest.token() + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		assertThat(readHeaders(new DataInputStream(socket.getInputStream()))).startsWith("HTTP/1.1 101");
		return socket;
	}

	private static byte[] readFrame(DataInputStream in, int expectedOpcode) throws IOException {
		int opcode = in.readUnsignedByte() & 0x0F;
		assertThat(opcode).isEqualTo(expectedOpcode);
		return readPayload(in);
	}

	/** Client frames must be masked; a zero mask leaves the payload as is. */
	private static void writeMaskedText(OutputStream out, String text) throws IOException {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		out.write(new byte[] { (byte) 0x81, (byte) (0x80 | payload.length), 0, 0, 0, 0 });
		out.write(payload);
		out.flush();
	}

	private static String readHeaders(DataInputStream in) throws IOException {
		StringBuilder headers = new StringBuilder();
		while (!headers.toString().endsWith("\r\n\r\n")) {
			headers.append((char) in.readUnsignedByte());
		}
		return headers.toString();
	}

	/** Server frames are unmasked: a length byte, extended to 16 or 64 bits, then the payload. */
	private static byte[] readPayload(DataInputStream in) throws IOException {
		int length = in.readUnsignedByte() & 0x7F;
		long size = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
		byte[] payload = new byte[(int) size];
		in.readFully(payload);
		return payload;
	}

}
