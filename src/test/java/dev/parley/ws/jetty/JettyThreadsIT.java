package dev.parley.ws.jetty;

import dev.parley.support.ParleyIntegrationTest;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

@ParleyIntegrationTest
class JettyThreadsIT {

	@Autowired
	WebServerApplicationContext context;

	static int maxThreads(WebServerApplicationContext context) {
		return ((QueuedThreadPool) ((JettyWebServer) context.getWebServer()).getServer().getThreadPool())
			.getMaxThreads();
	}

	@Test
	void theDefaultIsFourThreadsPerCoreAndAtLeastSixteen() {
		assertThat(JettyThreadsConfiguration.defaultMaxThreads(1)).isEqualTo(16);
		assertThat(JettyThreadsConfiguration.defaultMaxThreads(2)).isEqualTo(16);
		assertThat(JettyThreadsConfiguration.defaultMaxThreads(64)).isEqualTo(256);
	}

	@Test
	void jettyRunsWithThePerCorePoolRatherThanTwoHundredThreads() {
		assertThat(maxThreads(context))
			.isEqualTo(JettyThreadsConfiguration.defaultMaxThreads(Runtime.getRuntime().availableProcessors()));
	}

}
