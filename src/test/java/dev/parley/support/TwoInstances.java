package dev.parley.support;

import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The two-instance topology: two Parley instances in this JVM on one real Redis (a server, a
 * Cluster or Sentinel), started once for
 * a test class and stopped after it. A class registers it, and every test reaches the instances
 * through it:
 * <pre>
 * &#64;RegisterExtension
 * static final TwoInstances instances = TwoInstances.withProperties("parley.presence.ttl=2s");
 * </pre>
 */
public final class TwoInstances implements BeforeAllCallback, AfterAllCallback {

	private final Supplier<? extends RedisTopology> newRedis;

	private final String[] properties;

	private RedisTopology redis;

	private ParleyInstance a;

	private ParleyInstance b;

	private TwoInstances(Supplier<? extends RedisTopology> newRedis, String... properties) {
		this.newRedis = newRedis;
		this.properties = properties;
	}

	/** Both instances with these properties, on a new Redis. */
	public static TwoInstances withProperties(String... properties) {
		return new TwoInstances(TestRedis::new, properties);
	}

	/** On a Redis that keeps its data across a stop and a start ({@link TestRedis#durable}). */
	public static TwoInstances onDurableRedis(String... properties) {
		return new TwoInstances(TestRedis::durable, properties);
	}

	/** On a new Redis of another topology: a {@link RedisCluster} or a {@link RedisSentinel}. */
	public static TwoInstances on(Supplier<? extends RedisTopology> newRedis, String... properties) {
		return new TwoInstances(newRedis, properties);
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		redis = newRedis.get();
		a = ParleyInstance.start(redis, properties);
		b = ParleyInstance.start(redis, properties);
		redis.awaitReachedBy(a);
		redis.awaitReachedBy(b);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		// a start that failed midway leaves the rest null
		for (AutoCloseable part : new AutoCloseable[] { b, a, redis }) {
			if (part != null) {
				try {
					part.close();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
	}

	/** The single Redis server of {@link #withProperties} and {@link #onDurableRedis}. */
	public TestRedis redis() {
		return (TestRedis) redis;
	}

	public RedisTopology topology() {
		return redis;
	}

	public ParleyInstance a() {
		return a;
	}

	public ParleyInstance b() {
		return b;
	}

	public List<ParleyInstance> both() {
		return List.of(a, b);
	}

}
