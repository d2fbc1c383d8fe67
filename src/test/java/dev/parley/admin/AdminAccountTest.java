package dev.parley.admin;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.parley.config.ParleyProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin account as configured: a password, a BCrypt hash, or none (one is generated and logged). */
@ExtendWith(OutputCaptureExtension.class)
class AdminAccountTest {

	private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(4);

	@Test
	void theConfiguredPasswordLogsInAsAdminAndNothingElseDoes() {
		AuthenticationManager admin = account("parley.admin.password", "correct horse").authenticationManager();
		var authenticated = admin.authenticate(login("admin", "correct horse"));
		assertThat(authenticated.getAuthorities()).extracting(Object::toString).contains("ROLE_ADMIN");
		assertThat(admin.authenticate(login("admin", "correct horse")).isAuthenticated())
			.as("a second login works too").isTrue();
		assertThatThrownBy(() -> admin.authenticate(login("admin", "wrong"))).isInstanceOf(BadCredentialsException.class);
		assertThatThrownBy(() -> admin.authenticate(login("alice", "correct horse")))
			.isInstanceOf(BadCredentialsException.class);
	}

	@Test
	void aBcryptHashStandsInForThePassword() {
		String hash = "{bcrypt}" + encoder.encode("hashed secret");
		AuthenticationManager admin = account("parley.admin.password", hash).authenticationManager();
		assertThat(admin.authenticate(login("admin", "hashed secret")).isAuthenticated()).isTrue();
		assertThatThrownBy(() -> admin.authenticate(login("admin", hash))).isInstanceOf(BadCredentialsException.class);
	}

	@Test
	void withoutAPasswordOneIsGeneratedAndLogged(CapturedOutput output) {
		AuthenticationManager admin = account("parley.admin.username", "boss").authenticationManager();
		Matcher logged = Pattern.compile("password for this run is (\\S+) \\(user boss\\)").matcher(output.getOut());
		assertThat(logged.find()).as(output.getOut()).isTrue();
		assertThat(admin.authenticate(login("boss", logged.group(1))).isAuthenticated()).isTrue();
		assertThatThrownBy(() -> admin.authenticate(login("boss", ""))).isInstanceOf(BadCredentialsException.class);
	}

	private AdminAccount account(String property, String value) {
		ParleyProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(property, value)))
			.bindOrCreate("parley", ParleyProperties.class);
		return new AdminAccount(properties, encoder);
	}

	private static UsernamePasswordAuthenticationToken login(String username, String password) {
		return UsernamePasswordAuthenticationToken.unauthenticated(username, password);
	}

}
