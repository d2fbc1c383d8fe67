package dev.parley.delivery;

import org.eclipse.jetty.websocket.core.CloseStatus;

/** Told of every connection this instance closes, with the close's code: what the metrics count. */
@FunctionalInterface
public interface Closes {

	Closes UNCOUNTED = status -> {
	};

	void closed(CloseStatus status);

}
