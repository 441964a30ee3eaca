package org.distill4j.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Broken copies of a valid file, for fuzzing our readers: every truncation, and seeded byte
 * flips, overwrites, insertions, deletions, repeated chunks and plain random bytes. The same seed
 * gives the same inputs, so a failure names an input that can be replayed.
 */
public final class Mutations {
    /** A broken input and how it was made, for the failure message. */
    public record Mutant(String how, byte[] bytes) {
    }

    /** What a reader does with one input; returning normally means it accepted it. */
    public interface Reader {
        void read(byte[] bytes) throws Exception;
    }

    private Mutations() {
    }

    /** Every truncation of {@code valid} (at most {@code maxCuts}, spread evenly), then {@code random} seeded mutants. */
    public static List<Mutant> of(byte[] valid, long seed, int maxCuts, int random) {
        List<Mutant> out = new ArrayList<>();
        int cuts = Math.min(valid.length, maxCuts);
        for (int k = 0; k < cuts; k++) {
            int at = (int) ((long) k * valid.length / cuts);
            out.add(new Mutant("truncated to " + at + " bytes", Arrays.copyOf(valid, at)));
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int k = 0; k < random; k++) {
            out.add(mutate(valid, rng, k));
        }
        return out;
    }

    private static Mutant mutate(byte[] valid, SplittableRandom rng, int k) {
        int n = valid.length;
        int at = n == 0 ? 0 : rng.nextInt(n);
        switch (k % 7) {
            case 0 -> {
                byte[] b = valid.clone();
                int bit = rng.nextInt(8);
                if (n > 0) {
                    b[at] ^= (byte) (1 << bit);
                }
                return new Mutant("bit " + bit + " of byte " + at + " flipped", b);
            }
            case 1 -> {
                byte[] b = valid.clone();
                int v = rng.nextInt(256);
                if (n > 0) {
                    b[at] = (byte) v;
                }
                return new Mutant("byte " + at + " set to " + v, b);
            }
            case 2 -> {
                // Bytes that matter to text formats: quotes, brackets, digits, separators, signs, controls.
                byte[] special = "\"{}[](),:-+.eE0129'\\\n\r\u0000 x".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                byte v = special[rng.nextInt(special.length)];
                byte[] b = new byte[n + 1];
                System.arraycopy(valid, 0, b, 0, at);
                b[at] = v;
                System.arraycopy(valid, at, b, at + 1, n - at);
                return new Mutant("byte " + (v & 0xFF) + " inserted at " + at, b);
            }
            case 3 -> {
                int len = Math.min(n - at, 1 + rng.nextInt(8));
                byte[] b = new byte[n - len];
                System.arraycopy(valid, 0, b, 0, at);
                System.arraycopy(valid, at + len, b, at, n - at - len);
                return new Mutant(len + " bytes deleted at " + at, b);
            }
            case 4 -> {
                int len = Math.min(n - at, 1 + rng.nextInt(16));
                int times = 1 + rng.nextInt(50);
                byte[] b = new byte[n + len * times];
                System.arraycopy(valid, 0, b, 0, at + len);
                for (int t = 0; t < times; t++) {
                    System.arraycopy(valid, at, b, at + len * (t + 1), len);
                }
                System.arraycopy(valid, at + len, b, at + len * (times + 1), n - at - len);
                return new Mutant(len + " bytes at " + at + " repeated " + times + " more times", b);
            }
            case 5 -> {
                byte[] b = valid.clone();
                int len = Math.min(n - at, 1 + rng.nextInt(32));
                for (int i = 0; i < len; i++) {
                    b[at + i] = (byte) rng.nextInt(256);
                }
                return new Mutant(len + " random bytes at " + at, b);
            }
            default -> {
                byte[] b = new byte[rng.nextInt(2 * n + 1)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) rng.nextInt(256);
                }
                return new Mutant(b.length + " random bytes", b);
            }
        }
    }

    /**
     * The contract every reader of ours keeps: for each input it returns, or throws an IOException
     * or IllegalArgumentException with a one-line message; nothing else (no StackOverflowError,
     * OutOfMemoryError, NumberFormatException leaking through, index errors). Returns how many inputs
     * were accepted, so that a test can check the fuzzing also reached the happy path.
     */
    public static int assertOnlyCleanFailures(List<Mutant> inputs, Reader reader) {
        int accepted = 0;
        for (Mutant m : inputs) {
            try {
                reader.read(m.bytes());
                accepted++;
            } catch (IOException | IllegalArgumentException e) {
                if (e.getClass() == NumberFormatException.class) {
                    fail(m.how() + ": NumberFormatException leaked: " + e.getMessage(), e);
                }
                assertOneLine(e.getMessage(), m.how());
            } catch (Throwable t) {
                fail(m.how() + ": " + t, t);
            }
        }
        return accepted;
    }

    /** A message a CLI can print as one line: present, not blank, no line breaks. */
    public static void assertOneLine(String message, String input) {
        assertNotNull(message, input + ": exception without a message");
        assertFalse(message.isBlank(), input + ": blank message");
        assertFalse(message.contains("\n") || message.contains("\r"), input + ": message of several lines: " + message);
    }
}
