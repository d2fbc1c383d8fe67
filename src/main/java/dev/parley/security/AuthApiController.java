package dev.parley.security;

import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import dev.parley.config.ParleyProperties;
import dev.parley.user.User;
import dev.parley.user.UserService;
import dev.parley.user.UsernameTakenException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Bearer tokens for clients that are not a logged-in browser. */
@RestController
@RequestMapping("/api/auth")
class AuthApiController {

	private final UserService users;

	private final TokenService tokens;

	private final PasswordEncoder passwordEncoder;

	private final LoginThrottle throttle;

	private final boolean guestEnabled;

	AuthApiController(UserService users, TokenService tokens, PasswordEncoder passwordEncoder, LoginThrottle throttle,
			ParleyProperties properties) {
		this.users = users;
		this.tokens = tokens;
		this.passwordEncoder = passwordEncoder;
		this.throttle = throttle;
		this.guestEnabled = properties.auth().guestEnabled();
	}

	record Credentials(String username, String password) {
	}

	record GuestRequest(String name) {
	}

	record TokenResponse(String token, User user) {
	}

	/** Wrong passwords count towards the same lockout as the chat's login form ({@link LoginThrottle}). */
	@PostMapping("/token")
	ResponseEntity<?> token(@RequestBody Credentials credentials, HttpServletRequest request) {
		if (credentials.username() == null || credentials.password() == null) {
			return unauthorized();
		}
		String login = LoginThrottle.login("chat", credentials.username(), request);
		if (throttle.locked(login)) {
			return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
				.header(HttpHeaders.RETRY_AFTER, Long.toString(throttle.lockout().toSeconds()))
				.body(Map.of("error", "too many wrong passwords; try again later"));
		}
		Optional<User> user = users.find(credentials.username())
			.filter(found -> users.passwordHash(found.id())
				.filter(hash -> passwordEncoder.matches(credentials.password(), hash))
				.isPresent());
		if (user.isEmpty()) {
			throttle.failed(login);
			return unauthorized();
		}
		throttle.succeeded(login);
		return ResponseEntity.ok(new TokenResponse(tokens.issue(user.get().id()), user.get()));
	}

	@PostMapping("/guest")
	ResponseEntity<?> guest(@RequestBody(required = false) GuestRequest request, HttpServletRequest http) {
		if (!guestEnabled) {
			return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Map.of("error", "guest access is disabled"));
		}
		Optional<String> banned = users.addressBan(http.getRemoteAddr());
		if (banned.isPresent()) {
			return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Map.of("error", "banned", "reason", banned.get()));
		}
		try {
			User user = users.createGuest(request == null ? null : request.name(), http.getRemoteAddr());
			return ResponseEntity.ok(new TokenResponse(tokens.issue(user.id()), user));
		}
		catch (UsernameTakenException ex) {
			return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "no free name like that; try another"));
		}
	}

	private static ResponseEntity<?> unauthorized() {
		return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "bad credentials"));
	}

}
