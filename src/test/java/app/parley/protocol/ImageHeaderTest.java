package app.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import app.parley.protocol.ImageHeader.Picture;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageHeaderTest {

    /** The largest picture the host takes by default (§15.4). */
    private static final long PIXEL_LIMIT = 50_000_000L;

    @ParameterizedTest
    @CsvSource({"png, image/png", "jpeg, image/jpeg", "gif, image/gif"})
    void readsTheSizeOfPicturesImageIoWrote(String format, String type) throws IOException {
        for (int[] size : new int[][] {{1, 1}, {123, 45}, {640, 480}, {3, 1000}}) {
            byte[] bytes = encode(format, size[0], size[1]);

            assertThat(ImageHeader.read(bytes, bytes.length)).hasValue(new Picture(type, size[0], size[1]));
            assertThat(ImageHeader.startsLikePicture(bytes, bytes.length)).isTrue();
        }
    }

    @Test
    void readsTheSizeOfWebpFilesARealEncoderWrote() {
        // The 1 × 1 probes browsers' feature tests use (lossy, lossless, lossy with alpha), and
        // CPython's 16 × 16 test picture: headers written by libwebp, not by us.
        assertThat(read(base64("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA")))
                .hasValue(new Picture("image/webp", 1, 1));
        assertThat(read(base64("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")))
                .hasValue(new Picture("image/webp", 1, 1));
        assertThat(
                        read(
                                base64(
                                        "UklGRkoAAABXRUJQVlA4WAoAAAAQAAAAAAAAAAAAQUxQSAwAAAARBxAR/Q9ERP8DAABWUDggGAAAABQBAJ0BKgEAAQAAAP4AAA3AAP7mtQAAAA==")))
                .hasValue(new Picture("image/webp", 1, 1));
        assertThat(read(base64("UklGRqgBAABXRUJQVlA4WAoAAAAQAAAADwAADwAAQUxQSMMAAAABJ6KokSTl")))
                .hasValue(new Picture("image/webp", 16, 16));
    }

    @Test
    void aPngBombIsMeasuredFromItsHeader() {
        byte[] bomb = png(50_000, 50_000, true);

        assertThat(bomb.length).isLessThan(100);
        Picture picture = read(bomb).orElseThrow();
        assertThat(picture).isEqualTo(new Picture("image/png", 50_000, 50_000));
        assertThat(picture.pixels()).isEqualTo(2_500_000_000L).isGreaterThan(PIXEL_LIMIT);
    }

    @Test
    void otherBombsAreMeasuredWithoutOverflow() {
        assertThat(read(gif(65_535, 65_535))).hasValue(new Picture("image/gif", 65_535, 65_535));
        assertThat(read(webpVp8x(16_383, 16_383)).orElseThrow().pixels()).isEqualTo(16_383L * 16_383);
        // The largest canvas VP8X can declare: 2^24 on each side, 2^48 pixels.
        Picture largest = read(webpVp8x(1 << 24, 1 << 24)).orElseThrow();
        assertThat(largest.pixels()).isEqualTo(1L << 48);
        assertThat(read(webpVp8(16_383, 16_383))).hasValue(new Picture("image/webp", 16_383, 16_383));
        assertThat(read(webpVp8l(16_384, 16_384))).hasValue(new Picture("image/webp", 16_384, 16_384));
        assertThat(read(png(Integer.MAX_VALUE, 1, true))).hasValue(new Picture("image/png", Integer.MAX_VALUE, 1));
    }

    @Test
    void readsHandBuiltWebpHeadersOfEachKind() {
        assertThat(read(webpVp8(300, 7))).hasValue(new Picture("image/webp", 300, 7));
        assertThat(read(webpVp8l(1, 2))).hasValue(new Picture("image/webp", 1, 2));
        assertThat(read(webpVp8l(5000, 3))).hasValue(new Picture("image/webp", 5000, 3));
        assertThat(read(webpVp8x(1920, 1080))).hasValue(new Picture("image/webp", 1920, 1080));
    }

    @Test
    void aJpegFrameHeaderIsFoundPastExifFillBytesAndTablesThatLookLikeFrames() throws IOException {
        byte[] plain = encode("jpeg", 77, 33);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        jpeg.write(plain, 0, 2); // SOI
        jpeg.write(segment(0xE1, 60_000)); // a big EXIF block, as cameras write
        jpeg.write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}); // fill bytes before the next marker
        jpeg.write(new byte[] {(byte) 0xFF, 0x01}); // TEM: no length
        jpeg.write(new byte[] {(byte) 0xFF, (byte) 0xD3}); // RST3: no length
        // DHT, JPG and DAC share the SOF range; read as frames they would claim 0x4142 × 0x4344.
        for (int marker : new int[] {0xC4, 0xC8, 0xCC}) {
            jpeg.write(new byte[] {(byte) 0xFF, (byte) marker, 0, 10, 8, 0x41, 0x42, 0x43, 0x44, 1, 0, 0});
        }
        jpeg.write(segment(0xE2, 3000));
        jpeg.write(plain, 2, plain.length - 2);
        byte[] bytes = jpeg.toByteArray();

        assertThat(bytes.length).isLessThan(ImageHeader.NEEDED + plain.length);
        assertThat(ImageHeader.read(bytes, ImageHeader.NEEDED)).hasValue(new Picture("image/jpeg", 77, 33));
    }

    @Test
    void aJpegWhoseFrameHeaderIsPastTheBytesGivenIsNotRead() throws IOException {
        byte[] plain = encode("jpeg", 10, 20);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        jpeg.write(plain, 0, 2);
        jpeg.write(segment(0xE1, 65_533));
        jpeg.write(segment(0xE2, 65_533));
        jpeg.write(plain, 2, plain.length - 2);
        byte[] bytes = jpeg.toByteArray();

        assertThat(ImageHeader.read(bytes, ImageHeader.NEEDED)).isEmpty();
        assertThat(ImageHeader.startsLikePicture(bytes, ImageHeader.NEEDED)).isTrue();
        assertThat(ImageHeader.read(bytes, bytes.length)).hasValue(new Picture("image/jpeg", 10, 20));
    }

    @Test
    void everySofFlavourCountsAsAFrame() {
        for (int marker = 0xC0; marker <= 0xCF; marker++) {
            byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) marker, 0, 11, 8, 0, 5, 0, 6, 1, 1, 0x11, 0};
            boolean frame = marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            assertThat(read(jpeg))
                    .as("marker %X", marker)
                    .isEqualTo(frame ? Optional.of(new Picture("image/jpeg", 6, 5)) : Optional.empty());
        }
    }

    @Test
    void aJpegScanBeforeAnyFrameOrAStuffedZeroIsMalformed() {
        assertThat(read(new byte[] {
                    (byte) 0xFF,
                    (byte) 0xD8,
                    (byte) 0xFF,
                    (byte) 0xDA,
                    0,
                    2,
                    (byte) 0xFF,
                    (byte) 0xC0,
                    0,
                    11,
                    8,
                    0,
                    5,
                    0,
                    6,
                    1
                }))
                .isEmpty();
        assertThat(read(new byte[] {
                    (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00, (byte) 0xFF, (byte) 0xC0, 0, 11, 8, 0, 5, 0, 6, 1
                }))
                .isEmpty();
        assertThat(read(new byte[] {(byte) 0xFF, (byte) 0xD8, 0x12, (byte) 0xFF, (byte) 0xC0, 0, 11, 8, 0, 5, 0, 6, 1}))
                .isEmpty();
        // A segment length under 2 would never move the walk forward.
        assertThat(read(new byte[] {
                    (byte) 0xFF,
                    (byte) 0xD8,
                    (byte) 0xFF,
                    (byte) 0xE0,
                    0,
                    0,
                    (byte) 0xFF,
                    (byte) 0xC0,
                    0,
                    11,
                    8,
                    0,
                    5,
                    0,
                    6,
                    1
                }))
                .isEmpty();
    }

    @Test
    void aZeroOrImpossibleSizeIsNoPicture() {
        assertThat(read(png(0, 10, true))).isEmpty();
        assertThat(read(png(10, 0, true))).isEmpty();
        assertThat(read(gif(0, 0))).isEmpty();
        assertThat(read(webpVp8(0, 5))).isEmpty();
        byte[] highBit = png(1, 1, true);
        highBit[16] = (byte) 0x80; // PNG sizes are 31-bit
        assertThat(read(highBit)).isEmpty();
        // A JPEG whose height comes later in a DNL segment: we cannot know it from the header.
        assertThat(read(new byte[] {
                    (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0, 11, 8, 0, 0, 0, 6, 1, 1, 0x11, 0
                }))
                .isEmpty();
    }

    @Test
    void malformedHeadersOfTheFourFormatsAreNotRead() {
        byte[] notIhdr = png(10, 10, true);
        notIhdr[12] = 'i';
        assertThat(read(notIhdr)).isEmpty();
        assertThat(ImageHeader.startsLikePicture(notIhdr, notIhdr.length)).isTrue();

        byte[] badStartCode = webpVp8(10, 10);
        badStartCode[23] = 0;
        assertThat(read(badStartCode)).isEmpty();
        byte[] interFrame = webpVp8(10, 10);
        interFrame[20] |= 1;
        assertThat(read(interFrame)).isEmpty();
        byte[] badSignature = webpVp8l(10, 10);
        badSignature[20] = 0x2e;
        assertThat(read(badSignature)).isEmpty();
        byte[] futureVersion = webpVp8l(10, 10);
        futureVersion[24] |= (byte) 0x20;
        assertThat(read(futureVersion)).isEmpty();
        byte[] otherChunk = webpVp8x(10, 10);
        otherChunk[15] = 'Y';
        assertThat(read(otherChunk)).isEmpty();
        assertThat(read(ascii("GIF90a\u0001\u0000\u0001\u0000"))).isEmpty();
    }

    @Test
    void whatIsNoPictureIsNotRead() {
        for (byte[] other : List.of(
                new byte[0],
                ascii("%PDF-1.7\n"),
                ascii("hello, world, this is a text file"),
                ascii("RIFF\u0000\u0000\u0000\u0000WAVEfmt "),
                ascii("BM6\u0000\u0000\u0000"),
                new byte[] {(byte) 0xFF, (byte) 0xD9})) {
            assertThat(read(other)).isEmpty();
            assertThat(ImageHeader.startsLikePicture(other, other.length)).isFalse();
        }
        assertThat(ImageHeader.read(null, 10)).isEmpty();
        assertThat(ImageHeader.startsLikePicture(null, 10)).isFalse();
    }

    @Test
    void onlyTheFirstLengthBytesCount() {
        byte[] png = png(640, 480, true);

        assertThat(ImageHeader.read(png, 23)).isEmpty();
        assertThat(ImageHeader.read(png, 24)).hasValue(new Picture("image/png", 640, 480));
        assertThat(ImageHeader.read(png, -5)).isEmpty();
        assertThat(ImageHeader.read(png, Integer.MAX_VALUE)).hasValue(new Picture("image/png", 640, 480));
        assertThat(ImageHeader.startsLikePicture(png, 7)).isFalse();
        assertThat(ImageHeader.startsLikePicture(png, 8)).isTrue();
    }

    @Test
    void everyTruncationOfAValidHeaderIsEmptyOrRightAndNeverThrows() throws IOException {
        List<byte[]> valid = List.of(
                png(50_000, 50_000, true),
                gif(65_535, 65_535),
                webpVp8(300, 7),
                webpVp8l(5000, 3),
                webpVp8x(16_383, 16_383),
                encode("jpeg", 77, 33),
                encode("png", 5, 6),
                encode("gif", 5, 6));
        for (byte[] bytes : valid) {
            Picture whole = read(bytes).orElseThrow();
            for (int length = 0; length <= bytes.length; length++) {
                byte[] cut = Arrays.copyOf(bytes, length);
                int n = length;
                assertThatCode(() -> {
                            // The same prefix as a short array and as a long array with a short length.
                            Optional<Picture> fromCut = ImageHeader.read(cut, cut.length);
                            assertThat(ImageHeader.read(bytes, n)).isEqualTo(fromCut);
                            fromCut.ifPresent(p -> assertThat(p).isEqualTo(whole));
                            ImageHeader.startsLikePicture(cut, cut.length);
                        })
                        .as("%s cut to %d bytes", whole, length)
                        .doesNotThrowAnyException();
            }
        }
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(26);
        byte[][] starts = {
            {},
            png(1, 1, true),
            {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
            ascii("GIF89a"),
            ascii("RIFF\u0000\u0000\u0000\u0000WEBPVP8 "),
            ascii("RIFF\u0000\u0000\u0000\u0000WEBPVP8L"),
            ascii("RIFF\u0000\u0000\u0000\u0000WEBPVP8X")
        };
        for (int i = 0; i < 200_000; i++) {
            byte[] start = starts[i % starts.length];
            byte[] bytes = new byte[start.length + random.nextInt(64)];
            random.nextBytes(bytes);
            // Keep a prefix of the magic so the format parsers, not just the sniffing, see the noise.
            System.arraycopy(start, 0, bytes, 0, random.nextInt(start.length + 1));
            if (start.length > 2 && start[0] == (byte) 0xFF && random.nextBoolean()) {
                // Mostly markers, so the JPEG walk goes deep.
                for (int j = 2; j < bytes.length; j += 2) {
                    bytes[j] = (byte) 0xFF;
                }
            }
            int length = random.nextInt(bytes.length + 3) - 1;
            assertThatCode(() -> {
                        ImageHeader.read(bytes, length)
                                .ifPresent(p -> assertThat(p.pixels()).isPositive());
                        ImageHeader.startsLikePicture(bytes, length);
                    })
                    .as(() -> Arrays.toString(bytes) + ", length " + length)
                    .doesNotThrowAnyException();
        }
    }

    // Pictures made here, so a test says what it feeds in //

    private static Optional<Picture> read(byte[] bytes) {
        return ImageHeader.read(bytes, bytes.length);
    }

    private static byte[] encode(String format, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xff8800);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out))
                .as("ImageIO writes " + format)
                .isTrue();
        return out.toByteArray();
    }

    /** A signature, an IHDR with a real CRC, and IEND: a whole PNG file as far as a sniffer sees. */
    private static byte[] png(int width, int height, boolean withEnd) {
        ByteBuffer ihdr =
                ByteBuffer.allocate(17).put(ascii("IHDR")).putInt(width).putInt(height);
        ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0); // 8-bit RGB
        ByteBuffer file = ByteBuffer.allocate(8 + 25 + 12);
        file.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        file.putInt(13).put(ihdr.array()).putInt((int) crc(ihdr.array()));
        if (withEnd) {
            file.putInt(0).put(ascii("IEND")).putInt((int) crc(ascii("IEND")));
        }
        return Arrays.copyOf(file.array(), file.position());
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static byte[] gif(int width, int height) {
        ByteBuffer gif = ByteBuffer.allocate(13).order(ByteOrder.LITTLE_ENDIAN).put(ascii("GIF89a"));
        gif.putShort((short) width)
                .putShort((short) height)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        return gif.array();
    }

    private static ByteBuffer webp(String chunk, int chunkSize) {
        ByteBuffer webp = ByteBuffer.allocate(20 + chunkSize).order(ByteOrder.LITTLE_ENDIAN);
        return webp.put(ascii("RIFF"))
                .putInt(12 + chunkSize)
                .put(ascii("WEBP"))
                .put(ascii(chunk))
                .putInt(chunkSize);
    }

    /** Lossy: a key-frame tag, the start code 9d 01 2a, then 14-bit sizes (top 2 bits scale, here 0). */
    private static byte[] webpVp8(int width, int height) {
        ByteBuffer webp = webp("VP8 ", 10);
        webp.put((byte) 0x10).put((byte) 0).put((byte) 0); // key frame, version 0, shown
        webp.put((byte) 0x9d).put((byte) 0x01).put((byte) 0x2a);
        return webp.putShort((short) width).putShort((short) height).array();
    }

    /** Lossless: 0x2f, then width-1 and height-1 in 14 bits each, alpha and version 0. */
    private static byte[] webpVp8l(int width, int height) {
        ByteBuffer webp = webp("VP8L", 5);
        return webp.put((byte) 0x2f).putInt((width - 1) | (height - 1) << 14).array();
    }

    /** Extended: flags, 3 reserved bytes, then the canvas' width-1 and height-1 in 24 bits each. */
    private static byte[] webpVp8x(int width, int height) {
        ByteBuffer webp = webp("VP8X", 10);
        webp.putInt(0);
        for (int value : new int[] {width - 1, height - 1}) {
            webp.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
        }
        return webp.array();
    }

    /** A marker segment of {@code payload} zero bytes, as an APPn block would be. */
    private static byte[] segment(int marker, int payload) {
        byte[] segment = new byte[4 + payload];
        segment[0] = (byte) 0xFF;
        segment[1] = (byte) marker;
        segment[2] = (byte) ((payload + 2) >> 8);
        segment[3] = (byte) (payload + 2);
        return segment;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] base64(String s) {
        return Base64.getDecoder().decode(s);
    }
}
