package dev.parley;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/openapi.yaml against the running app: the endpoints it describes are the app's, all of
 * them, and what they answer has the documented status and shape.
 */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.push.keys=openapi-push-key-0123456789" })
class OpenApiDocumentIT {

	private static final String PUSH_KEY = "openapi-push-key-0123456789";

	@Autowired
	ParleyHttp http;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	private Map<String, Object> document;

	@BeforeEach
	void read() throws IOException {
		try (Reader in = Files.newBufferedReader(Path.of("docs/openapi.yaml"))) {
			document = new Yaml().load(in);
		}
	}

	@Test
	void everyApiEndpointIsDescribedAndEveryDescribedOneExists() {
		Set<String> described = new TreeSet<>();
		paths().forEach((path, operations) -> operations.keySet()
			.forEach(method -> described.add(method.toUpperCase() + " " + path)));
		Set<String> served = new TreeSet<>();
		mappings.getHandlerMethods().keySet().forEach(info -> info.getPatternValues().stream()
			.filter(pattern -> pattern.startsWith("/api/") || pattern.startsWith("/files/"))
			.forEach(pattern -> info.getMethodsCondition().getMethods()
				.forEach(method -> served.add(method.name() + " " + pattern))));
		assertThat(described).isEqualTo(served);
	}

	@Test
	void thePushApisDocumentedExamplesAreAcceptedAndItsErrorsAreAsDocumented() {
		Guest alice = http.guest("Alice");
		try (WsClient listening = http.connectWelcomed(alice)) {
			Map<String, Object> push = operation("/api/push", "post");
			Map<String, Map<String, Object>> examples = cast(at(push, "requestBody", "content", "application/json",
					"examples"));
			assertThat(examples).containsOnlyKeys("room", "user", "broadcast");
			for (Map.Entry<String, Map<String, Object>> example : examples.entrySet()) {
				Map<String, Object> body = cast(example.getValue().get("value"));
				if (body.containsKey("user")) {
					body = Map.of("user", alice.id(), "data", body.get("data"));
				}
				HttpResponse<String> answer = http.push(PUSH_KEY, WsClient.JSON.writeValueAsString(body));
				assertThat(answer.statusCode()).as(example.getKey()).isEqualTo(202);
				assertShape(ParleyHttp.json(answer), responseSchema(push, "202"));
			}
			assertThat(listening.next(frame -> frame.path("type").asString().equals("push")
					&& frame.path("to").asString().equals(alice.id()), "the push to the user").path("data")
				.path("invoice")
				.asInt()).isEqualTo(42);

			HttpResponse<String> unknown = http.push(PUSH_KEY, "{\"user\":\"nobody-at-all\",\"data\":1}");
			assertThat(statuses(push)).contains(Integer.toString(unknown.statusCode()));
			assertShape(ParleyHttp.json(unknown), schema("Error"));
			assertThat(statuses(push)).contains(Integer.toString(http.push("not-a-key", "{}").statusCode()),
					Integer.toString(http.push(PUSH_KEY, "[]").statusCode()));
		}
	}

	@Test
	void accountsTokensRoomsAndConversationsAnswerWithTheirDocumentedShapes() {
		String username = "described" + System.nanoTime() % 1_000_000;
		HttpResponse<String> registered = http.postJson("/api/users",
				Map.of("username", username, "password", "described password", "displayName", "Described"));
		assertThat(registered.statusCode()).isEqualTo(201);
		assertShape(ParleyHttp.json(registered), responseSchema(operation("/api/users", "post"), "201"));
		HttpResponse<String> token = http.postJson("/api/auth/token",
				Map.of("username", username, "password", "described password"));
		assertShape(ParleyHttp.json(token), schema("TokenResponse"));
		assertThat(statuses(operation("/api/users", "post")))
			.contains(Integer.toString(http.postJson("/api/users", Map.of("username", username, "password",
					"described password")).statusCode()));

		Guest guest = http.guest("Reader");
		assertShape(ParleyHttp.json(http.api(guest.token(), "/api/rooms", null)).get(0), schema("RoomListing"));
		HttpResponse<String> made = http.api(guest.token(), "/api/rooms",
				Map.of("slug", "described-" + System.nanoTime() % 1_000_000, "name", "Described"));
		assertThat(made.statusCode()).isEqualTo(201);
		assertShape(ParleyHttp.json(made), schema("RoomListing"));
		assertShape(ParleyHttp.json(http.api(guest.token(), "/api/users?q=" + username, null)).get(0), schema("User"));
		try (WsClient ws = http.connectWelcomed(guest)) {
			ws.request(Map.of("type", "private", "to", username, "text", "hi"));
		}
		JsonNode conversation = ParleyHttp.json(http.api(guest.token(), "/api/conversations", null)).get(0);
		assertShape(conversation, cast(at(operation("/api/conversations", "get"), "responses", "200", "content",
				"application/json", "schema", "items")));
		HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/api/rooms")).build());
		assertThat(statuses(operation("/api/rooms", "get"))).contains(Integer.toString(anonymous.statusCode()));
	}

	/** Every required property of the schema is there, and nested objects and references hold too. */
	private void assertShape(JsonNode value, Map<String, Object> schema) {
		Map<String, Object> resolved = resolve(schema);
		List<String> required = cast(resolved.getOrDefault("required", List.of()));
		assertThat(value.isObject()).as(value.toString()).isTrue();
		for (String name : required) {
			assertThat(value.has(name)).as(name + " in " + value).isTrue();
		}
		Map<String, Map<String, Object>> properties = cast(resolved.getOrDefault("properties", Map.of()));
		properties.forEach((name, property) -> {
			Map<String, Object> nested = resolve(property);
			if ("object".equals(nested.get("type")) && value.has(name)) {
				assertShape(value.get(name), nested);
			}
		});
	}

	private Map<String, Object> resolve(Map<String, Object> schema) {
		Object ref = schema.get("$ref");
		return ref == null ? schema : schema(((String) ref).substring("#/components/schemas/".length()));
	}

	private Map<String, Object> schema(String name) {
		return cast(at(document, "components", "schemas", name));
	}

	private Map<String, Object> responseSchema(Map<String, Object> operation, String status) {
		return cast(at(operation, "responses", status, "content", "application/json", "schema"));
	}

	private Set<String> statuses(Map<String, Object> operation) {
		Map<String, Object> responses = cast(operation.get("responses"));
		return responses.keySet();
	}

	private Map<String, Map<String, Object>> paths() {
		return cast(document.get("paths"));
	}

	private Map<String, Object> operation(String path, String method) {
		return cast(paths().get(path).get(method));
	}

	private static Object at(Map<String, Object> map, String... keys) {
		Object current = map;
		for (String key : keys) {
			Map<String, Object> level = cast(current);
			assertThat(level).as(String.join(".", keys)).containsKey(key);
			current = level.get(key);
		}
		return current;
	}

	@SuppressWarnings("unchecked")
	private static <T> T cast(Object value) {
		return (T) value;
	}

}
