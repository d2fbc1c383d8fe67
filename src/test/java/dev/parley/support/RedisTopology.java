package dev.parley.support;

import java.util.List;

/** A running Redis deployment an instance can be pointed at: one server, a Cluster or a Sentinel group. */
public interface RedisTopology extends AutoCloseable {

	/** The {@code spring.data.redis.*} settings that point an instance at it, as {@code name=value}. */
	List<String> springProperties();

	/** Waits until {@code instance}, just started, can reach every part of it that serves commands. */
	default void awaitReachedBy(ParleyInstance instance) {
	}

	@Override
	void close();

}
