package dev.parley.ws;

import dev.parley.config.ParleyProperties;
import dev.parley.delivery.Client;
import dev.parley.delivery.Hub;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Each interval, closes with {@code 4001} the connections from which nothing (no frame, no pong)
 * arrived within the timeout, and pings the others unless traffic in both directions within the
 * interval already shows them alive: a ping answers "is the client there?" and keeps proxies such
 * as nginx, which time out on silence from the server, from closing quiet connections.
 */
@Component
class Heartbeat {

	private final Hub hub;

	private final long timeoutNanos;

	private final long intervalNanos;

	Heartbeat(Hub hub, ParleyProperties properties) {
		this.hub = hub;
		this.timeoutNanos = properties.ws().heartbeatTimeout().toNanos();
		this.intervalNanos = properties.ws().heartbeatInterval().toNanos();
	}

	@Scheduled(fixedRateString = "${parley.ws.heartbeat-interval:25s}")
	void beat() {
		for (Client client : hub.clients()) {
			if (client.nanosSinceHeard() > timeoutNanos) {
				client.close(Client.IDLE);
			}
			else if (client.nanosSinceHeard() > intervalNanos || client.nanosSinceWritten() > intervalNanos) {
				client.ping();
			}
		}
	}

}
