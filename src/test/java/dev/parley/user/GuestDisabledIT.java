package dev.parley.user;

import java.util.Map;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.auth.guest-enabled=false" })
class GuestDisabledIT {

	@Autowired
	ParleyHttp http;

	@Test
	void guestTokensAre403WhenGuestAccessIsDisabled() {
		assertThat(http.postJson("/api/auth/guest", Map.of("name", "Gus")).statusCode()).isEqualTo(403);
	}

	@Test
	void theLoginPageOffersNoGuestButtonWhenDisabled() {
		assertThat(http.get("/login").body()).doesNotContain("guest-form");
	}

}
