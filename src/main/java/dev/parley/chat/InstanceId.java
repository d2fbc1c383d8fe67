package dev.parley.chat;

import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * This instance's identity: it names the instance's numbers in Redis and begins the id of each of
 * its connections, so that the store script can tell whether every live connection of a user is on
 * the instance that sent a message.
 */
@Component
public class InstanceId {

	private final String id = ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);

	public String id() {
		return id;
	}

	/** What every connection id of this instance starts with, and no other instance's does. */
	public String connectionPrefix() {
		return id + ".";
	}

	public String newConnectionId() {
		return connectionPrefix() + UUID.randomUUID();
	}

}
