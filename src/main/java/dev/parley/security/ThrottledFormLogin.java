package dev.parley.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A login form under {@link LoginThrottle}: a filter ahead of the form's authentication refuses a
 * locked login (to {@code <login page>?locked}) before any password is checked, the failure
 * handler counts wrong passwords, and the success handler clears the count.
 */
final class ThrottledFormLogin {

	/** Where a successful login goes, within the application. */
	interface Landing {

		String path(HttpServletRequest request, HttpServletResponse response);

	}

	private final LoginThrottle throttle;

	private final String realm;

	private final String loginPage;

	ThrottledFormLogin(LoginThrottle throttle, String realm, String loginPage) {
		this.throttle = throttle;
		this.realm = realm;
		this.loginPage = loginPage;
	}

	OncePerRequestFilter lockedLoginsFilter() {
		return new OncePerRequestFilter() {
			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws ServletException, IOException {
				if ("POST".equals(request.getMethod()) && loginPage.equals(request.getServletPath())
						&& throttle.locked(login(request))) {
					response.sendRedirect(request.getContextPath() + loginPage + "?locked");
					return;
				}
				chain.doFilter(request, response);
			}
		};
	}

	AuthenticationFailureHandler failureHandler() {
		return (request, response, exception) -> {
			throttle.failed(login(request));
			response.sendRedirect(request.getContextPath() + loginPage + "?error");
		};
	}

	AuthenticationSuccessHandler successHandler(Landing landing) {
		return (request, response, authentication) -> {
			throttle.succeeded(login(request));
			response.sendRedirect(request.getContextPath() + landing.path(request, response));
		};
	}

	private String login(HttpServletRequest request) {
		return LoginThrottle.login(realm, request.getParameter("username"), request);
	}

}
