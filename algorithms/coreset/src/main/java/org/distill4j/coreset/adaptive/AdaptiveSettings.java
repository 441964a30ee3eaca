package org.distill4j.coreset.adaptive;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How an adaptive run selects: the method, the fraction of the training split each subset epoch
 * trains on, how often it re-selects, the warm start, and the validation split held out of the
 * training set. The defaults are CORDS's ({@code configs/SL/config_*}): re-select every 20 epochs,
 * no warm start ({@code kappa = 0}; its "-Warm" variants use 0.5), a tenth of the training set
 * held out for validation.
 *
 * @param method      the selection method
 * @param fraction    the share of the training split a subset epoch trains on, in (0, 1] (ignored by {@code full})
 * @param selectEvery re-select every this many epochs, counted from the first subset epoch (CORDS's {@code select_every})
 * @param warmStart   CORDS's {@code kappa}, in [0, 1): the first {@code int(kappa * epochs)} epochs are the
 *                    warm start, of which the first {@code round(int(kappa * epochs) * fraction)} train on the
 *                    whole training split and the rest are skipped, so that the warm start costs what subset
 *                    epochs would
 * @param valSplit    the share of the training set held out as the validation split, in (0, 0.5]
 */
public record AdaptiveSettings(AdaptiveMethod method, double fraction, int selectEvery, double warmStart, double valSplit) {
    public static final int DEFAULT_SELECT_EVERY = 20;
    public static final double DEFAULT_WARM_START = 0;
    public static final double DEFAULT_VAL_SPLIT = 0.1;

    public AdaptiveSettings {
        Objects.requireNonNull(method, "method");
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("adaptive fraction must be in (0, 1], got " + fraction);
        }
        if (selectEvery < 1) {
            throw new IllegalArgumentException("adaptive re-selection period (select every) must be >= 1 epoch, got "
                    + selectEvery);
        }
        if (!(warmStart >= 0 && warmStart < 1)) {
            throw new IllegalArgumentException("warm start kappa (the fraction of the epochs before the first selection) "
                    + "must be in [0, 1), got " + warmStart);
        }
        if (!(valSplit > 0 && valSplit <= 0.5)) {
            throw new IllegalArgumentException("validation split must be in (0, 0.5] of the training set, got " + valSplit);
        }
    }

    /** {@code method} at {@code fraction} with CORDS's defaults for the rest. */
    public static AdaptiveSettings of(AdaptiveMethod method, double fraction) {
        return new AdaptiveSettings(method, fraction, DEFAULT_SELECT_EVERY, DEFAULT_WARM_START, DEFAULT_VAL_SPLIT);
    }

    public AdaptiveSettings withSelectEvery(int r) {
        return new AdaptiveSettings(method, fraction, r, warmStart, valSplit);
    }

    public AdaptiveSettings withWarmStart(double kappa) {
        return new AdaptiveSettings(method, fraction, selectEvery, kappa, valSplit);
    }

    public AdaptiveSettings withValSplit(double v) {
        return new AdaptiveSettings(method, fraction, selectEvery, warmStart, v);
    }

    /** The settings as JSON-ready values, with the command line's names. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method.cliName());
        m.put("fraction", fraction);
        m.put("select_every", selectEvery);
        m.put("warm_start", warmStart);
        m.put("val_split", valSplit);
        return m;
    }
}
