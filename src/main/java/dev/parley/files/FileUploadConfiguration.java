package dev.parley.files;

import jakarta.servlet.MultipartConfigElement;

import dev.parley.config.ParleyProperties;

import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Multipart bodies as large as an upload's request body may be ({@code uploadBodyLimit}, which
 * the request limits enforce before the body is read), so that a file just past
 * {@code parley.files.max-size} is refused by {@link FileService} with its reason.
 */
@Configuration(proxyBeanMethods = false)
class FileUploadConfiguration {

	@Bean
	MultipartConfigElement multipartConfig(ParleyProperties properties) {
		DataSize body = DataSize.ofBytes(properties.files().uploadBodyLimit());
		MultipartConfigFactory factory = new MultipartConfigFactory();
		factory.setMaxFileSize(body);
		factory.setMaxRequestSize(body);
		factory.setFileSizeThreshold(body);
		return factory.createMultipartConfig();
	}

}
