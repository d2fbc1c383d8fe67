package dev.parley.chat;

import dev.parley.config.ParleyProperties;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Pings every connection each interval, and closes with {@code 4001} those from which nothing
 * (no frame, no pong) arrived within the timeout. The pings also keep proxies such as nginx from
 * timing out connections that are quiet but alive.
 */
@Component
class Heartbeat {

	private final Hub hub;

	private final long timeoutNanos;

	Heartbeat(Hub hub, ParleyProperties properties) {
		this.hub = hub;
		this.timeoutNanos = properties.ws().heartbeatTimeout().toNanos();
	}

	@Scheduled(fixedRateString = "${parley.ws.heartbeat-interval:25s}")
	void beat() {
		for (Client client : hub.clients()) {
			if (client.nanosSinceHeard() > timeoutNanos) {
				client.close(Client.IDLE);
			}
			else {
				client.ping();
			}
		}
	}

}
