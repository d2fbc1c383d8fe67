package dev.parley.security;

import java.net.http.HttpResponse;
import java.util.Map;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Every page names Parley's icon, which loads without a login: browsers no longer ask for a missing one. */
@ParleyIntegrationTest
class PageIconIT {

	private static final String ICON_LINK = "<link rel=\"icon\" type=\"image/svg+xml\" href=\"/favicon.svg\">";

	@Autowired
	ParleyHttp http;

	@Test
	void theIconLoadsWithoutALogin() {
		HttpResponse<String> icon = http.get("/favicon.svg");
		assertThat(icon.statusCode()).isEqualTo(200);
		assertThat(icon.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("image/svg+xml"));
		assertThat(icon.body()).startsWith("<svg");
	}

	@Test
	void theLoginChatAndAdminPagesNameTheIcon() {
		HttpResponse<String> login = http.page("/login", null);
		assertThat(login.body()).contains(ICON_LINK);
		assertThat(http.get("/admin/login").body()).contains(ICON_LINK);
		String session = ParleyHttp.setSessionCookie(login).orElseThrow();
		HttpResponse<String> joined = http.form("/guest", session, ParleyHttp.csrfToken(login.body()),
				Map.of("name", "Iconic"));
		assertThat(http.page("/", ParleyHttp.cookie(joined, session)).body()).contains(ICON_LINK);
	}

}
