package dev.parley.deploy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import dev.parley.support.JarProcess;
import dev.parley.support.ParleyHttp;
import dev.parley.support.TestRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * From the start of a graceful shutdown the instance is not ready: {@code /readyz} answers
 * {@code 503} while it still serves, so that a balancer sends no one new to it while it closes its
 * connections. A connection that never answers the close keeps the instance in that state for as
 * long as {@code parley.send.time-limit}, which makes the window wide enough to see.
 */
class ShutdownReadinessIT {

	@Test
	void readinessIsDownWhileAGracefulShutdownClosesTheConnections() throws Exception {
		TestRedis redis = new TestRedis();
		try (JarProcess app = JarProcess.start(redis.port(), "parley.shutdown.grace=8s", "parley.send.time-limit=6s")) {
			ParleyHttp http = app.http();
			assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
			try (Socket silent = upgradedAndSilent(app.port(), http.guest("Silent").token())) {
				app.terminate();
				await().atMost(Duration.ofSeconds(5))
					.pollInterval(Duration.ofMillis(50))
					.until(() -> readiness(http) == 503);
				assertThat(app.awaitExit(30_000)).isTrue();
			}
		}
		finally {
			redis.close();
		}
	}

	/** The status of {@code /readyz}, or 0 once the instance no longer answers. */
	private static int readiness(ParleyHttp http) {
		try {
			return http.get("/readyz").statusCode();
		}
		catch (IllegalStateException gone) {
			return 0;
		}
	}

	/** A WebSocket upgraded by hand that then reads nothing and answers nothing, not even a close. */
	private static Socket upgradedAndSilent(int port, String token) throws Exception {
		Socket socket = new Socket("127.0.0.1", port);
		socket.setSoTimeout(10_000);
		byte[] nonce = new byte[16];
		ThreadLocalRandom.current().nextBytes(nonce);
		OutputStream out = socket.getOutputStream();
		out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
				+ "\r\nAuthorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		out.flush();
		InputStream in = socket.getInputStream();
		StringBuilder status = new StringBuilder();
		int c;
		while ((c = in.read()) >= 0 && c != '\r') {
			status.append((char) c);
		}
		assertThat(status.toString()).startsWith("HTTP/1.1 101");
		return socket;
	}

}
