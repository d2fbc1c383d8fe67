package dev.parley.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisKeys;
import dev.parley.config.RedisScripts;

import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Each user's browser sessions, so that the console can list them and a password reset can end
 * them: Spring Session's plain repository finds a session by id only. Every way a browser logs in
 * adds its session: the login form and a remembered login (their success event), registration and
 * joining as a guest ({@link WebLogin}).
 */
@Component
public class SessionIndex {

	/** The newest kept per user; an older one still ends by its own timeout. */
	static final int MAX_SESSIONS = 100;

	private static final RedisScript<Long> ADD = RedisScripts.load("session-add", Long.class);

	/** One of a user's browser sessions, as the console shows it: the start of its id, when it logged in and was last used. */
	public record Listed(String id, Instant loggedIn, Instant lastUsed) {
	}

	private final StringRedisTemplate redis;

	private final SessionRepository<? extends Session> sessions;

	private final long ttlSeconds;

	SessionIndex(StringRedisTemplate redis, SessionRepository<? extends Session> sessions, ParleyProperties properties) {
		this.redis = redis;
		this.sessions = sessions;
		this.ttlSeconds = properties.auth().rememberMe().toSeconds();
	}

	/** A login through a form or a remember-me cookie; the console's own logins are not a user's. */
	@EventListener
	void loggedIn(InteractiveAuthenticationSuccessEvent event) {
		Authentication authentication = event.getAuthentication();
		boolean chatUser = authentication.getAuthorities()
			.stream()
			.anyMatch(role -> role.getAuthority().equals("ROLE_USER") || role.getAuthority().equals("ROLE_GUEST"));
		if (chatUser && RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			record(authentication.getName(), attributes.getRequest());
		}
	}

	void record(String userId, HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session != null) {
			redis.execute(ADD, List.of(RedisKeys.userSessions(userId)), Long.toString(System.currentTimeMillis()),
					session.getId(), Integer.toString(MAX_SESSIONS), Long.toString(ttlSeconds));
		}
	}

	/** The user's sessions still alive, newest login first; those that ended leave the list. */
	public List<Listed> of(String userId) {
		String key = RedisKeys.userSessions(userId);
		Set<TypedTuple<String>> ids = redis.opsForZSet().reverseRangeWithScores(key, 0, -1);
		List<Listed> alive = new ArrayList<>();
		List<String> ended = new ArrayList<>();
		for (TypedTuple<String> entry : ids == null ? Set.<TypedTuple<String>>of() : ids) {
			Session session = sessions.findById(entry.getValue());
			if (session == null) {
				ended.add(entry.getValue());
			}
			else {
				alive.add(new Listed(entry.getValue().substring(0, Math.min(8, entry.getValue().length())),
						Instant.ofEpochMilli(entry.getScore().longValue()), session.getLastAccessedTime()));
			}
		}
		if (!ended.isEmpty()) {
			redis.opsForZSet().remove(key, ended.toArray());
		}
		return alive;
	}

}
