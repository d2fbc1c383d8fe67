package dev.parley.security;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.ScriptOutputType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;

import org.springframework.stereotype.Component;

/**
 * {@code parley.throttle.handshakes} per client address, as {@link RequestThrottle} counts the other
 * kinds, but counted without waiting: the handshake sends the count with its token's lookup and
 * waits for both at once, one round trip to Redis instead of two.
 */
@Component
public class HandshakeThrottle {

	/** The kind's name, in its counter's key and in the refusal's reason. */
	public static final String HANDSHAKES = "handshakes";

	private static final Logger log = LoggerFactory.getLogger(HandshakeThrottle.class);

	private final RedisAsync redis;

	private final int limit;

	private final String windowMillis;

	HandshakeThrottle(RedisAsync redis, ParleyProperties properties) {
		this.redis = redis;
		this.limit = properties.throttle().handshakes();
		this.windowMillis = Long.toString(properties.throttle().window().toMillis());
	}

	/**
	 * Counts a handshake from the address: completes with how long until it may make another (0:
	 * now). When Redis cannot count, with 0: the handshake meets Redis again soon enough.
	 */
	public CompletableFuture<Long> count(String address) {
		CompletableFuture<List<?>> counted;
		try {
			counted = redis.eval(RequestThrottle.COUNT, ScriptOutputType.MULTI,
					new String[] { RedisKeys.throttle(HANDSHAKES, address) }, windowMillis);
		}
		catch (RuntimeException ex) {
			counted = CompletableFuture.failedFuture(ex);
		}
		return counted.thenApply(reply -> RequestThrottle.retryAfterMillis(reply, limit)).exceptionally(error -> {
			log.debug("Could not count a handshake: {}", error.toString());
			return 0L;
		});
	}

}
