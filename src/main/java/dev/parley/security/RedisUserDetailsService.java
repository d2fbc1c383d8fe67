package dev.parley.security;

import dev.parley.user.User;
import dev.parley.user.UserService;

import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/** Spring Security's view of Parley users. Guests have no password, so form login never matches them. */
@Service
public class RedisUserDetailsService implements UserDetailsService {

	private final UserService users;

	public RedisUserDetailsService(UserService users) {
		this.users = users;
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		User user = users.find(username).orElseThrow(() -> new UsernameNotFoundException(username));
		return org.springframework.security.core.userdetails.User.withUsername(user.id())
			.password(users.passwordHash(user.id()).orElse(""))
			.roles(roleOf(user))
			.build();
	}

	/** The role a user signs in with, however they sign in (form, session, bearer token); without "ROLE_". */
	static String roleOf(User user) {
		return user.guest() ? "GUEST" : "USER";
	}

}
