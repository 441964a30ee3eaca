package org.distill4j.io;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The shortest decimal that reads back as the same double (or float), in the layout of
 * {@link Double#toString}: plain for magnitudes in [1e-3, 1e7), {@code d.dddE±n} otherwise; both are
 * valid JSON numbers.
 *
 * <p>Why not {@code Double.toString} alone: before JDK 19 (JDK-4511638) it sometimes prints more
 * digits than needed ({@code 2.82879384806159008E17}, {@code 9.999999999999999E22} for 1e23,
 * {@code 8.5899735E9} for the float 8.589973E9). Where it already is the shortest, its text is kept
 * unchanged, so output only differs where it was too long.
 */
final class ShortestDecimal {
    private ShortestDecimal() {
    }

    /** {@code d} finite. */
    static String of(double d) {
        String java = Double.toString(d);
        int digits = significantDigits(java);
        // Two digits cost nothing in the d.d layout, so Java's "4.9E-324" stands against "5.0E-324".
        if (digits <= 2) {
            return java;
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal best = null;
        for (int p = digits - 1; p >= 1; p--) {
            BigDecimal c = roundTrip(exact, p, s -> Double.parseDouble(s) == d);
            if (c == null) {
                break;
            }
            best = c;
        }
        return best == null ? java : layout(best, Math.abs(d));
    }

    /** {@code f} finite. */
    static String of(float f) {
        String java = Float.toString(f);
        int digits = significantDigits(java);
        if (digits <= 2) {
            return java;
        }
        BigDecimal exact = new BigDecimal(f);
        BigDecimal best = null;
        for (int p = digits - 1; p >= 1; p--) {
            BigDecimal c = roundTrip(exact, p, s -> Float.parseFloat(s) == f);
            if (c == null) {
                break;
            }
            best = c;
        }
        return best == null ? java : layout(best, Math.abs(f));
    }

    /**
     * Shorter decimals are searched from {@code digits - 1} down: if no p-digit decimal reads back,
     * no shorter one does either (a shorter one padded with zeros would be a p-digit one), so the
     * usual case, where Java's text is already shortest, costs one try.
     *
     * A p-digit decimal that reads back to the same value, or null. The nearest p-digit decimal is
     * tried first; at a power of two the rounding interval is lopsided, so the neighbours on either
     * side are tried too.
     */
    private static BigDecimal roundTrip(BigDecimal exact, int p, java.util.function.Predicate<String> readsBack) {
        for (RoundingMode mode : new RoundingMode[]{RoundingMode.HALF_EVEN, RoundingMode.FLOOR, RoundingMode.CEILING}) {
            BigDecimal c = exact.round(new MathContext(p, mode));
            if (readsBack.test(c.toString())) {
                return c.stripTrailingZeros();
            }
        }
        return null;
    }

    private static String layout(BigDecimal c, double magnitude) {
        String sign = c.signum() < 0 ? "-" : "";
        BigDecimal a = c.abs();
        if (magnitude >= 1e-3 && magnitude < 1e7) {
            String plain = a.toPlainString();
            return sign + (plain.indexOf('.') < 0 ? plain + ".0" : plain);
        }
        String digits = a.unscaledValue().toString();
        int exponent = digits.length() - 1 - a.scale();
        return sign + digits.charAt(0) + "." + (digits.length() > 1 ? digits.substring(1) : "0") + "E" + exponent;
    }

    /** Significant digits of a {@code toString} result: no sign, exponent, point, or leading and trailing zeros. */
    static int significantDigits(String javaText) {
        int e = javaText.indexOf('E');
        String mantissa = (e < 0 ? javaText : javaText.substring(0, e)).replace("-", "").replace(".", "");
        int start = 0;
        while (start < mantissa.length() - 1 && mantissa.charAt(start) == '0') {
            start++;
        }
        int end = mantissa.length();
        while (end > start + 1 && mantissa.charAt(end - 1) == '0') {
            end--;
        }
        return end - start;
    }
}
