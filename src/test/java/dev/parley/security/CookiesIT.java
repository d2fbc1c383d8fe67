package dev.parley.security;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Every cookie Parley sets is HttpOnly and SameSite, the 30-day remember-me cookie included. */
@ParleyIntegrationTest
class CookiesIT {

	@Autowired
	ParleyHttp http;

	@Test
	void theCookiesOfAGuestWhoJoinedThroughTheFormAreHttpOnlyAndSameSite() {
		HttpResponse<String> form = http.page("/login", null);
		String session = ParleyHttp.setSessionCookie(form).orElseThrow();
		HttpResponse<String> joined = http.form("/guest", session, ParleyHttp.csrfToken(form.body()),
				Map.of("name", "Cookie"));

		List<String> cookies = joined.headers().allValues("Set-Cookie");
		assertThat(cookies).anyMatch(cookie -> cookie.startsWith("remember-me="));
		assertThat(cookies).allSatisfy(cookie -> assertThat(cookie).containsIgnoringCase("HttpOnly")
			.containsIgnoringCase("SameSite=Lax"));
	}

}
