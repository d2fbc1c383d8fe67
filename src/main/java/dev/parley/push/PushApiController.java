package dev.parley.push;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.UUID;

import dev.parley.chat.ChatException;
import dev.parley.chat.ErrorCode;
import dev.parley.config.ParleyProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/push}: another system pushes {@code data} to a user, a room or everyone
 * (PROTOCOL.md, "Push API"). The caller's key is checked before this runs; the body is read up to
 * {@code parley.limits.push-body} and no further.
 */
@RestController
class PushApiController {

	private static final Logger log = LoggerFactory.getLogger(PushApiController.class);

	private final PushService push;

	private final JsonMapper json;

	private final int maxBody;

	PushApiController(PushService push, JsonMapper json, ParleyProperties properties) {
		this.push = push;
		this.json = json;
		this.maxBody = properties.limits().pushBody();
	}

	/**
	 * The body is in memory already (BufferedBodies reads every body whole, and answers one past
	 * parley.limits.request-body itself): only the push's own, smaller, limit is checked here.
	 */
	@PostMapping("/api/push")
	ResponseEntity<Map<String, String>> push(HttpServletRequest request) throws IOException {
		byte[] body;
		try (InputStream in = request.getInputStream()) {
			body = in.readNBytes(maxBody + 1);
		}
		if (body.length > maxBody) {
			return tooLarge();
		}
		JsonNode call = parse(body);
		String id = UUID.randomUUID().toString();
		deliver(call);
		if (log.isDebugEnabled()) {
			log.debug("push {} accepted for {}", id, target(call));
		}
		return ResponseEntity.accepted().body(Map.of("id", id));
	}

	private JsonNode parse(byte[] body) {
		JsonNode call;
		try {
			call = json.readTree(body);
		}
		catch (JacksonException ex) {
			throw bad("the body is not JSON");
		}
		if (call == null || !call.isObject()) {
			throw bad("the body must be a JSON object");
		}
		if (!call.has("data")) {
			throw bad("\"data\" is missing");
		}
		int targets = (call.has("room") ? 1 : 0) + (call.has("user") ? 1 : 0) + (call.has("broadcast") ? 1 : 0);
		if (targets != 1) {
			throw bad("name exactly one of \"room\", \"user\" or \"broadcast\":true");
		}
		if (call.has("broadcast") && !(call.get("broadcast").isBoolean() && call.get("broadcast").booleanValue())) {
			throw bad("\"broadcast\" must be true");
		}
		for (String field : new String[] { "room", "user" }) {
			if (call.has(field) && !(call.get(field).isString() && !call.get(field).asString().isBlank())) {
				throw bad("\"" + field + "\" must be a non-empty string");
			}
		}
		return call;
	}

	private void deliver(JsonNode call) {
		JsonNode data = call.get("data");
		if (call.has("room")) {
			push.toRoom(call.get("room").asString(), data);
		}
		else if (call.has("user")) {
			push.toUser(call.get("user").asString(), data);
		}
		else {
			push.toEveryone(data);
		}
	}

	private static String target(JsonNode call) {
		return call.has("room") ? "room " + call.get("room").asString()
				: call.has("user") ? "user " + call.get("user").asString() : "everyone";
	}

	private static ChatException bad(String message) {
		return new ChatException(ErrorCode.BAD_REQUEST, message);
	}

	private ResponseEntity<Map<String, String>> tooLarge() {
		return error(HttpStatus.CONTENT_TOO_LARGE, "the body is over " + maxBody + " bytes");
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> refused(ChatException ex) {
		HttpStatus status = ex.code() == ErrorCode.NOT_FOUND ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST;
		return error(status, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> unavailable(DataAccessException ex) {
		log.warn("push refused: Redis unavailable: {}", ex.getMessage());
		return error(HttpStatus.SERVICE_UNAVAILABLE, "temporarily unavailable; retry");
	}

	private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
		return ResponseEntity.status(status).body(Map.of("error", message));
	}

}
