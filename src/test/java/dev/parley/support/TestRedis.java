package dev.parley.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import redis.embedded.RedisServer;

import dev.parley.config.RedisKeys;

/** A real Redis server process, on a free port, for tests that share one Redis between instances. */
public final class TestRedis implements RedisTopology {

	private final Path dir;

	private final boolean appendOnly;

	private final int port;

	private RedisServer server;

	private long pid;

	public TestRedis() {
		this(temporaryDirectory(), false);
	}

	private TestRedis(Path dir, boolean appendOnly) {
		this.dir = dir;
		this.appendOnly = appendOnly;
		this.port = freePort();
		start();
	}

	/** A Redis that loads the AOF another Redis left in {@code dir}: to read what it stored. */
	public static TestRedis onDataOf(Path dir) {
		return new TestRedis(dir, true);
	}

	/** A Redis that keeps its data in an AOF, fsynced on every write, so that it can be stopped and started again. */
	public static TestRedis durable() {
		return new TestRedis(temporaryDirectory(), true);
	}

	/** Starts the server (again, after {@link #stop} or {@link #kill}) on the same port and data. */
	public void start() {
		try {
			server = RedisServer.newRedisServer()
				.bind("127.0.0.1")
				.port(port)
				.setting("dir " + dir)
				.setting("save \"\"")
				.settingIf(appendOnly, "appendonly yes")
				.settingIf(appendOnly, "appendfsync always")
				.build();
			server.start();
			pid = readPid();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** SIGKILL: the server gets no chance to close its connections or write anything more. */
	public void kill() {
		ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
		process.destroyForcibly();
		process.onExit().join();
		stop();
	}

	/** SIGSTOP or SIGCONT: the server keeps its connections open but answers nothing while stopped. */
	public void signal(String signal) {
		try {
			int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
			if (exit != 0) {
				throw new IllegalStateException("kill -" + signal + " exited with " + exit);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private long readPid() {
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			String info = connection.sync().info("server");
			return info.lines()
				.filter(line -> line.startsWith("process_id:"))
				.mapToLong(line -> Long.parseLong(line.substring("process_id:".length()).trim()))
				.findFirst()
				.orElseThrow();
		}
		finally {
			client.shutdown();
		}
	}

	/** A user's score in the online set of the Redis on {@code port}; null when the user is not in it. */
	public static Double onlineScore(int port, String userId) {
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().zscore(RedisKeys.ONLINE, userId);
		}
		finally {
			client.shutdown();
		}
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("parley-redis");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return port;
	}

	@Override
	public List<String> springProperties() {
		return List.of("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + port);
	}

	public void stop() {
		try {
			server.stop();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A server left paused by a test that failed midway is woken first: a stopped process ignores SIGTERM. */
	@Override
	public void close() {
		if (server.isActive()) {
			signal("CONT");
			stop();
		}
	}

	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
