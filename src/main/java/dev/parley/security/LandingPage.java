package dev.parley.security;

import java.net.URI;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;

/**
 * Where a chat user lands after logging in, registering or joining as a guest: the room link that
 * sent them to the login page, when it was one, so that a shared link leads into its room; else
 * the chat page. Only room links are honoured, never an arbitrary address kept from before the login.
 */
public final class LandingPage {

	private static final Pattern ROOM_LINK = Pattern.compile("/rooms/[a-z0-9][a-z0-9-]{0,39}");

	private static final RequestCache REQUESTS = new HttpSessionRequestCache();

	private LandingPage() {
	}

	/** The path to redirect to, within the application; forgets the request kept before the login. */
	public static String path(HttpServletRequest request, HttpServletResponse response) {
		SavedRequest saved = REQUESTS.getRequest(request, response);
		if (saved == null) {
			return "/";
		}
		REQUESTS.removeRequest(request, response);
		String path = URI.create(saved.getRedirectUrl()).getPath();
		String local = path == null ? "" : path.substring(Math.min(request.getContextPath().length(), path.length()));
		return ROOM_LINK.matcher(local).matches() ? local : "/";
	}

}
