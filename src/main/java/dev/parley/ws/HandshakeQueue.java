package dev.parley.ws;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.parley.config.ParleyProperties;

import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Handshakes in flight: connections accepted on the chat port whose HTTP exchange has not ended, by
 * an upgrade or a close. In a reconnect storm the kernel and Jetty accept thousands of connections
 * at once, and each waits its turn in Jetty's queue: handled in order, the last ones would be
 * answered after their clients gave up, each having cost Redis round trips first. So a connection
 * that arrives while {@code parley.ws.handshakes-in-flight} others are in flight is marked at its
 * arrival, and its handshake is answered {@code 503} as soon as it is read, before the throttle,
 * Spring Security or anything that asks Redis. Those before it are served at the instance's full rate.
 * <p>
 * The {@code Retry-After} of a shed handshake is an appointment ({@link RetryAppointments}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class HandshakeQueue extends OncePerRequestFilter implements Connection.Listener, JettyServerCustomizer {

	private final int limit;

	private final RetryAppointments appointments = new RetryAppointments(System.nanoTime());

	private final ConnectionMeters meters;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final Set<EndPoint> shed = ConcurrentHashMap.newKeySet();

	/** The body of a handshake turned away. */
	static final String SHED = "too many handshakes at once, try again";

	HandshakeQueue(ParleyProperties properties, ConnectionMeters meters, MeterRegistry registry) {
		this.limit = properties.ws().handshakesInFlight();
		this.meters = meters;
		Gauge.builder("parley.handshakes.in.flight", inFlight, AtomicInteger::get)
			.description("Connections accepted on the chat port and not past their HTTP exchange (upgraded or closed)")
			.register(registry);
	}

	/** Every connection of the chat port's connectors is told to this listener. */
	@Override
	public void customize(Server server) {
		for (Connector connector : server.getConnectors()) {
			connector.addBean(this);
		}
	}

	@Override
	public void onOpened(Connection connection) {
		// an HTTP connection (it can be upgraded from); the WebSocket connection that replaces it is not one
		if (connection instanceof Connection.UpgradeFrom && inFlight.incrementAndGet() > limit) {
			shed.add(connection.getEndPoint());
		}
	}

	@Override
	public void onClosed(Connection connection) {
		if (connection instanceof Connection.UpgradeFrom) {
			inFlight.decrementAndGet();
			shed.remove(connection.getEndPoint());
		}
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().equals("/ws");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ServletContextRequest jettyRequest = ServletContextRequest.getServletContextRequest(request);
		if (!turnedAway(jettyRequest == null ? null : jettyRequest.getConnectionMetaData().getConnection().getEndPoint())) {
			chain.doFilter(request, response);
			return;
		}
		response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
		response.setHeader(HttpHeaders.RETRY_AFTER, retryAfter());
		// the connection goes, and with it its place among those in flight
		response.setHeader(HttpHeaders.CONNECTION, "close");
		response.setContentType("text/plain;charset=UTF-8");
		response.getWriter().write(SHED);
	}

	/**
	 * Whether the handshake on this connection arrived past the limit, and is to be answered
	 * {@code 503} with {@link #retryAfter()} (asked once per connection).
	 */
	boolean turnedAway(EndPoint endPoint) {
		if (endPoint == null || !shed.remove(endPoint)) {
			appointments.admitted();
			return false;
		}
		meters.handshake(ConnectionMeters.SHED);
		return true;
	}

	/** The seconds a handshake turned away is to wait: its appointment. */
	String retryAfter() {
		int waiting = Math.min(inFlight.get(), limit);
		return Integer.toString(appointments.next(System.nanoTime(), waiting));
	}

}
