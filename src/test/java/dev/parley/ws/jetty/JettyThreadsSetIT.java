package dev.parley.ws.jetty;

import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"server.jetty.threads.max=50" })
class JettyThreadsSetIT {

	@Autowired
	WebServerApplicationContext context;

	@Test
	void anExplicitServerJettyThreadsMaxWins() {
		assertThat(JettyThreadsIT.maxThreads(context)).isEqualTo(50);
	}

}
