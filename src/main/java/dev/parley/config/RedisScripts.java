package dev.parley.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Redis scripts under {@code src/main/resources/redis/}, each read once. A script made from the
 * resource itself ({@code RedisScript.of(Resource)}) asks the resource whether it changed on every
 * run, to recompute its digest: inside the jar that opens a nested jar URL each time, about 5 % of
 * an instance's CPU in a storm of handshakes (bench/notes.md).
 */
public final class RedisScripts {

	private RedisScripts() {
	}

	/** {@code redis/<name>.lua}, returning {@code type}. */
	public static <T> RedisScript<T> load(String name, Class<T> type) {
		ClassPathResource resource = new ClassPathResource("redis/" + name + ".lua");
		try {
			return RedisScript.of(resource.getContentAsString(StandardCharsets.UTF_8), type);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + resource, ex);
		}
	}

}
