package org.vco4j.data.imports;

import io.airlift.compress.Compressor;
import io.airlift.compress.Decompressor;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Parquet's page compression in pure Java (aircompressor's Snappy, Zstandard and LZ4, the JDK's gzip), in place of
 * parquet-hadoop's default codecs, which are Hadoop classes over native libraries. The codecs pyarrow writes (and so
 * Hugging Face datasets) are all here: {@code UNCOMPRESSED}, {@code SNAPPY} (its default), {@code GZIP}, {@code ZSTD},
 * {@code LZ4_RAW}. Others ({@code BROTLI}, {@code LZO}, Hadoop-framed {@code LZ4}) are refused with a message naming
 * the codec.
 */
final class ParquetCodecs implements CompressionCodecFactory {
    static final ParquetCodecs INSTANCE = new ParquetCodecs();

    private ParquetCodecs() {}

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                byte[] input = bytes.toByteArray();
                return BytesInput.from(switch (codec) {
                    case UNCOMPRESSED -> input;
                    case SNAPPY -> squeeze(new SnappyCompressor(), input);
                    case ZSTD -> squeeze(new ZstdCompressor(), input);
                    case LZ4_RAW -> squeeze(new Lz4Compressor(), input);
                    case GZIP -> gzip(input);
                    default -> throw unsupported(codec);
                });
            }

            @Override
            public CompressionCodecName getCodecName() {
                return codec;
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                return BytesInput.from(ParquetCodecs.decompress(codec, bytes.toByteArray(), uncompressedSize));
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) throws IOException {
                byte[] compressed = new byte[compressedSize];
                input.duplicate().get(compressed);
                output.put(ParquetCodecs.decompress(codec, compressed, uncompressedSize));
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public void release() {}

    private static byte[] decompress(CompressionCodecName codec, byte[] input, int size) throws IOException {
        try {
            return switch (codec) {
                case UNCOMPRESSED -> input;
                case SNAPPY -> decompress(new SnappyDecompressor(), input, size);
                case ZSTD -> decompress(new ZstdDecompressor(), input, size);
                case LZ4_RAW -> decompress(new Lz4Decompressor(), input, size);
                case GZIP -> gunzip(input, size);
                default -> throw unsupported(codec);
            };
        } catch (MalformedInputException e) {
            throw new IOException("damaged " + codec + " page: " + e.getMessage(), e);
        }
    }

    private static byte[] decompress(Decompressor decompressor, byte[] input, int size) throws IOException {
        byte[] output = new byte[size];
        int written = decompressor.decompress(input, 0, input.length, output, 0, size);
        if (written != size) throw new IOException("a page decompressed to " + written + " bytes, its header says " + size);
        return output;
    }

    private static byte[] squeeze(Compressor compressor, byte[] input) {
        byte[] output = new byte[compressor.maxCompressedLength(input.length)];
        int length = compressor.compress(input, 0, input.length, output, 0, output.length);
        return java.util.Arrays.copyOf(output, length);
    }

    private static byte[] gunzip(byte[] input, int size) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(input))) {
            byte[] output = in.readNBytes(size);
            if (output.length != size) throw new IOException("a page decompressed to " + output.length + " bytes, its header says " + size);
            return output;
        }
    }

    private static byte[] gzip(byte[] input) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(input);
        }
        return bytes.toByteArray();
    }

    private static UnsupportedOperationException unsupported(CompressionCodecName codec) {
        return new UnsupportedOperationException("pages compressed with " + codec
                + " are not supported (supported: UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW)");
    }
}
