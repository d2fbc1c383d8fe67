package dev.parley.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A real nginx process on loopback, running the repository's config with these upstreams. */
public final class Nginx implements AutoCloseable {

	private static final Path BINARY = Path.of("/usr/sbin/nginx");

	private final Process process;

	private final int port;

	private int httpPort;

	private Nginx(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	public static Nginx start(List<Integer> upstreamPorts) {
		int port = TestRedis.freePort();
		return launch(upstreamPorts, port, Map.of("parley.conf", Map.of("${PARLEY_LISTEN}", "127.0.0.1:" + port)));
	}

	/**
	 * nginx as docker-compose ships it: TLS on {@link #port()}, with this certificate and key, and
	 * plain HTTP, which only redirects, on {@link #httpPort()}.
	 */
	public static Nginx startTls(List<Integer> upstreamPorts, Path certificate, Path key) {
		int httpsPort = TestRedis.freePort();
		int httpPort = TestRedis.freePort();
		Nginx nginx = launch(upstreamPorts, httpsPort, Map.of("parley-tls.conf",
				Map.of("${PARLEY_HTTP_LISTEN}", "127.0.0.1:" + httpPort, "${PARLEY_HTTPS_LISTEN}", "127.0.0.1:" + httpsPort,
						"${PARLEY_HTTPS_PORT}", Integer.toString(httpsPort), "${PARLEY_TLS_CERT}", certificate.toString(),
						"${PARLEY_TLS_KEY}", key.toString())));
		nginx.httpPort = httpPort;
		return nginx;
	}

	/** Runs the repository's upstream template, its locations and {@code site}'s template with these values. */
	private static Nginx launch(List<Integer> upstreamPorts, int port, Map<String, Map<String, String>> site) {
		if (!Files.isExecutable(BINARY)) {
			throw new IllegalStateException("The proxy tests need nginx: apt-get install nginx");
		}
		try {
			Path dir = Files.createTempDirectory("parley-nginx");
			Files.createDirectories(dir.resolve("logs"));
			String servers = upstreamPorts.stream()
				.map(p -> "server 127.0.0.1:" + p + ";")
				.collect(Collectors.joining(" "));
			Files.writeString(dir.resolve("upstream.conf"), Files.readString(Path.of("nginx/parley-upstream.conf.template"))
				.replace("${PARLEY_UPSTREAM_SERVERS}", servers));
			Files.copy(Path.of("nginx/parley-locations.conf"), dir.resolve("parley-locations.conf"));
			String name = site.keySet().iterator().next();
			String server = Files.readString(Path.of("nginx", name + ".template"));
			for (Map.Entry<String, String> value : site.get(name).entrySet()) {
				server = server.replace(value.getKey(), value.getValue());
			}
			Files.writeString(dir.resolve(name), server);
			// started by root, nginx's workers would run as nobody, who may not enter this private directory
			// to buffer a large request body
			String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
			Files.writeString(dir.resolve("nginx.conf"), user + """
					pid %1$s/nginx.pid;
					error_log %1$s/logs/error.log;
					events {}
					http {
					  access_log off;
					  client_body_temp_path %1$s/body;
					  proxy_temp_path %1$s/proxy;
					  fastcgi_temp_path %1$s/fastcgi;
					  uwsgi_temp_path %1$s/uwsgi;
					  scgi_temp_path %1$s/scgi;
					  include %1$s/upstream.conf;
					  include %1$s/%2$s;
					}
					""".formatted(dir, name));
			Process process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("nginx.conf").toString(), "-p",
					dir.toString(), "-g", "daemon off;")
				.redirectErrorStream(true)
				.redirectOutput(dir.resolve("logs/stdout.log").toFile())
				.start();
			Nginx nginx = new Nginx(process, port);
			nginx.awaitListening();
			return nginx;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The port it serves on: plain HTTP, or TLS for {@link #startTls}. */
	public int port() {
		return port;
	}

	/** With TLS: the plain HTTP port, which redirects to the TLS one. */
	public int httpPort() {
		return httpPort;
	}

	private void awaitListening() {
		long deadline = System.currentTimeMillis() + 10_000;
		while (System.currentTimeMillis() < deadline) {
			try (Socket ignored = new Socket("127.0.0.1", port)) {
				return;
			}
			catch (IOException notYet) {
				if (!process.isAlive()) {
					throw new IllegalStateException("nginx exited with " + process.exitValue());
				}
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
		throw new IllegalStateException("nginx did not listen on " + port);
	}

	public ParleyHttp http() {
		return new ParleyHttp("http://127.0.0.1:" + port);
	}

	@Override
	public void close() {
		process.destroy();
	}

}
