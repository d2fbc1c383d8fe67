package dev.parley.room;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.parley.config.InputText;
import dev.parley.config.ParleyProperties;
import dev.parley.messaging.PubSubGateway;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The rooms a user may join (the open public ones, and the private ones they belong to), for the
 * chat page's room browser, and rooms made by users when the setting allows it.
 */
@RestController
class RoomApiController {

	private final RoomService rooms;

	private final PubSubGateway gateway;

	private final boolean usersCreate;

	RoomApiController(RoomService rooms, PubSubGateway gateway, ParleyProperties properties) {
		this.rooms = rooms;
		this.gateway = gateway;
		this.usersCreate = properties.rooms().usersCreate();
	}

	record NewRoom(String slug, String name, String topic, @JsonProperty("private") Boolean privateRoom) {
	}

	@GetMapping("/api/rooms")
	List<RoomListing> rooms(Principal principal) {
		Set<String> mine = rooms.roomsOf(principal.getName());
		List<Room> visible = rooms.all()
			.stream()
			.filter(room -> room.open() && (!room.privateRoom() || mine.contains(room.slug())))
			.toList();
		List<Long> members = rooms.peopleCounts(visible.stream().map(Room::slug).toList());
		return IntStream.range(0, visible.size())
			.mapToObj(i -> RoomListing.of(visible.get(i), members.get(i)))
			.toList();
	}

	/** The creator is the room's owner and first member; their connections receive it at once. */
	@PostMapping("/api/rooms")
	ResponseEntity<?> create(@RequestBody NewRoom room, Principal principal) {
		if (!usersCreate) {
			return refuse(HttpStatus.FORBIDDEN, "rooms are made by the admins here");
		}
		if (!Room.isValidSlug(room.slug())) {
			return refuse(HttpStatus.BAD_REQUEST, Room.SLUG_RULE);
		}
		String name = InputText.clean(room.name() == null ? room.slug() : room.name());
		String topic = InputText.clean(room.topic());
		String problem = Room.problemWith(name, topic);
		if (problem != null) {
			return refuse(HttpStatus.BAD_REQUEST, problem);
		}
		boolean privateRoom = Boolean.TRUE.equals(room.privateRoom());
		if (!rooms.createOwned(room.slug(), name, topic, privateRoom, principal.getName())) {
			return refuse(HttpStatus.CONFLICT, "there is a room " + room.slug() + " already");
		}
		gateway.roomJoined(principal.getName(), room.slug());
		return ResponseEntity.status(HttpStatus.CREATED).body(new RoomListing(room.slug(), name, topic, privateRoom, 1));
	}

	private static ResponseEntity<Map<String, String>> refuse(HttpStatus status, String error) {
		return ResponseEntity.status(status).body(Map.of("error", error));
	}

}
