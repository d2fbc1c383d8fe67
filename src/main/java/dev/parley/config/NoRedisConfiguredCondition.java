package dev.parley.config;

import java.util.List;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * True when none of Spring's settings that name a Redis is set: a host, a URL, a Sentinel master
 * or its nodes, or Cluster nodes. Any one of them means "use that Redis", and the embedded one
 * must not start (an instance on it would chat alone).
 */
class NoRedisConfiguredCondition implements Condition {

	private static final List<String> REDIS_SETTINGS = List.of("spring.data.redis.host", "spring.data.redis.url",
			"spring.data.redis.sentinel.master", "spring.data.redis.sentinel.nodes", "spring.data.redis.cluster.nodes");

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment env = context.getEnvironment();
		return REDIS_SETTINGS.stream().noneMatch(env::containsProperty);
	}

}
