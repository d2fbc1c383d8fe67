package dev.parley.presence;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.chat.Hub;
import dev.parley.chat.PresenceEvents;
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

	private final RoomService rooms;

	private final UserService users;

	private final PresenceEvents presenceEvents;

	PresenceRefresher(PresenceManager presence, Hub hub, RoomService rooms, UserService users,
			PresenceEvents presenceEvents) {
		this.presence = presence;
		this.hub = hub;
		this.rooms = rooms;
		this.users = users;
		this.presenceEvents = presenceEvents;
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
			users.find(userId).ifPresent(user -> presenceEvents.announce(user, rooms.roomsOf(userId), "offline"));
		}
	}

}
