package io.cxlake.jobs.churn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.ml.tree.CategoricalSplit;
import org.apache.spark.ml.tree.ContinuousSplit;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.Node;
import org.apache.spark.ml.tree.Split;

/**
 * Per-customer attribution of a gradient-boosted model's score to its features, by the path
 * method of Saabas (2014, the "treeinterpreter"): walking each tree from the root to the
 * customer's leaf, every split changes the node's mean prediction, and that change is credited
 * to the split's feature. Per tree, bias (the root's mean) plus the contributions equals the
 * leaf value, so over the weighted ensemble the contributions add up exactly to the customer's
 * margin minus the training mean. Contributions are returned in log-odds (MLlib's GBT margin F
 * gives p = 1 / (1 + exp(-2F)), so log-odds = 2F), the same unit as the logistic drivers.
 *
 * <p>Unlike SHAP values it credits features near the root more; it costs one pass per tree and
 * customer, which MLlib's trees allow without a full SHAP implementation.
 */
final class TreeAttribution implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Per tree, per node: split feature, or -1 at a leaf. */
  private final int[][] feature;
  /** Continuous split: go left when value <= threshold. */
  private final double[][] threshold;
  /** Categorical split: go left when the value is one of these; null for continuous splits. */
  private final double[][][] leftCategories;
  private final int[][] left;
  private final int[][] right;
  /** Mean prediction of the training rows reaching the node. */
  private final double[][] prediction;
  private final double[] treeWeights;
  private final int numFeatures;

  TreeAttribution(int[][] feature, double[][] threshold, double[][][] leftCategories, int[][] left, int[][] right,
      double[][] prediction, double[] treeWeights, int numFeatures) {
    this.feature = feature;
    this.threshold = threshold;
    this.leftCategories = leftCategories;
    this.left = left;
    this.right = right;
    this.prediction = prediction;
    this.treeWeights = treeWeights;
    this.numFeatures = numFeatures;
  }

  /** Flattens a fitted model's trees into arrays that serialise compactly to the executors. */
  static TreeAttribution of(GBTClassificationModel model) {
    DecisionTreeRegressionModel[] trees = model.trees();
    int t = trees.length;
    int[][] feature = new int[t][];
    double[][] threshold = new double[t][];
    double[][][] categories = new double[t][][];
    int[][] left = new int[t][];
    int[][] right = new int[t][];
    double[][] prediction = new double[t][];
    for (int i = 0; i < t; i++) {
      List<Node> nodes = new ArrayList<>();
      collect(trees[i].rootNode(), nodes);
      int n = nodes.size();
      feature[i] = new int[n];
      threshold[i] = new double[n];
      categories[i] = new double[n][];
      left[i] = new int[n];
      right[i] = new int[n];
      prediction[i] = new double[n];
      for (int j = 0; j < n; j++) {
        Node node = nodes.get(j);
        prediction[i][j] = node.prediction();
        if (node instanceof InternalNode in) {
          Split split = in.split();
          feature[i][j] = split.featureIndex();
          if (split instanceof ContinuousSplit cs) {
            threshold[i][j] = cs.threshold();
          } else {
            categories[i][j] = ((CategoricalSplit) split).leftCategories();
          }
          left[i][j] = indexOf(nodes, in.leftChild());
          right[i][j] = indexOf(nodes, in.rightChild());
        } else {
          feature[i][j] = -1;
        }
      }
    }
    return new TreeAttribution(feature, threshold, categories, left, right, prediction, model.treeWeights(),
        model.numFeatures());
  }

  private static void collect(Node node, List<Node> out) {
    out.add(node);
    if (node instanceof InternalNode in) {
      collect(in.leftChild(), out);
      collect(in.rightChild(), out);
    }
  }

  private static int indexOf(List<Node> nodes, Node node) {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i) == node) {
        return i;
      }
    }
    throw new IllegalStateException("Cannot flatten tree: child node not collected");
  }

  /** The score of a customer with no information: 2 x the weighted sum of the roots' means. */
  double bias() {
    double b = 0;
    for (int i = 0; i < treeWeights.length; i++) {
      b += treeWeights[i] * prediction[i][0];
    }
    return 2 * b;
  }

  /** Per-feature contributions to the log-odds; they sum to log-odds minus {@link #bias()}. */
  double[] contributions(Vector x) {
    double[] out = new double[numFeatures];
    for (int i = 0; i < treeWeights.length; i++) {
      int node = 0;
      while (feature[i][node] >= 0) {
        int f = feature[i][node];
        double v = x.apply(f);
        boolean goLeft = leftCategories[i][node] == null ? v <= threshold[i][node]
            : Arrays.stream(leftCategories[i][node]).anyMatch(c -> c == v);
        int child = goLeft ? left[i][node] : right[i][node];
        out[f] += 2 * treeWeights[i] * (prediction[i][child] - prediction[i][node]);
        node = child;
      }
    }
    return out;
  }
}
