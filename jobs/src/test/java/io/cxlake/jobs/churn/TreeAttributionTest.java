package io.cxlake.jobs.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.spark.ml.linalg.Vectors;
import org.junit.jupiter.api.Test;

/** Saabas path attribution on hand-built trees. */
class TreeAttributionTest {
  /**
   * Tree 0 (weight 1): node 0 (mean 0.2) splits x0 <= 0.5 into leaf 1 (-1.0) and node 2 (mean
   * 1.0), which splits x1 in {0} into leaf 3 (2.0) and leaf 4 (0.5). Tree 1 (weight 0.1): node 0
   * (mean 0) splits x1 <= 3 into leaf 1 (0.4) and leaf 2 (-0.6).
   */
  private static TreeAttribution twoTrees() {
    return new TreeAttribution(
        new int[][] {{0, -1, 1, -1, -1}, {1, -1, -1}},
        new double[][] {{0.5, 0, 0, 0, 0}, {3, 0, 0}},
        new double[][][] {{null, null, {0.0}, null, null}, {null, null, null}},
        new int[][] {{1, 0, 3, 0, 0}, {1, 0, 0}},
        new int[][] {{2, 0, 4, 0, 0}, {2, 0, 0}},
        new double[][] {{0.2, -1.0, 1.0, 2.0, 0.5}, {0.0, 0.4, -0.6}},
        new double[] {1.0, 0.1},
        3);
  }

  @Test
  void contributionsFollowThePathAndSumToTheScore() {
    TreeAttribution t = twoTrees();
    double[] c = t.contributions(Vectors.dense(1.0, 1.0, 7.0));
    // Tree 0: x0 = 1 > 0.5 -> node 2 (+0.8 to x0); x1 = 1 not in {0} -> leaf 4 (-0.5 to x1).
    // Tree 1: x1 = 1 <= 3 -> leaf 1 (+0.4 x 0.1 to x1). Log-odds = 2 x margin.
    assertThat(c[0]).as("x0").isCloseTo(2 * 0.8, within(1e-12));
    assertThat(c[1]).as("x1").isCloseTo(2 * (-0.5 + 0.04), within(1e-12));
    assertThat(c[2]).as("x2 is never split on").isZero();
    assertThat(t.bias()).as("bias: 2 x (0.2 + 0.1 x 0)").isCloseTo(0.4, within(1e-12));
    double margin = 0.5 + 0.1 * 0.4;
    assertThat(t.bias() + c[0] + c[1] + c[2]).as("bias + contributions = 2 x margin").isCloseTo(2 * margin, within(1e-12));
  }

  @Test
  void categoricalSplitGoesLeftOnItsCategories() {
    double[] c = twoTrees().contributions(Vectors.dense(1.0, 0.0, 0.0));
    // Tree 0: node 2 -> leaf 3 (2.0 - 1.0 = +1.0 to x1); tree 1: leaf 1 (+0.04 to x1).
    assertThat(c[1]).as("x1").isCloseTo(2 * (1.0 + 0.04), within(1e-12));
    assertThat(twoTrees().contributions(Vectors.dense(0.0, 9.0, 0.0))[0]).as("x0 left: -1.0 - 0.2")
        .isCloseTo(2 * -1.2, within(1e-12));
  }
}
