package org.vco4j.model.image;

/**
 * The convolution filters of Pillow's resampler that vision processors use, with Pillow's numeric codes
 * (the {@code resample} value of {@code preprocessor_config.json}).
 */
public enum ResampleFilter {
    /** Triangle filter, support 1 ({@code resample = 2}). */
    BILINEAR(2, 1.0),
    /** Keys cubic with a = -0.5, support 2 ({@code resample = 3}); CLIP's default. */
    BICUBIC(3, 2.0),
    /** Lanczos, {@code sinc(x) sinc(x/3)}, support 3 ({@code resample = 1}); IC-VCO's editor geometry. */
    LANCZOS(1, 3.0);

    private final int pilCode;
    private final double support;

    ResampleFilter(int pilCode, double support) {
        this.pilCode = pilCode;
        this.support = support;
    }

    /** Pillow's {@code Image.Resampling} value. */
    public int pilCode() {
        return pilCode;
    }

    /** Half-width of the kernel at scale 1, in input pixels. */
    double support() {
        return support;
    }

    /** The kernel weight at distance {@code x}; Pillow's formulas, evaluated in double precision. */
    double weight(double x) {
        if (x < 0.0) x = -x;
        switch (this) {
            case BILINEAR:
                return x < 1.0 ? 1.0 - x : 0.0;
            case BICUBIC: {
                final double a = -0.5;
                if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
                if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
                return 0.0;
            }
            case LANCZOS:
                return x < 3.0 ? sinc(x) * sinc(x / 3.0) : 0.0;
            default:
                throw new AssertionError(this);
        }
    }

    private static double sinc(double x) {
        if (x == 0.0) return 1.0;
        x *= Math.PI;
        return Math.sin(x) / x;
    }

    /** The filter with Pillow code {@code code}; other Pillow filters (nearest, box, hamming) are refused. */
    public static ResampleFilter fromPilCode(int code) {
        for (ResampleFilter f : values()) {
            if (f.pilCode == code) return f;
        }
        throw new IllegalArgumentException("unsupported resample filter " + code
                + ": supported are 1 (lanczos), 2 (bilinear) and 3 (bicubic), as Pillow numbers them");
    }
}
