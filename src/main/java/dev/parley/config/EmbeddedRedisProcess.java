package dev.parley.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The redis-server child process behind the embedded default. embedded-redis's own
 * {@code RedisServer} registers a JVM shutdown hook that stops Redis the moment the JVM begins to
 * exit, while Spring's graceful shutdown is still closing connections and removing their presence;
 * this process stops only when the application context closes, after the connections. It also runs
 * in a session of its own where {@code setsid} exists, so that Ctrl-C in a terminal reaches the
 * application, not Redis.
 */
final class EmbeddedRedisProcess implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedRedisProcess.class);

	private static final Path SETSID = Path.of("/usr/bin/setsid");

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final Process process;

	private final int port;

	private EmbeddedRedisProcess(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/** Starts redis-server with {@code command} (binary first) and waits until it answers PING. */
	static EmbeddedRedisProcess start(List<String> command, int port, Path logFile) throws IOException {
		List<String> full = new ArrayList<>();
		if (Files.isExecutable(SETSID)) {
			full.add(SETSID.toString());
		}
		full.addAll(command);
		Process process = new ProcessBuilder(full).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
			.start();
		EmbeddedRedisProcess redis = new EmbeddedRedisProcess(process, port);
		redis.awaitReady(logFile);
		return redis;
	}

	int port() {
		return port;
	}

	/** SIGTERM, so that Redis writes its AOF out; killed if it does not exit in time. */
	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				log.warn("Embedded Redis did not stop within {}; killing it", STOP_TIMEOUT);
				process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
	}

	private void awaitReady(Path logFile) throws IOException {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IOException("redis-server exited with " + process.exitValue() + "; see " + logFile);
			}
			if (answersPing()) {
				return;
			}
			sleep(50);
		}
		close();
		throw new IOException("redis-server did not answer on port " + port + " within " + START_TIMEOUT);
	}

	/** While it loads its AOF, Redis accepts connections but answers -LOADING: only +PONG means ready. */
	private boolean answersPing() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = in.readNBytes(7);
			return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException notYet) {
			return false;
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
