package dev.parley.ws;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.jetty.websocket.core.CloseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.ParleyProperties;
import dev.parley.delivery.Hub;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On shutdown (SIGTERM included): refuse new handshakes, write what is queued, close every
 * connection with {@code 1001} and let each close remove its presence from Redis, all within
 * {@code parley.shutdown.grace}, before the broker and the Redis client stop. Clients reconnect,
 * through the proxy, to another instance and resume with {@code since}.
 */
@Component
public class GracefulShutdown implements SmartLifecycle {

	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 100;

	private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

	private static final CloseStatus GOING_AWAY = new CloseStatus(1001, "server shutting down");

	private final Hub hub;

	private final HandshakeAuthenticator handshakes;

	private final long graceNanos;

	private volatile boolean running;

	GracefulShutdown(Hub hub, HandshakeAuthenticator handshakes, ParleyProperties properties) {
		this.hub = hub;
		this.handshakes = handshakes;
		this.graceNanos = properties.shutdown().grace().toNanos();
	}

	/** Also runs when a stopped context is started again. */
	@Override
	public void start() {
		handshakes.startAccepting();
		running = true;
	}

	@Override
	public void stop() {
		running = false;
		handshakes.stopAccepting();
		int open = hub.connectionCount();
		hub.clients().forEach(client -> client.closeAfterQueued(GOING_AWAY));
		long deadline = System.nanoTime() + graceNanos;
		while (hub.connectionCount() > 0 && System.nanoTime() < deadline) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
		}
		log.info("Closed {} connections for shutdown; {} left after the grace period", open,
				hub.connectionCount());
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
