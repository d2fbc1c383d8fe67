package dev.parley.admin;

import java.security.SecureRandom;
import java.util.Base64;

import dev.parley.config.ParleyProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The admin console's one account, from {@code parley.admin.*}: only its BCrypt hash is kept. It
 * is deliberately not a {@code UserDetailsService} bean, so chat logins never see it and it never
 * sees chat users.
 */
@Component
public class AdminAccount {

	public static final String ROLE = "ADMIN";

	private static final String BCRYPT_PREFIX = "{bcrypt}";

	private static final Logger log = LoggerFactory.getLogger(AdminAccount.class);

	private final String username;

	private final String passwordHash;

	private final PasswordEncoder encoder;

	public AdminAccount(ParleyProperties properties, PasswordEncoder encoder) {
		this.username = properties.admin().username();
		this.encoder = encoder;
		this.passwordHash = hash(properties.admin().password());
	}

	private String hash(String password) {
		if (password.startsWith(BCRYPT_PREFIX)) {
			return password.substring(BCRYPT_PREFIX.length());
		}
		if (password.isBlank()) {
			String generated = generatedPassword();
			log.warn("parley.admin.password is not set: the admin console's password for this run is {} "
					+ "(user {}). Set parley.admin.password (PARLEY_ADMIN_PASSWORD) to choose one; every instance "
					+ "behind one proxy needs the same.", generated, username);
			return encoder.encode(generated);
		}
		return encoder.encode(password);
	}

	private static String generatedPassword() {
		byte[] bytes = new byte[18];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** Authenticates the admin account and nothing else. */
	public AuthenticationManager authenticationManager() {
		DaoAuthenticationProvider provider = new DaoAuthenticationProvider(this::load);
		provider.setPasswordEncoder(encoder);
		return new ProviderManager(provider);
	}

	/** A new object each time: a successful login erases the password of the one it was given. */
	private UserDetails load(String name) {
		if (!username.equals(name)) {
			throw new UsernameNotFoundException("not the admin account");
		}
		return User.withUsername(username).password(passwordHash).roles(ROLE).build();
	}

}
