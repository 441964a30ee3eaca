package org.distill4j.train;

/**
 * For each epoch and training example: 1 if the example was classified correctly in the
 * mini-batch step where it was presented that epoch, 0 if not. Toneva et al. (2019) count a
 * forgetting event at each correct-to-incorrect transition between consecutive presentations.
 */
public final class CorrectnessLog {
    private final byte[][] correct;

    public CorrectnessLog(int epochs, int examples) {
        this.correct = new byte[epochs][examples];
    }

    void set(int epoch, int example, boolean ok) {
        correct[epoch][example] = (byte) (ok ? 1 : 0);
    }

    public int epochs() {
        return correct.length;
    }

    public int examples() {
        return correct.length == 0 ? 0 : correct[0].length;
    }

    public boolean correct(int epoch, int example) {
        return correct[epoch][example] != 0;
    }

    /** Number of correct-to-incorrect transitions of each example across epochs. */
    public int[] forgettingEvents() {
        int[] events = new int[examples()];
        for (int e = 1; e < correct.length; e++) {
            for (int i = 0; i < events.length; i++) {
                if (correct[e - 1][i] != 0 && correct[e][i] == 0) {
                    events[i]++;
                }
            }
        }
        return events;
    }

    /** Whether each example was ever classified correctly. */
    public boolean[] everLearned() {
        boolean[] learned = new boolean[examples()];
        for (byte[] epoch : correct) {
            for (int i = 0; i < learned.length; i++) {
                learned[i] |= epoch[i] != 0;
            }
        }
        return learned;
    }

    /** A log from explicit rows (tests and scripted sequences). */
    public static CorrectnessLog of(boolean[][] rows) {
        CorrectnessLog log = new CorrectnessLog(rows.length, rows.length == 0 ? 0 : rows[0].length);
        for (int e = 0; e < rows.length; e++) {
            for (int i = 0; i < rows[e].length; i++) {
                log.set(e, i, rows[e][i]);
            }
        }
        return log;
    }
}
