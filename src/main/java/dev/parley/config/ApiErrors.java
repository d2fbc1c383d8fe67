package dev.parley.config;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The JSON API's answers to bodies it cannot read, in its own shape ({@code {"error":"<reason>"}}),
 * with a reason a client can act on and nothing of the server's insides.
 */
@RestControllerAdvice(annotations = RestController.class)
class ApiErrors {

	@ExceptionHandler
	ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException ex) {
		return ResponseEntity.badRequest()
			.body(Map.of("error", "the body must be one JSON object, in UTF-8, whose fields have the documented types"));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> unsupported(HttpMediaTypeNotSupportedException ex) {
		return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.body(Map.of("error", "send the body as application/json"));
	}

}
