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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The redis-server child process behind the embedded default. embedded-redis's own
 * {@code RedisServer} registers a JVM shutdown hook that stops Redis the moment the JVM begins to
 * exit, while Spring's graceful shutdown is still closing connections and removing their presence;
 * this process stops only when the application context closes, after the connections. It stays in
 * the application's session: in a session of its own ({@code setsid}) the kernel's autogroup
 * scheduling gave Redis its own share of the CPU, and with the application on the same core the
 * rooms benchmark's p99 at 4,000 msgs/s went from 31-48 ms to 145-249 ms.
 */
final class EmbeddedRedisProcess implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedRedisProcess.class);

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final Process process;

	private final int port;

	private final ChildPriority childPriority;

	private EmbeddedRedisProcess(Process process, int port, int backgroundNice) {
		this.process = process;
		this.port = port;
		this.childPriority = backgroundNice > 0 ? ChildPriority.watch(process.toHandle(), backgroundNice) : null;
	}

	/**
	 * Starts redis-server with {@code command} (binary first; its config names {@code pidFile}) and
	 * waits until it answers PING. Its children (AOF rewrites) get nice {@code backgroundNice}
	 * unless that is 0 ({@link ChildPriority}). A Redis that an earlier run left behind on the same data (its JVM
	 * was killed with SIGKILL, so nothing stopped it) is stopped first: two servers appending to one
	 * AOF would corrupt it.
	 */
	static EmbeddedRedisProcess start(List<String> command, int port, Path logFile, Path pidFile, int backgroundNice)
			throws IOException {
		stopLeftover(pidFile);
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
			.start();
		EmbeddedRedisProcess redis = new EmbeddedRedisProcess(process, port, backgroundNice);
		redis.awaitReady(logFile);
		return redis;
	}

	int port() {
		return port;
	}

	/** SIGTERM, so that Redis writes its AOF out; killed if it does not exit in time. */
	@Override
	public void close() {
		if (childPriority != null) {
			childPriority.close();
		}
		try {
			stop(process.toHandle());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
	}

	private static void stop(ProcessHandle redis) throws InterruptedException {
		redis.destroy();
		try {
			redis.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			log.warn("Redis (pid {}) did not stop within {}; killing it", redis.pid(), STOP_TIMEOUT);
			redis.destroyForcibly();
		}
	}

	private static void stopLeftover(Path pidFile) throws IOException {
		if (!Files.exists(pidFile)) {
			return;
		}
		Optional<ProcessHandle> leftover = pid(Files.readString(pidFile)).flatMap(ProcessHandle::of)
			.filter(process -> process.info().command().orElse("").contains("redis-server"));
		if (leftover.isEmpty()) {
			return;
		}
		ProcessHandle redis = leftover.get();
		log.warn("Stopping the embedded Redis (pid {}) that an earlier run left on this data", redis.pid());
		try {
			stop(redis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while stopping the leftover Redis " + redis.pid(), ex);
		}
	}

	private static Optional<Long> pid(String text) {
		try {
			return Optional.of(Long.parseLong(text.trim()));
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
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
