package dev.parley.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The built jar as its own OS process, so that tests can SIGTERM and SIGKILL it. */
public final class JarProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path log;

	private JarProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	public static JarProcess start(int redisPort, String... properties) {
		List<String> arguments = new ArrayList<>(
				List.of("--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redisPort));
		for (String property : properties) {
			arguments.add("--" + property);
		}
		return launch(arguments);
	}

	/** With the Redis the application starts itself, on {@code redisPort}, keeping its data in {@code dir}. */
	public static JarProcess startEmbedded(Path dir, int redisPort) {
		return launch(List.of("--parley.embedded-redis.dir=" + dir, "--parley.embedded-redis.port=" + redisPort));
	}

	private static JarProcess launch(List<String> arguments) {
		try (Stream<Path> jars = Files.list(Path.of("target"))) {
			Path jar = jars.filter(p -> p.getFileName().toString().matches("parley-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("build the jar first: ./mvnw package"));
			int port = TestRedis.freePort();
			List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-jar", jar.toString(), "--server.port=" + port, "--management.server.port=0"));
			command.addAll(arguments);
			File log = Files.createTempFile("parley-instance", ".log").toFile();
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
			JarProcess instance = new JarProcess(process, port, log.toPath());
			instance.awaitHealthy();
			return instance;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** What the instance wrote to stdout and stderr so far. */
	public String output() {
		try {
			return Files.readString(log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitHealthy() {
		ParleyHttp http = http();
		long deadline = System.currentTimeMillis() + 90_000;
		while (System.currentTimeMillis() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("instance exited with " + process.exitValue());
			}
			try {
				if (http.get("/readyz").statusCode() == 200) {
					return;
				}
			}
			catch (IllegalStateException notYet) {
				// not listening yet
			}
			sleep(200);
		}
		throw new IllegalStateException("instance on " + port + " did not become healthy");
	}

	public int port() {
		return port;
	}

	public long pid() {
		return process.pid();
	}

	/** The process's resident memory now, from /proc, in KiB. */
	public long rssKib() {
		try {
			return Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
				.filter(line -> line.startsWith("VmRSS:"))
				.mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
				.findFirst()
				.orElseThrow();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The heap in use right after a full collection (jcmd GC.run, then GC.heap_info), in KiB. */
	public long heapAfterGcKib() {
		jcmd("GC.run");
		java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(jcmd("GC.heap_info"));
		if (!used.find()) {
			throw new IllegalStateException("no heap figure from jcmd");
		}
		return Long.parseLong(used.group(1));
	}

	private String jcmd(String command) {
		try {
			Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
					Long.toString(process.pid()), command).redirectErrorStream(true).start();
			String output = new String(jcmd.getInputStream().readAllBytes());
			jcmd.waitFor(30, TimeUnit.SECONDS);
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public ParleyHttp http() {
		return new ParleyHttp(port);
	}

	/** SIGTERM, as an orchestrator stops a container. */
	public void terminate() {
		process.destroy();
	}

	/** SIGKILL: the instance dies without running anything. */
	public void kill() {
		process.destroyForcibly();
	}

	public boolean awaitExit(long millis) throws InterruptedException {
		return process.waitFor(millis, TimeUnit.MILLISECONDS);
	}

	/**
	 * Stops the instance as an orchestrator would (SIGTERM, then SIGKILL after 30 s): killed at once, an
	 * instance with the embedded Redis would leave that Redis running after the tests.
	 */
	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
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
