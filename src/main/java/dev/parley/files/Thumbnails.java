package dev.parley.files;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A small preview of an image, at most {@link #SIZE} pixels on its longer side: PNG for PNG, GIF and
 * WebP (transparency kept; WebP is read by TwelveMonkeys' ImageIO plugin), JPEG for JPEG. The
 * image's size is read from its header first, and a large one is decoded at a fraction of its
 * resolution, so a small file that claims a huge picture costs no memory.
 */
final class Thumbnails {

	static final int SIZE = 320;

	/** Past this many pixels an image gets no preview (it is still shared, and opens full size). */
	private static final long MAX_PIXELS = 50_000_000;

	private Thumbnails() {
	}

	/** The preview's bytes and type, or empty when there is none to make. */
	static Optional<Thumbnail> of(byte[] image, String type) {
		try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
			Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
			if (!readers.hasNext()) {
				return Optional.empty();
			}
			ImageReader reader = readers.next();
			try {
				reader.setInput(input, true, true);
				int width = reader.getWidth(0);
				int height = reader.getHeight(0);
				if ((long) width * height > MAX_PIXELS) {
					return Optional.empty();
				}
				ImageReadParam param = reader.getDefaultReadParam();
				int step = Math.max(1, Math.max(width, height) / (2 * SIZE));
				param.setSourceSubsampling(step, step, 0, 0);
				return Optional.of(scaled(reader.read(0, param), type));
			}
			finally {
				reader.dispose();
			}
		}
		catch (IOException | RuntimeException ex) {
			// a file whose header says image but whose data is not one: shared without a preview
			return Optional.empty();
		}
	}

	record Thumbnail(byte[] content, String type) {
	}

	private static Thumbnail scaled(BufferedImage source, String type) throws IOException {
		double scale = Math.min(1.0, (double) SIZE / Math.max(source.getWidth(), source.getHeight()));
		int width = Math.max(1, (int) Math.round(source.getWidth() * scale));
		int height = Math.max(1, (int) Math.round(source.getHeight() * scale));
		boolean jpeg = type.equals("image/jpeg");
		BufferedImage target = new BufferedImage(width, height, jpeg ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB);
		Graphics2D graphics = target.createGraphics();
		try {
			graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
			graphics.drawImage(source, 0, 0, width, height, null);
		}
		finally {
			graphics.dispose();
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		ImageIO.write(target, jpeg ? "jpeg" : "png", bytes);
		return new Thumbnail(bytes.toByteArray(), jpeg ? "image/jpeg" : "image/png");
	}

}
