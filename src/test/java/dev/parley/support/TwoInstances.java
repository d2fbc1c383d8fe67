package dev.parley.support;

import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The two-instance topology: two Parley instances in this JVM on one real Redis, started once for
 * a test class and stopped after it. A class registers it, and every test reaches the instances
 * through it:
 * <pre>
 * &#64;RegisterExtension
 * static final TwoInstances instances = TwoInstances.withProperties("parley.presence.ttl=2s");
 * </pre>
 */
public final class TwoInstances implements BeforeAllCallback, AfterAllCallback {

	private final Supplier<TestRedis> newRedis;

	private final String[] properties;

	private TestRedis redis;

	private ParleyInstance a;

	private ParleyInstance b;

	private TwoInstances(Supplier<TestRedis> newRedis, String... properties) {
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

	@Override
	public void beforeAll(ExtensionContext context) {
		redis = newRedis.get();
		a = ParleyInstance.start(redis.port(), properties);
		b = ParleyInstance.start(redis.port(), properties);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		b.close();
		a.close();
		redis.close();
	}

	public TestRedis redis() {
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
