package dev.parley.config;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** True when neither {@code spring.data.redis.host} nor {@code spring.data.redis.url} is set. */
class NoRedisConfiguredCondition implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment env = context.getEnvironment();
		return !env.containsProperty("spring.data.redis.host") && !env.containsProperty("spring.data.redis.url");
	}

}
