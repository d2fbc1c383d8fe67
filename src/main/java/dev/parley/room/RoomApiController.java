package dev.parley.room;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The open rooms, for the chat page's "join a room" list. */
@RestController
class RoomApiController {

	private final RoomService rooms;

	RoomApiController(RoomService rooms) {
		this.rooms = rooms;
	}

	@GetMapping("/api/rooms")
	List<Room> openRooms() {
		return rooms.all().stream().filter(Room::open).toList();
	}

}
