package dev.parley.security;

import java.net.URI;
import java.net.http.HttpRequest;
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
	void behindATlsProxyEveryCookieIsSecureTheRememberMeCookieToo() {
		Map<String, String> viaTls = Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "chat.example.org",
				"X-Forwarded-Port", "443");
		HttpResponse<String> form = http.send(withHeaders(HttpRequest.newBuilder(URI.create(http.base() + "/login")),
				viaTls).build());
		String session = ParleyHttp.setSessionCookie(form).orElseThrow();
		HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(http.base() + "/guest"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Cookie", session)
			.header("Origin", "https://chat.example.org")
			.POST(HttpRequest.BodyPublishers.ofString("name=Secure&_csrf=" + ParleyHttp.csrfToken(form.body())));
		HttpResponse<String> joined = http.send(withHeaders(post, viaTls).build());

		List<String> cookies = joined.headers().allValues("Set-Cookie");
		assertThat(cookies).anyMatch(cookie -> cookie.startsWith("remember-me="));
		assertThat(cookies).allSatisfy(cookie -> assertThat(cookie).containsIgnoringCase("; Secure"));
	}

	private static HttpRequest.Builder withHeaders(HttpRequest.Builder request, Map<String, String> headers) {
		headers.forEach(request::header);
		return request;
	}

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
