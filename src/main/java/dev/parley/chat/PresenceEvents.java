package dev.parley.chat;

import java.util.Collection;

import dev.parley.messaging.PubSubGateway;
import dev.parley.user.User;

import org.springframework.stereotype.Component;

/** Tells the other members of rooms that a user joined, left, came online or went offline. */
@Component
public class PresenceEvents {

	private final PubSubGateway gateway;

	private final ServerFrames frames;

	PresenceEvents(PubSubGateway gateway, ServerFrames frames) {
		this.gateway = gateway;
		this.frames = frames;
	}

	/** @param event {@code join}, {@code leave}, {@code online} or {@code offline} */
	public void announce(User user, Collection<String> rooms, String event) {
		for (String room : rooms) {
			gateway.tellRoom(room, user.id(), frames.json(new ServerFrames.Presence(room, event, user)));
		}
	}

}
