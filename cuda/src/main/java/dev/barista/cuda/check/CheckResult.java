package dev.barista.cuda.check;

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
}
