package dev.parley.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A real S3-compatible server, S3Proxy, as its own process on a loopback port, keeping objects in a
 * directory (its jclouds filesystem backend). The build copies its jar to {@code target/s3proxy}
 * before the integration tests (MinIO has no Maven or Debian package to start it from).
 */
public final class S3Server implements AutoCloseable {

	public static final String ACCESS_KEY = "parley-test-access";

	public static final String SECRET_KEY = "parley-test-secret";

	private static final Path JAR = Path.of("target", "s3proxy", "s3proxy.jar");

	private final Process process;

	private final int port;

	private final Path data;

	public S3Server() {
		if (!Files.isRegularFile(JAR)) {
			throw new IllegalStateException("no " + JAR + ": run the integration tests through ./mvnw verify");
		}
		try {
			port = TestRedis.freePort();
			Path dir = Files.createTempDirectory("parley-s3");
			data = Files.createDirectories(dir.resolve("data"));
			Path config = dir.resolve("s3proxy.conf");
			Files.write(config, List.of("s3proxy.endpoint=http://127.0.0.1:" + port,
					"s3proxy.authorization=aws-v2-or-v4", "s3proxy.identity=" + ACCESS_KEY,
					"s3proxy.credential=" + SECRET_KEY, "jclouds.provider=filesystem",
					"jclouds.filesystem.basedir=" + data));
			process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
					JAR.toString(), "--properties", config.toString())
				.redirectErrorStream(true)
				.redirectOutput(dir.resolve("s3proxy.log").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		HttpClient http = HttpClient.newHttpClient();
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> http
			.send(HttpRequest.newBuilder(URI.create(endpoint())).build(), HttpResponse.BodyHandlers.discarding())
			.statusCode() > 0);
	}

	public String endpoint() {
		return "http://127.0.0.1:" + port;
	}

	/** Where the server keeps the objects of {@code bucket}, one file per key. */
	public Path bucketDir(String bucket) {
		return data.resolve(bucket);
	}

	/** Parley's settings for a file store in {@code bucket} on this server. */
	public List<String> parleyProperties(String bucket) {
		return List.of("parley.files.store=s3", "parley.files.s3.endpoint=" + endpoint(),
				"parley.files.s3.bucket=" + bucket, "parley.files.s3.access-key=" + ACCESS_KEY,
				"parley.files.s3.secret-key=" + SECRET_KEY);
	}

	@Override
	public void close() {
		process.destroy();
		process.onExit().join();
	}

}
