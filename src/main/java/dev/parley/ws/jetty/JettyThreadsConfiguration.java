package dev.parley.ws.jetty;

import org.eclipse.jetty.util.thread.QueuedThreadPool;

import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Jetty's pool at 4 threads per core (at least 16) instead of 200, unless
 * {@code server.jetty.threads.max} is set or virtual threads are enabled. Jetty's threads serve pages and
 * the WebSocket frames that wait for Redis, and a message never holds one while Redis answers, so more of them add no
 * throughput; under an overload they all become runnable and starve the one Redis I/O thread that
 * every acknowledgement waits for (docs/benchmarks.md). A fixed small number would not do: Jetty
 * reserves threads for its acceptors and selectors, which grow with the cores, and refuses to start
 * without them.
 */
@Configuration(proxyBeanMethods = false)
class JettyThreadsConfiguration {

	static final String MAX_THREADS = "server.jetty.threads.max";

	static int defaultMaxThreads(int cores) {
		return Math.max(16, 4 * cores);
	}

	@Bean
	WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> jettyThreads(Environment environment) {
		return factory -> {
			if (!environment.containsProperty(MAX_THREADS)
					&& !environment.getProperty("spring.threads.virtual.enabled", Boolean.class, false)) {
				factory.setThreadPool(new QueuedThreadPool(defaultMaxThreads(Runtime.getRuntime().availableProcessors())));
			}
		};
	}

}
