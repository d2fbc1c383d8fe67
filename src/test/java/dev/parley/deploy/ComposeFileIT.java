package dev.parley.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml as Compose reads it. No Docker engine runs here, so the images are not
 * built or started; Debian's docker-compose validates the file and resolves it.
 */
class ComposeFileIT {

	private static final Path COMPOSE = Path.of("/usr/bin/docker-compose");

	@Test
	void theComposeFileIsValidAndWiresRedisTwoInstancesAndNginx() throws IOException, InterruptedException {
		String resolved = config(Path.of(".env.example"));
		assertThat(resolved).contains("redis:", "app1:", "app2:", "nginx:", "published: 80", "published: 443",
				"SPRING_DATA_REDIS_HOST: redis", "condition: service_healthy", "appendonly",
				"parley-tls.conf.template:/etc/nginx/templates/default.conf.template",
				"parley-locations.conf:/etc/nginx/parley-locations.conf", "deploy/tls/parley.crt:/etc/nginx/tls/parley.crt");
		// both instances mount one volume of shared files
		assertThat(resolved.split("PARLEY_FILES_DIR: /data/files", -1)).hasSize(3);
		assertThat(resolved.split("files:/data/files", -1)).hasSize(3);
		assertThat(Files.readString(Path.of("Dockerfile"))).contains("USER parley", "HEALTHCHECK", "/readyz");
	}

	@Test
	void theMonitoringProfileScrapesBothInstancesManagementPortAndProvisionsTheDashboard()
			throws IOException, InterruptedException {
		assertThat(config(Path.of(".env.example"))).contains("prometheus:", "grafana:", "- monitoring",
				"deploy/prometheus.yml", "deploy/grafana/dashboards");
		java.util.Properties defaults = new java.util.Properties();
		try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
			defaults.load(in);
		}
		String port = defaults.getProperty("management.server.port");
		assertThat(Files.readString(Path.of("deploy/prometheus.yml"))).contains("/actuator/prometheus",
				"\"app1:" + port + "\"", "\"app2:" + port + "\"");
		assertThat(Files.readString(Path.of("deploy/grafana/provisioning/dashboards/parley.yml")))
			.contains("/var/lib/grafana/dashboards");
	}

	@Test
	void theSecretsComeFromTheEnvFileToBothInstances(@TempDir Path dir) throws IOException, InterruptedException {
		Path env = dir.resolve(".env");
		Files.writeString(env, """
				PARLEY_ADMIN_PASSWORD='{bcrypt}$2a$10$fromtheenvfile'
				PARLEY_PUSH_KEYS=first-key-0123456789,second-key-0123456789
				PARLEY_TLS_CERT_FILE=/etc/ssl/parley/chain.pem
				PARLEY_TLS_KEY_FILE=/etc/ssl/parley/key.pem
				""");
		String resolved = config(env);
		assertThat(resolved.split("PARLEY_ADMIN_PASSWORD: '\\{bcrypt}\\$\\$2a\\$\\$10\\$\\$fromtheenvfile'", -1))
			.as("one per instance, $ kept literal: " + resolved).hasSize(3);
		assertThat(resolved.split("PARLEY_PUSH_KEYS: first-key-0123456789,second-key-0123456789", -1)).hasSize(3);
		assertThat(resolved).contains("/etc/ssl/parley/chain.pem:/etc/nginx/tls/parley.crt",
				"/etc/ssl/parley/key.pem:/etc/nginx/tls/parley.key");
	}

	@Test
	void withoutAnAdminPasswordComposeRefusesToStart(@TempDir Path dir) throws IOException, InterruptedException {
		assertThat(refusal(dir, "PARLEY_PUSH_KEYS=\nPARLEY_TLS_CERT_FILE=/c.pem\nPARLEY_TLS_KEY_FILE=/k.pem\n"))
			.contains("set PARLEY_ADMIN_PASSWORD in .env");
	}

	@Test
	void withoutTheTlsCertificateComposeRefusesToStart(@TempDir Path dir) throws IOException, InterruptedException {
		assertThat(refusal(dir, "PARLEY_ADMIN_PASSWORD=a-long-enough-secret\n")).contains("name the TLS");
	}

	/** What compose says when it refuses this .env. */
	private static String refusal(Path dir, String envFile) throws IOException, InterruptedException {
		Path env = dir.resolve(".env");
		Files.writeString(env, envFile);
		Process process = compose(env);
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).isNotZero();
		return output;
	}

	private static String config(Path envFile) throws IOException, InterruptedException {
		Process process = compose(envFile);
		String resolved = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(resolved).isZero();
		return resolved;
	}

	private static Process compose(Path envFile) throws IOException {
		assertThat(COMPOSE).as("apt-get install docker-compose").isExecutable();
		return new ProcessBuilder(COMPOSE.toString(), "--env-file", envFile.toAbsolutePath().toString(), "config")
			.redirectErrorStream(true)
			.start();
	}

}
