package dev.parley.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import dev.parley.admin.AdminAccount;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A console account removed by an admin loses its logins at once, on every instance: each
 * console request checks that the account still exists, and one that does not is logged out
 * (sent to the login page by the authorization that follows).
 */
class RemovedConsoleAccounts extends OncePerRequestFilter {

	private final AdminAccount accounts;

	private final String contextKey;

	RemovedConsoleAccounts(AdminAccount accounts, String contextKey) {
		this.accounts = accounts;
		this.contextKey = contextKey;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && !(authentication instanceof AnonymousAuthenticationToken)
				&& !accounts.exists(authentication.getName())) {
			SecurityContextHolder.clearContext();
			HttpSession session = request.getSession(false);
			if (session != null) {
				session.removeAttribute(contextKey);
			}
		}
		chain.doFilter(request, response);
	}

}
