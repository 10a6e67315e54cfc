package dev.barista.cuda.check;

import java.util.function.Supplier;

/**
 * One check of a GPU routine against a CPU reference computed in double precision.
 *
 * @param relError ‖out − ref‖ / ‖ref‖ (infinite when an output is NaN, i.e. still poisoned)
 * @param tolerance the largest relative error accepted for the precision involved
 */
public record CheckResult(String name, double relError, double tolerance, String note) {
  public boolean passed() {
    return relError <= tolerance;
  }

  public String row() {
    return String.format("%-44s %-4s rel_err %.2e (tol %.0e) %s", name, passed() ? "OK" : "FAIL", relError, tolerance, note);
  }

  /**
   * Runs one check and prints its row; an exception is a failed check named {@code failName}, so
   * that the checks after it still run.
   */
  static CheckResult printed(String failName, Supplier<CheckResult> check) {
    CheckResult r;
    try {
      r = check.get();
    } catch (RuntimeException e) {
      r = new CheckResult(failName, Double.POSITIVE_INFINITY, 0, e.toString());
    }
    System.out.println(r.row());
    return r;
  }
}
