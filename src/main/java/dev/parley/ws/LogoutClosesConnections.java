package dev.parley.ws;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import dev.parley.messaging.PubSubGateway;
import dev.parley.security.TokenService;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.stereotype.Component;

/**
 * Logging out of the chat ends the WebSocket connections that the same browser session opened, on
 * every instance (the user's other devices keep theirs): a connection outliving its login would
 * go on receiving the user's messages. Only a hash of the session id crosses pub/sub.
 */
@Component
public class LogoutClosesConnections implements LogoutHandler {

	private final PubSubGateway gateway;

	LogoutClosesConnections(PubSubGateway gateway) {
		this.gateway = gateway;
	}

	/** The session may be invalidated already: the id the browser sent still names it. */
	@Override
	public void logout(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
		String id = request.getRequestedSessionId();
		if (authentication != null && id != null) {
			gateway.loggedOut(authentication.getName(), TokenService.hash(id));
		}
	}

	/** The key of the session that authenticates this request; null without one. */
	static String sessionKey(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		return session == null || request.getUserPrincipal() == null ? null : TokenService.hash(session.getId());
	}

}
