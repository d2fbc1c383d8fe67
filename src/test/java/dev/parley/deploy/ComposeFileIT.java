package dev.parley.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml as Compose reads it. No Docker engine runs here, so the images are not
 * built or started; Debian's docker-compose validates the file and resolves it.
 */
class ComposeFileIT {

	private static final Path COMPOSE = Path.of("/usr/bin/docker-compose");

	@Test
	void theComposeFileIsValidAndWiresRedisTwoInstancesAndNginx() throws IOException, InterruptedException {
		assertThat(COMPOSE).as("apt-get install docker-compose").isExecutable();
		Process process = new ProcessBuilder(COMPOSE.toString(), "config").redirectErrorStream(true).start();
		String resolved = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(resolved).isZero();
		assertThat(resolved).contains("redis:", "app1:", "app2:", "nginx:", "published: 80", "SPRING_DATA_REDIS_HOST: redis",
				"condition: service_healthy", "appendonly");
		assertThat(Files.readString(Path.of("Dockerfile"))).contains("USER parley", "HEALTHCHECK", "/actuator/health");
	}

}
