package io.hyperrec.app;

import io.hyperrec.core.train.EpochResult;
import io.hyperrec.core.train.TrainListener;
import java.io.PrintStream;

/** One line per epoch: loss, validation metrics, seconds, and an ETA to the next possible stop. */
final class ProgressPrinter implements TrainListener {
    private final PrintStream out;
    private final int patience;
    private int maxEpochs;
    private double secondsSum;
    private int counted;

    ProgressPrinter(PrintStream out, int patience) {
        this.out = out;
        this.patience = patience;
    }

    @Override
    public void started(int firstEpoch, int max, int stepsPerEpoch) {
        this.maxEpochs = max;
        out.printf(
                "training from epoch %d (at most %d epochs, %d steps each)%n",
                firstEpoch, max, stepsPerEpoch);
    }

    @Override
    public void epochDone(EpochResult r, int bestEpoch, int withoutImprovement) {
        double s = r.seconds() + r.evalSeconds();
        secondsSum += s;
        counted++;
        int left = Math.min(maxEpochs - r.epoch(), patience - withoutImprovement);
        double eta = left * secondsSum / counted;
        out.printf(
                "epoch %4d/%d  loss %10.2f  %5.2fs+%4.2fs eval  val %s%s  best %d  ETA ≤ %s (%d epochs)%n",
                r.epoch(),
                maxEpochs,
                r.loss(),
                r.seconds(),
                r.evalSeconds(),
                r.validation(),
                r.improved() ? " *" : "  ",
                bestEpoch,
                duration(eta),
                left);
        out.flush();
    }

    @Override
    public void checkpointed(int epoch, int bytes) {
        out.printf("checkpoint after epoch %d (%.1f MB)%n", epoch, bytes / 1e6);
        out.flush();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
