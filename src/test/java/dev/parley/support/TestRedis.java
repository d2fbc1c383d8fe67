package dev.parley.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import redis.embedded.RedisServer;

import dev.parley.config.RedisKeys;

/** A real Redis server process, on a free port, for tests that share one Redis between instances. */
public final class TestRedis implements AutoCloseable {

	private final RedisServer server;

	private final int port;

	public TestRedis() {
		this(temporaryDirectory(), false);
	}

	private TestRedis(Path dir, boolean appendOnly) {
		try {
			this.port = freePort();
			this.server = RedisServer.newRedisServer()
				.bind("127.0.0.1")
				.port(port)
				.setting("dir " + dir)
				.setting("save \"\"")
				.settingIf(appendOnly, "appendonly yes")
				.build();
			server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A Redis that loads the AOF another Redis left in {@code dir}: to read what it stored. */
	public static TestRedis onDataOf(Path dir) {
		return new TestRedis(dir, true);
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

	public void stop() {
		try {
			server.stop();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		if (server.isActive()) {
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
