package io.cxlake.jobs.sample;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The product catalogue: a few hundred products in eight categories, built on the driver from the
 * seed and shipped inside the simulator. Within a category the products are ranked by popularity
 * (creation order) and picked with Zipf-like weights, so a few best sellers dominate as in a real shop.
 */
final class ProductCatalogue implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The categories customers hold preferences over. */
  static final List<String> CATEGORIES =
      List.of("electronics", "home", "fashion", "beauty", "sports", "books", "toys", "grocery");

  private static final double[] CATEGORY_SHARE = {0.16, 0.15, 0.16, 0.10, 0.10, 0.12, 0.10, 0.11};
  private static final double[] MEDIAN_PRICE = {120, 45, 40, 22, 50, 15, 25, 8};
  private static final double PRICE_SIGMA = 0.45;
  private static final double PREMIUM_SHARE = 0.10;
  private static final double ZIPF_EXPONENT = 1.1;
  private static final long SALT = 0x50524F44L;

  private static final String[] ADJECTIVES = {
      "Classic", "Smart", "Eco", "Pro", "Compact", "Deluxe", "Urban", "Everyday", "Vintage", "Ultra",
      "Lite", "Nordic"};
  private static final String[][] NOUNS = {
      {"Headphones", "Speaker", "Charger", "Smartwatch", "Camera", "Keyboard"},
      {"Lamp", "Cushion", "Kettle", "Vase", "Blanket", "Wall Clock"},
      {"Jacket", "Sneakers", "Scarf", "T-Shirt", "Jeans", "Handbag"},
      {"Serum", "Lipstick", "Shampoo", "Face Cream", "Perfume", "Nail Polish"},
      {"Yoga Mat", "Dumbbells", "Running Shoes", "Water Bottle", "Tennis Racket", "Backpack"},
      {"Novel", "Cookbook", "Travel Guide", "Biography", "Comic", "Atlas"},
      {"Puzzle", "Building Blocks", "Plush Bear", "Board Game", "Kite", "Toy Car"},
      {"Coffee Beans", "Olive Oil", "Green Tea", "Chocolate", "Pasta", "Honey"}};

  /**
   * One catalogue entry.
   *
   * @param id {@code P} + 5 digits
   * @param name display name
   * @param category one of {@link #CATEGORIES}
   * @param price list price, rounded to cents
   */
  record Product(String id, String name, String category, double price) implements Serializable {}

  private final List<Product> products;
  private final int[][] byCategory;
  private final double[][] zipfWeights;

  private ProductCatalogue(List<Product> products, int[][] byCategory) {
    this.products = List.copyOf(products);
    this.byCategory = byCategory;
    this.zipfWeights = new double[byCategory.length][];
    for (int c = 0; c < byCategory.length; c++) {
      zipfWeights[c] = new double[byCategory[c].length];
      for (int rank = 0; rank < byCategory[c].length; rank++) {
        zipfWeights[c][rank] = 1 / StrictMath.pow(rank + 1, ZIPF_EXPONENT);
      }
    }
  }

  /** Builds the catalogue of {@code count} products, a pure function of the seed. */
  static ProductCatalogue generate(long seed, int count) {
    SplittableRandom rng = new SplittableRandom(Samplers.streamSeed(seed, 0, SALT));
    List<Product> products = new ArrayList<>(count);
    List<List<Integer>> members = new ArrayList<>();
    for (int c = 0; c < CATEGORIES.size(); c++) {
      members.add(new ArrayList<>());
    }
    for (int i = 0; i < count; i++) {
      // The first two rounds fill every category so that none is empty in a small catalogue.
      int c = i < 2 * CATEGORIES.size() ? i % CATEGORIES.size() : Samplers.categorical(rng, CATEGORY_SHARE);
      double price = Samplers.lognormal(rng, MEDIAN_PRICE[c], PRICE_SIGMA);
      if (Samplers.bernoulli(rng, PREMIUM_SHARE)) {
        price *= Samplers.uniform(rng, 3, 5);
      }
      price = Math.max(0.5, Math.round(price * 100) / 100.0);
      String name = ADJECTIVES[rng.nextInt(ADJECTIVES.length)] + " " + NOUNS[c][rng.nextInt(NOUNS[c].length)]
          + " " + (char) ('A' + rng.nextInt(26)) + (10 + rng.nextInt(90));
      String id = "P" + Ids.pad(i + 1, 5);
      members.get(c).add(products.size());
      products.add(new Product(id, name, CATEGORIES.get(c), price));
    }
    int[][] byCategory = new int[CATEGORIES.size()][];
    for (int c = 0; c < byCategory.length; c++) {
      byCategory[c] = members.get(c).stream().mapToInt(Integer::intValue).toArray();
    }
    return new ProductCatalogue(products, byCategory);
  }

  /** Every product in id order. */
  List<Product> products() {
    return products;
  }

  /** A product of the category, popular ones more often. */
  Product pick(SplittableRandom rng, int category) {
    int rank = Samplers.categorical(rng, zipfWeights[category]);
    return products.get(byCategory[category][rank]);
  }

  /** A product whose category is drawn from the preference weights. */
  Product pickByPreference(SplittableRandom rng, double[] categoryPreference) {
    return pick(rng, Samplers.categorical(rng, categoryPreference));
  }
}
