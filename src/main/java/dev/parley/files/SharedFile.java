package dev.parley.files;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

/**
 * A shared file as clients see it: {@code url} serves it, {@code thumbnail} (Parley's) a preview of
 * an image, when one could be made. The owner and where it was posted stay on the server.
 */
@JsonInclude(Include.NON_NULL)
public record SharedFile(String id, String name, String type, long size, String url, String thumbnail,
		@JsonIgnore String owner, @JsonIgnore String posted) {

	static SharedFile of(String id, Map<Object, Object> fields) {
		boolean thumbnail = "1".equals(fields.get("thumbnail"));
		return new SharedFile(id, (String) fields.get("name"), (String) fields.get("type"),
				Long.parseLong((String) fields.get("size")), "/files/" + id, thumbnail ? "/files/" + id + "/thumbnail" : null,
				(String) fields.get("owner"), (String) fields.getOrDefault("posted", ""));
	}

	boolean isImage() {
		return FileType.isImage(type);
	}

}
