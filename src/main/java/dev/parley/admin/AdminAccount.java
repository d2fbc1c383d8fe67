package dev.parley.admin;

import java.security.SecureRandom;
import java.util.Base64;

import dev.parley.config.ParleyProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The admin console's accounts: the configured one, from {@code parley.admin.*} (only its BCrypt
 * hash is kept), an admin always, and those admins made ({@link ConsoleAdmins}), admins or
 * moderators. It is deliberately not a {@code UserDetailsService} bean, so chat logins never see
 * it and it never sees chat users.
 */
@Component
public class AdminAccount {

	public static final String ROLE = "ADMIN";

	/** May moderate (kick, mute, ban, delete messages) and look, but change nothing else. */
	public static final String MODERATOR_ROLE = "MODERATOR";

	private static final String BCRYPT_PREFIX = "{bcrypt}";

	private static final Logger log = LoggerFactory.getLogger(AdminAccount.class);

	private final String username;

	private final String passwordHash;

	private final PasswordEncoder encoder;

	private final ConsoleAdmins others;

	/** The configured account alone. */
	public AdminAccount(ParleyProperties properties, PasswordEncoder encoder) {
		this(properties, encoder, null);
	}

	@Autowired
	public AdminAccount(ParleyProperties properties, PasswordEncoder encoder, ConsoleAdmins others) {
		this.username = properties.admin().username();
		this.encoder = encoder;
		this.others = others;
		this.passwordHash = hash(properties.admin().password());
	}

	/** The configured account's name: always an admin, and never removed. */
	public String username() {
		return username;
	}

	/** Whether the name is an account now (one made in the console may have been removed since its login). */
	public boolean exists(String name) {
		return username.equals(name) || (others != null && others.find(name).isPresent());
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
		if (username.equals(name)) {
			return User.withUsername(username).password(passwordHash).roles(ROLE).build();
		}
		ConsoleAdmins.Account account = others == null ? null : others.find(name).orElse(null);
		if (account == null) {
			throw new UsernameNotFoundException("not a console account");
		}
		return User.withUsername(name)
			.password(account.passwordHash())
			.roles(ConsoleAdmins.ADMIN.equals(account.role()) ? ROLE : MODERATOR_ROLE)
			.build();
	}

}
