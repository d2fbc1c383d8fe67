package dev.parley.security;

import java.util.Map;

import dev.parley.config.ParleyProperties;
import dev.parley.user.User;
import dev.parley.user.UserService;
import dev.parley.user.UsernameTakenException;

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

	private final boolean guestEnabled;

	AuthApiController(UserService users, TokenService tokens, PasswordEncoder passwordEncoder,
			ParleyProperties properties) {
		this.users = users;
		this.tokens = tokens;
		this.passwordEncoder = passwordEncoder;
		this.guestEnabled = properties.auth().guestEnabled();
	}

	record Credentials(String username, String password) {
	}

	record GuestRequest(String name) {
	}

	record TokenResponse(String token, User user) {
	}

	@PostMapping("/token")
	ResponseEntity<?> token(@RequestBody Credentials credentials) {
		if (credentials.username() == null || credentials.password() == null) {
			return unauthorized();
		}
		return users.find(credentials.username())
			.filter(user -> users.passwordHash(user.id())
				.filter(hash -> passwordEncoder.matches(credentials.password(), hash))
				.isPresent())
			.<ResponseEntity<?>>map(user -> ResponseEntity.ok(new TokenResponse(tokens.issue(user.id()), user)))
			.orElseGet(AuthApiController::unauthorized);
	}

	@PostMapping("/guest")
	ResponseEntity<?> guest(@RequestBody(required = false) GuestRequest request) {
		if (!guestEnabled) {
			return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Map.of("error", "guest access is disabled"));
		}
		try {
			User user = users.createGuest(request == null ? null : request.name());
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
