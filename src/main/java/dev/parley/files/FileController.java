package dev.parley.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.Principal;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.InputStreamResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.support.MissingServletRequestPartException;

/**
 * {@code POST /api/files} takes one file (multipart field {@code file}) from a logged-in user or a
 * bearer token; {@code GET /files/<id>} (and {@code /thumbnail}) serves it to those who may read
 * it, {@code 404} to anyone else. Served files run nothing: {@code nosniff}, a sandboxing CSP, and
 * only images inline, everything else as a download.
 */
@RestController
class FileController {

	private static final Logger log = LoggerFactory.getLogger(FileController.class);

	/** Served files are documents of their own: no script, no plugin, no form, no frame of ours around them. */
	static final String FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

	private final FileService files;

	FileController(FileService files) {
		this.files = files;
	}

	@PostMapping(path = "/api/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<Map<String, Object>> upload(@RequestParam("file") MultipartFile file, Principal user)
			throws IOException {
		SharedFile shared = files.upload(user.getName(), file.getOriginalFilename(), file.getBytes());
		return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("file", shared));
	}

	@GetMapping("/files/{id}")
	ResponseEntity<InputStreamResource> file(@PathVariable String id, Principal user) throws IOException {
		return serve(id, user, false);
	}

	@GetMapping("/files/{id}/thumbnail")
	ResponseEntity<InputStreamResource> thumbnail(@PathVariable String id, Principal user) throws IOException {
		return serve(id, user, true);
	}

	private ResponseEntity<InputStreamResource> serve(String id, Principal user, boolean thumbnail) throws IOException {
		SharedFile file = files.find(id).filter(found -> files.mayRead(user.getName(), found))
			.filter(found -> !thumbnail || found.thumbnail() != null)
			.orElse(null);
		if (file == null) {
			return ResponseEntity.notFound().build();
		}
		InputStreamResource body;
		try {
			body = new InputStreamResource(files.open(file, thumbnail));
		}
		catch (NoSuchFileException ex) {
			return ResponseEntity.notFound().build();
		}
		ContentDisposition disposition = (file.isImage() ? ContentDisposition.inline() : ContentDisposition.attachment())
			.filename(file.name(), StandardCharsets.UTF_8)
			.build();
		ResponseEntity.BodyBuilder response = ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(thumbnail && !file.type().equals("image/jpeg") ? "image/png" : file.type()))
			.header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
			.header("Content-Security-Policy", FILE_POLICY)
			.header("X-Content-Type-Options", "nosniff");
		if (!thumbnail) {
			response.contentLength(file.size());
		}
		return response.body(body);
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> refused(FileService.Refused ex) {
		return ResponseEntity.status(ex.status()).body(Map.of("error", ex.getMessage()));
	}

	/** The store failed (an S3 outage, a full disk): nothing was kept, and the client may try again. */
	@ExceptionHandler
	ResponseEntity<Map<String, String>> storeFailed(IOException ex) {
		log.warn("The file store failed", ex);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.body(Map.of("error", "the file store is unavailable, try again"));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> missing(MissingServletRequestPartException ex) {
		return ResponseEntity.badRequest().body(Map.of("error", "send the file as the multipart field \"file\""));
	}

}
