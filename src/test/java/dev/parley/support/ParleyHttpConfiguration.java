package dev.parley.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * A {@link ParleyHttp} for the app under test, for tests to autowire. Lazy: the random port is
 * known only once the server has started, after the beans are made.
 */
@TestConfiguration(proxyBeanMethods = false)
class ParleyHttpConfiguration {

	@Bean
	@Lazy
	ParleyHttp parleyHttp(Environment environment) {
		return new ParleyHttp(environment.getRequiredProperty("local.server.port", Integer.class));
	}

}
