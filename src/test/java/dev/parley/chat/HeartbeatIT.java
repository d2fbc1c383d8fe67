package dev.parley.chat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's pings keep answering clients open and close silent ones with 4001. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
				"parley.ws.heartbeat-interval=200ms", "parley.ws.heartbeat-timeout=1s" })
class HeartbeatIT {

	@LocalServerPort
	int port;

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
		ParleyHttp http = new ParleyHttp(port);
		Guest guest = http.guest("Mute");
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET /ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
					+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + guest.token() + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			DataInputStream in = new DataInputStream(socket.getInputStream());
			assertThat(readHeaders(in)).startsWith("HTTP/1.1 101");
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
