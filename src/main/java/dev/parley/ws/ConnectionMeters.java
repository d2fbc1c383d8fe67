package dev.parley.ws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.websocket.core.CloseStatus;

import dev.parley.delivery.Closes;
import dev.parley.delivery.Hub;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The connection meters: how many are open (read from the hub when scraped), handshakes by outcome,
 * and the connections this instance closed by close code (4002: a slow consumer, 1013: overloaded,
 * 4001: idle...). Handshakes and closes are counted as they happen, once per connection, never per
 * message.
 */
@Component
class ConnectionMeters implements Closes {

	/** What became of a handshake: its refusal's status, or one of these. */
	static final String ACCEPTED = "accepted";

	static final String ORIGIN_REFUSED = "origin_refused";

	static final String NOT_WEBSOCKET = "not_websocket";

	/** Arrived while parley.ws.handshakes-in-flight others were in flight: 503 (HandshakeQueue). */
	static final String SHED = "shed";

	/** The closes the protocol names, counted from 0 so that a rate can be taken before the first. */
	private static final int[] PROTOCOL_CLOSES = { 1001, 1008, 1011, 1013, 4001, 4002, 4003, 4004, 4005 };

	private final MeterRegistry registry;

	private final Map<String, Counter> handshakes = new ConcurrentHashMap<>();

	private final Map<Integer, Counter> closes = new ConcurrentHashMap<>();

	ConnectionMeters(MeterRegistry registry, Hub hub) {
		this.registry = registry;
		Gauge.builder("parley.connections", hub, Hub::connectionCount)
			.description("WebSocket connections open on this instance")
			.register(registry);
		for (String outcome : new String[] { ACCEPTED, ORIGIN_REFUSED, NOT_WEBSOCKET, SHED }) {
			handshakes(outcome);
		}
		for (int code : PROTOCOL_CLOSES) {
			closes(code);
		}
	}

	void handshake(String outcome) {
		handshakes(outcome).increment();
	}

	private Counter handshakes(String outcome) {
		return handshakes.computeIfAbsent(outcome, name -> Counter.builder("parley.handshakes")
			.description("WebSocket handshakes by outcome: accepted, or the refusal's HTTP status")
			.tag("outcome", name)
			.register(registry));
	}

	void refused(HttpStatus status) {
		handshake(Integer.toString(status.value()));
	}

	@Override
	public void closed(CloseStatus status) {
		closes(status.getCode()).increment();
	}

	private Counter closes(int code) {
		return closes.computeIfAbsent(code, key -> Counter.builder("parley.closes")
			.description("Connections this instance closed, by WebSocket close code")
			.tag("code", Integer.toString(key))
			.register(registry));
	}

}
