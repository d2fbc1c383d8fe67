package dev.parley.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Starts a real Redis server (the binary shipped in embedded-redis) when no Redis is configured,
 * so that {@code ./mvnw spring-boot:run} works on a fresh machine. Data is kept with AOF under
 * {@code parley.embedded-redis.dir}, so a restart keeps users, rooms and history; Redis's own log goes
 * to {@code redis.log} there.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoRedisConfiguredCondition.class)
@ConditionalOnProperty(name = "parley.embedded-redis.enabled", matchIfMissing = true)
public class EmbeddedRedisConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedRedisConfiguration.class);

	/** Closed with the context, after the connections: beans are destroyed once lifecycles have stopped. */
	@Bean(destroyMethod = "close")
	EmbeddedRedisProcess embeddedRedisProcess(ParleyProperties properties) throws IOException {
		ParleyProperties.EmbeddedRedis settings = properties.embeddedRedis();
		Path dir = settings.dir().toAbsolutePath().normalize();
		Files.createDirectories(dir);
		int port = settings.port() == 0 ? freePort() : settings.port();
		List<String> command = RedisServer.newRedisServer()
			.bind("127.0.0.1")
			.port(port)
			.setting("dir " + dir)
			.setting("appendonly yes")
			.setting("appendfsync everysec")
			// a rewrite forks and writes the whole data set; at Redis's default (each time the AOF doubles)
			// a busy instance rewrote every 15-20 s, seconds of CPU each (docs/benchmarks.md)
			.setting("auto-aof-rewrite-percentage 400")
			.setting("save \"\"")
			.setting("pidfile " + dir.resolve("redis.pid"))
			.buildCommandArgs();
		EmbeddedRedisProcess redis = EmbeddedRedisProcess.start(command, port, dir.resolve("redis.log"),
				dir.resolve("redis.pid"), settings.backgroundNice());
		log.info("Started embedded Redis on 127.0.0.1:{} with data in {}", port, dir);
		return redis;
	}

	@Bean
	DataRedisConnectionDetails embeddedRedisConnectionDetails(EmbeddedRedisProcess embeddedRedisProcess) {
		int port = embeddedRedisProcess.port();
		return new DataRedisConnectionDetails() {
			@Override
			public Standalone getStandalone() {
				return Standalone.of("127.0.0.1", port);
			}
		};
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
