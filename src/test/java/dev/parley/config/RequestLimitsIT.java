package dev.parley.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request bodies reaching the app directly, too slow or too large, take neither its threads nor its
 * memory. Files are small here, so that the largest body Jetty lets through at all is the request
 * limit's, and a body over it is still answered by the app.
 */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.limits.body-timeout=3s", "parley.files.max-size=100KB" })
class RequestLimitsIT {

	@LocalServerPort
	int port;

	@Autowired
	ParleyHttp http;

	@Test
	void bodiesTricklingInOnMoreConnectionsThanJettyHasThreadsDoNotStopOtherRequests() throws Exception {
		int slow = 24;
		ExecutorService trickle = Executors.newFixedThreadPool(slow);
		List<CompletableFuture<String>> answers = new ArrayList<>();
		try {
			for (int i = 0; i < slow; i++) {
				answers.add(CompletableFuture.supplyAsync(this::trickleABody, trickle));
			}
			// the slow bodies are on their way: were they read on Jetty's threads, every one would be waiting
			pause(Duration.ofSeconds(3));
			long started = System.nanoTime();
			assertThat(http.get("/login").statusCode()).isEqualTo(200);
			assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
			assertThat(answers).allSatisfy(answer -> assertThat(answer.get(30, TimeUnit.SECONDS)).startsWith("HTTP/1.1 408"));
		}
		finally {
			trickle.shutdownNow();
		}
	}

	@Test
	void aBodyDeclaredLargerThanTheLimitIsRefusedWith413WithoutBeingRead() throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(("POST /api/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
					+ "Content-Length: 52428800\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
			assertThat(ParleyHttp.statusLine(socket.getInputStream())).startsWith("HTTP/1.1 413");
		}
	}

	@Test
	void aBodyAFewTimesTheLimitIsReadToItsEndSoTheClientSendingItGetsThe413RatherThanAReset() throws IOException {
		int piece = 64 * 1024;
		int pieces = 48;
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /api/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
					+ "Content-Length: " + piece * pieces + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			// as a slow uplink sends it: a server that answered and closed at once would reset these writes
			for (int i = 0; i < pieces; i++) {
				out.write(new byte[piece]);
				out.flush();
				pause(Duration.ofMillis(20));
			}
			assertThat(ParleyHttp.statusLine(socket.getInputStream())).startsWith("HTTP/1.1 413");
		}
	}

	@Test
	void aChunkedBodyGrowingPastTheLimitIsCutOffWith413() throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /api/auth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
					+ "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			byte[] chunk = ("10000\r\n" + " ".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
			try {
				for (int i = 0; i < 32; i++) {
					out.write(chunk);
				}
			}
			catch (IOException closedByTheServer) {
				// it may stop reading once it has answered
			}
			assertThat(ParleyHttp.statusLine(socket.getInputStream())).startsWith("HTTP/1.1 413");
		}
	}

	/** One byte of a 100-byte body every 2 s; returns the status line the server answered with. */
	private String trickleABody() {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /api/auth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
					+ "Content-Length: 100\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			for (int i = 0; i < 100 && socket.getInputStream().available() == 0; i++) {
				out.write('{');
				out.flush();
				pause(Duration.ofSeconds(2));
			}
			return ParleyHttp.statusLine(socket.getInputStream());
		}
		catch (IOException ex) {
			return "closed: " + ex;
		}
	}

	/** The client's own pace, not a wait for the server: nothing to poll for. */
	private static void pause(Duration pause) {
		CompletableFuture.runAsync(() -> {
		}, CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS)).join();
	}

}
