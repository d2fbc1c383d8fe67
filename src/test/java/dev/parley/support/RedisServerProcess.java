package dev.parley.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A {@code redis-server} process of the machine's Redis 7 (Debian's package, which {@code .ci/run}
 * installs), on a loopback port, for the Cluster and Sentinel topologies: the embedded Redis is
 * version 6, without sharded pub/sub. Its output goes to a log file in its own directory.
 */
public final class RedisServerProcess implements AutoCloseable {

	static final String SERVER = "/usr/bin/redis-server";

	static final String CLI = "/usr/bin/redis-cli";

	private final int port;

	private final Path dir;

	private final List<String> arguments;

	private final RedisAccess access;

	private Process process;

	private RedisServerProcess(int port, Path dir, List<String> arguments, RedisAccess access) {
		this.port = port;
		this.dir = dir;
		this.arguments = arguments;
		this.access = access;
	}

	/**
	 * A server, or with {@code --sentinel} first a Sentinel, reached as {@code access} says, with
	 * these further settings as {@code --name value} pairs.
	 */
	public static RedisServerProcess start(Path config, RedisAccess access, String... settings) {
		int port = TestRedis.freePort();
		boolean sentinel = List.of(settings).contains("--sentinel");
		List<String> arguments = new ArrayList<>(List.of(SERVER, config.toString()));
		arguments.addAll(access.serverArguments(port, sentinel));
		arguments.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
		arguments.addAll(List.of(settings));
		RedisServerProcess server = new RedisServerProcess(port, config.getParent(), arguments, access);
		server.start();
		return server;
	}

	/** A config file in a new directory: Sentinel rewrites its own, and a Cluster node writes its nodes file next to it. */
	public static Path newConfig(String name, String... lines) {
		try {
			Path dir = Files.createTempDirectory("parley-" + name);
			Path config = dir.resolve(name + ".conf");
			List<String> all = new ArrayList<>(List.of("dir " + dir));
			all.addAll(List.of(lines));
			Files.write(config, all);
			return config;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static boolean installed() {
		return new File(SERVER).canExecute() && new File(CLI).canExecute();
	}

	/** Starts the process (again, after {@link #kill}) on the same port, and waits until it answers (NOAUTH counts). */
	public void start() {
		try {
			process = new ProcessBuilder(arguments).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis-" + port + ".log").toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> !cli("PING").isEmpty());
	}

	/** SIGKILL: the node is gone at once, as when its machine dies. */
	public void kill() {
		process.destroyForcibly();
		process.onExit().join();
	}

	public boolean isAlive() {
		return process.isAlive();
	}

	public int port() {
		return port;
	}

	/**
	 * Runs one command with redis-cli against this process, as the topology's administrator, and
	 * returns its output, trimmed; empty when it failed.
	 */
	public String cli(String... command) {
		List<String> line = new ArrayList<>(List.of(CLI, "-h", "127.0.0.1", "-p", Integer.toString(port)));
		line.addAll(access.cliArguments());
		line.addAll(List.of(command));
		return run(line);
	}

	static String run(List<String> line) {
		try {
			Process cli = new ProcessBuilder(line).redirectErrorStream(true).start();
			String output = new String(cli.getInputStream().readAllBytes()).trim();
			return cli.waitFor() == 0 ? output : "";
		}
		catch (IOException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	@Override
	public void close() {
		if (process != null && process.isAlive()) {
			process.destroy();
			process.onExit().join();
		}
	}

}
