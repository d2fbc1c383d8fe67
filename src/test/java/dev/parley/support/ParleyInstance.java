package dev.parley.support;

import java.util.ArrayList;
import java.util.List;

import dev.parley.ParleyApplication;
import dev.parley.room.RoomService;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** One Parley instance in this JVM, on a random port, pointed at an external Redis. */
public final class ParleyInstance implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private ParleyInstance(ConfigurableApplicationContext context) {
		this.context = context;
	}

	public static ParleyInstance start(int redisPort, String... extraProperties) {
		List<String> properties = new ArrayList<>(
				List.of("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort));
		properties.addAll(List.of(extraProperties));
		return run(properties);
	}

	/** An instance pointed at a Redis topology: one server, a Cluster or Sentinel. */
	public static ParleyInstance start(RedisTopology redis, String... extraProperties) {
		List<String> properties = new ArrayList<>(redis.springProperties());
		properties.addAll(List.of(extraProperties));
		return run(properties);
	}

	/** An instance that starts its own embedded Redis, keeping data in {@code dir}. */
	public static ParleyInstance startEmbedded(java.nio.file.Path dir) {
		return run(List.of("parley.embedded-redis.dir=" + dir));
	}

	private static ParleyInstance run(List<String> properties) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0", "--spring.jmx.enabled=false"));
		properties.forEach(property -> args.add("--" + property));
		return new ParleyInstance(
				new SpringApplicationBuilder(ParleyApplication.class).run(args.toArray(String[]::new)));
	}

	public int port() {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	public ParleyHttp http() {
		return new ParleyHttp(port());
	}

	public <T> T bean(Class<T> type) {
		return context.getBean(type);
	}

	public boolean hasBean(Class<?> type) {
		return context.getBeanNamesForType(type).length > 0;
	}

	/** Creates a room no other test uses, named by its slug: {@code prefix-<nanos>}. */
	public String newRoom(String prefix) {
		return newRoom(bean(RoomService.class), prefix);
	}

	/** The same, for a test that has the app's {@link RoomService} itself. */
	public static String newRoom(RoomService rooms, String prefix) {
		String slug = prefix + "-" + System.nanoTime();
		rooms.createIfAbsent(slug, slug, "");
		return slug;
	}

	@Override
	public void close() {
		context.close();
	}

}
