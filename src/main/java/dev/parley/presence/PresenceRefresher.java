package dev.parley.presence;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.chat.Broker;
import dev.parley.chat.Hub;
import dev.parley.chat.ServerFrames;
import dev.parley.room.RoomService;
import dev.parley.user.UserService;

import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps this instance's connections alive in Redis, and announces {@code offline} for users whose
 * instance stopped refreshing them (it died): whichever instance drops the entry first announces.
 */
@Component
class PresenceRefresher {

	private static final Logger log = LoggerFactory.getLogger(PresenceRefresher.class);

	private static final int SWEEP_BATCH = 500;

	private final PresenceManager presence;

	private final Hub hub;

	private final Broker broker;

	private final RoomService rooms;

	private final UserService users;

	private final ServerFrames frames;

	PresenceRefresher(PresenceManager presence, Hub hub, Broker broker, RoomService rooms, UserService users,
			ServerFrames frames) {
		this.presence = presence;
		this.hub = hub;
		this.broker = broker;
		this.rooms = rooms;
		this.users = users;
		this.frames = frames;
	}

	@Scheduled(fixedDelayString = "${parley.presence.refresh:10s}")
	void refresh() {
		try {
			presence.refresh(hub.clients().stream().map(c -> new String[] { c.user().id(), c.id() }).toList());
			sweep();
		}
		catch (DataAccessException ex) {
			log.warn("Presence refresh failed; retrying next period", ex);
		}
	}

	private void sweep() {
		List<String> dropped = presence.expiredUsers(SWEEP_BATCH);
		for (String userId : dropped) {
			users.find(userId).ifPresent(user -> rooms.roomsOf(userId)
				.forEach(room -> broker.publishToRoom(room, userId,
						frames.encode(new ServerFrames.Presence(room, "offline", user)).json())));
		}
	}

}
