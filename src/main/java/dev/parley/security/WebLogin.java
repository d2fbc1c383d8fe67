package dev.parley.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.web.authentication.rememberme.PersistentTokenBasedRememberMeServices;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/** Logs a browser in right after registration or "join as guest", as form login would. */
@Component
public class WebLogin {

	private final RedisUserDetailsService userDetails;

	private final SecurityContextRepository contexts;

	private final PersistentTokenBasedRememberMeServices rememberMe;

	private final SessionIndex sessions;

	public WebLogin(RedisUserDetailsService userDetails, SecurityContextRepository contexts,
			PersistentTokenBasedRememberMeServices rememberMe, SessionIndex sessions) {
		this.userDetails = userDetails;
		this.contexts = contexts;
		this.rememberMe = rememberMe;
		this.sessions = sessions;
	}

	public void logIn(String userId, boolean remember, HttpServletRequest request, HttpServletResponse response) {
		UserDetails details = userDetails.loadUserByUsername(userId);
		Authentication authentication = UsernamePasswordAuthenticationToken.authenticated(details, null,
				details.getAuthorities());
		if (request.getSession(false) != null) {
			request.changeSessionId();
		}
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(authentication);
		SecurityContextHolder.setContext(context);
		contexts.saveContext(context, request, response);
		sessions.record(userId, request);
		if (remember) {
			rememberMe.loginSuccess(rememberMeRequested(request), response, authentication);
		}
	}

	private static HttpServletRequest rememberMeRequested(HttpServletRequest request) {
		return new HttpServletRequestWrapper(request) {
			@Override
			public String getParameter(String name) {
				return "remember-me".equals(name) ? "true" : super.getParameter(name);
			}
		};
	}

}
