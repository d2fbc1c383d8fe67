package dev.parley.config;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every HTTP request an id, in the logs (MDC {@code requestId}) and in the response's
 * {@code X-Request-Id}: nginx's own ({@code $request_id}, which it sends as {@code X-Request-Id}),
 * so that its access log and the app's lines match, or a new one. An id that is not 1 to 64 letters,
 * digits, '-' or '_' is replaced, so that nothing a client sends can forge log lines.
 */
class RequestIdFilter extends OncePerRequestFilter {

	static final String HEADER = "X-Request-Id";

	static final String MDC_KEY = "requestId";

	private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String given = request.getHeader(HEADER);
		String id = given != null && WELL_FORMED.matcher(given).matches() ? given
				: UUID.randomUUID().toString().replace("-", "");
		MDC.put(MDC_KEY, id);
		response.setHeader(HEADER, id);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(MDC_KEY);
		}
	}

}
