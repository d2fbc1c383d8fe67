package dev.parley.user;

import java.util.Map;

import dev.parley.support.ParleyHttp;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}", "parley.auth.guest-enabled=false" })
class GuestDisabledIT {

	@LocalServerPort
	int port;

	@Test
	void guestTokensAre403WhenGuestAccessIsDisabled() {
		assertThat(new ParleyHttp(port).postJson("/api/auth/guest", Map.of("name", "Gus")).statusCode())
			.isEqualTo(403);
	}

	@Test
	void theLoginPageOffersNoGuestButtonWhenDisabled() {
		assertThat(new ParleyHttp(port).get("/login").body()).doesNotContain("guest-form");
	}

}
