package dev.parley.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the {@code redis-server} processes of a topology are reached: in the clear or over TLS, and
 * with no credentials, a password, or ACL users. One access serves a whole topology, so that every
 * node, {@code redis-cli} call and Parley instance agrees on it.
 * <p>
 * With {@link #tlsWithAclUser}, the nodes listen on TLS only (no plain port), replicate and gossip
 * over TLS, and the default user is off: the fixture runs its commands as {@value #ADMIN}, and
 * Parley connects as {@value #APP_USER}, whose rules are the least the README tells operators to
 * grant ({@link #APP_USER_RULES}).
 */
public final class RedisAccess {

	public static final String ADMIN = "admin";

	public static final String APP_USER = "parley";

	/** The README's ACL for Parley's user: its keys and channels, no dangerous command but INFO and the Cluster's topology. */
	public static final List<String> APP_USER_RULES = List.of("~parley:*", "&parley:*", "+@all", "-@dangerous",
			"+info", "+cluster|nodes", "+cluster|slots", "+cluster|shards", "+cluster|myid");

	private static final String ADMIN_PASSWORD = "admin-secret";

	private static final String APP_PASSWORD = "parley-secret";

	private final String password;

	private final Path certificates;

	private RedisAccess(String password, Path certificates) {
		this.password = password;
		this.certificates = certificates;
	}

	/** Plain TCP, no credentials. */
	public static RedisAccess open() {
		return new RedisAccess(null, null);
	}

	/** Plain TCP, the default user with {@code password} (requirepass), which replicas use too. */
	public static RedisAccess password(String password) {
		return new RedisAccess(password, null);
	}

	/** TLS only, with a test CA and a certificate for 127.0.0.1, and ACL users in place of the default one. */
	public static RedisAccess tlsWithAclUser() {
		return new RedisAccess(null, newCertificates());
	}

	public boolean tls() {
		return certificates != null;
	}

	/** The listening, TLS and authentication settings of a server or Sentinel on {@code port}. */
	List<String> serverArguments(int port, boolean sentinel) {
		List<String> arguments = new ArrayList<>();
		if (tls()) {
			arguments.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port), "--tls-cert-file",
					file("redis.crt"), "--tls-key-file", file("redis.key"), "--tls-ca-cert-file", file("ca.crt"),
					"--tls-auth-clients", "no", "--tls-replication", "yes"));
			arguments.addAll(List.of("--user", "default", "off", "--user", ADMIN, "on", ">" + ADMIN_PASSWORD, "~*",
					"&*", "+@all"));
			if (!sentinel) {
				arguments.addAll(List.of("--masteruser", ADMIN, "--masterauth", ADMIN_PASSWORD, "--user", APP_USER, "on",
						">" + APP_PASSWORD));
				arguments.addAll(APP_USER_RULES);
			}
		}
		else {
			arguments.addAll(List.of("--port", Integer.toString(port)));
			if (password != null && !sentinel) {
				arguments.addAll(List.of("--requirepass", password, "--masterauth", password));
			}
		}
		return arguments;
	}

	/** A Cluster node's further settings: its bus speaks TLS too. */
	List<String> clusterArguments() {
		return tls() ? List.of("--tls-cluster", "yes") : List.of();
	}

	/** Lines of a Sentinel's config file: how it authenticates to the master and replicas, and to the other Sentinels. */
	List<String> sentinelConfig(String master) {
		if (!tls()) {
			return List.of();
		}
		return List.of("sentinel auth-user " + master + " " + ADMIN, "sentinel auth-pass " + master + " " + ADMIN_PASSWORD,
				"sentinel sentinel-user " + ADMIN, "sentinel sentinel-pass " + ADMIN_PASSWORD);
	}

	/** redis-cli's options to reach a node as the fixture's administrator. */
	List<String> cliArguments() {
		List<String> arguments = new ArrayList<>();
		if (tls()) {
			arguments.addAll(List.of("--tls", "--cacert", file("ca.crt"), "--user", ADMIN, "--pass", ADMIN_PASSWORD));
		}
		else if (password != null) {
			arguments.addAll(List.of("-a", password));
		}
		arguments.add("--no-auth-warning");
		return arguments;
	}

	/**
	 * Spring's settings for Parley to reach the data nodes (and, with {@code sentinels}, the Sentinels
	 * as well), as Spring Data Redis defines them: {@code username}/{@code password}, {@code ssl.bundle}.
	 */
	List<String> springProperties(boolean sentinels) {
		List<String> properties = new ArrayList<>();
		if (tls()) {
			properties.addAll(List.of("spring.data.redis.username=" + APP_USER, "spring.data.redis.password=" + APP_PASSWORD,
					"spring.data.redis.ssl.enabled=true", "spring.data.redis.ssl.bundle=redis",
					"spring.ssl.bundle.pem.redis.truststore.certificate=file:" + file("ca.crt")));
			if (sentinels) {
				properties.addAll(List.of("spring.data.redis.sentinel.username=" + ADMIN,
						"spring.data.redis.sentinel.password=" + ADMIN_PASSWORD));
			}
		}
		else if (password != null) {
			properties.add("spring.data.redis.password=" + password);
		}
		return properties;
	}

	private String file(String name) {
		return certificates.resolve(name).toString();
	}

	/** A CA and a server certificate it signed, for 127.0.0.1 and localhost, made with the machine's openssl. */
	private static Path newCertificates() {
		try {
			Path dir = Files.createTempDirectory("parley-redis-tls");
			Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
			openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days",
					"2", "-subj", "/CN=parley-test-ca");
			openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "redis.key", "-out", "redis.csr", "-subj",
					"/CN=localhost");
			openssl(dir, "x509", "-req", "-in", "redis.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
					"-out", "redis.crt", "-days", "2", "-extfile", "san.ext");
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void openssl(Path dir, String... arguments) throws IOException {
		List<String> line = new ArrayList<>(List.of("openssl"));
		line.addAll(List.of(arguments));
		Process process = new ProcessBuilder(line).directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("openssl.log").toFile())
			.start();
		try {
			if (process.waitFor() != 0) {
				throw new IllegalStateException("openssl " + arguments[0] + " failed: " + Files.readString(dir.resolve("openssl.log")));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
