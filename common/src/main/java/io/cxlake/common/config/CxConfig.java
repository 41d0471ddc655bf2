package io.cxlake.common.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.cxlake.common.schema.SourceContract;
import io.cxlake.common.schema.Sources;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The effective configuration of a run: the documented defaults ({@code cxlake-defaults.conf}),
 * overlaid by the user's {@code --config} file (HOCON, JSON or properties), overlaid by
 * {@code --conf key=value} options. A key that is not documented in the defaults is an error
 * naming the key, as a typo must never silently fall back to a default. Keys under
 * {@code spark.} are passed to Spark unchanged.
 */
public final class CxConfig {
  /** The classpath resource holding every key with its default and documentation. */
  public static final String DEFAULTS_RESOURCE = "cxlake-defaults.conf";

  private static final String SPARK_PREFIX = "spark.";
  private static final String SOURCES = "sources";
  private static final String COLUMNS = "columns";

  private final Config config;
  private final Map<String, String> sparkConf;

  private CxConfig(Config config, Map<String, String> sparkConf) {
    this.config = config;
    this.sparkConf = sparkConf;
  }

  /** The defaults alone. */
  public static CxConfig defaults() {
    return load(Optional.empty(), Map.of());
  }

  /**
   * Loads and validates a configuration.
   *
   * @param file optional user configuration file
   * @param overrides {@code key=value} overrides, applied last in the given order
   */
  public static CxConfig load(Optional<File> file, Map<String, String> overrides) {
    Config defaults = ConfigFactory.parseResources(CxConfig.class.getClassLoader(), DEFAULTS_RESOURCE,
        ConfigParseOptions.defaults().setAllowMissing(false));
    Config user = ConfigFactory.empty();
    if (file.isPresent()) {
      File f = file.get();
      if (!f.isFile()) {
        throw new IllegalArgumentException("Cannot load configuration: file does not exist (" + f + ")");
      }
      user = ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false));
    }
    // Spark and Hadoop keys are flat names, and one may be a prefix of another
    // (fs.s3a.endpoint and fs.s3a.endpoint.region): as HOCON paths the second would replace the
    // first, so they are collected by their full name and never merged as paths.
    Map<String, String> spark = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
      String key = String.join(".", com.typesafe.config.ConfigUtil.splitPath(e.getKey()));
      if (key.startsWith(SPARK_PREFIX)) {
        spark.put(key, String.valueOf(e.getValue().unwrapped()));
      }
    }
    for (String top : user.root().keySet()) {
      if (top.equals("spark") || top.startsWith(SPARK_PREFIX)) {
        user = user.withoutPath(com.typesafe.config.ConfigUtil.joinPath(top));
      }
    }
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      if (e.getKey().startsWith(SPARK_PREFIX)) {
        spark.put(e.getKey(), e.getValue());
      } else {
        user = ConfigFactory.empty().withValue(quotedPath(e.getKey()), parseValue(e.getKey(), e.getValue()))
            .withFallback(user);
      }
    }
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
      String key = e.getKey();
      if (!isKnown(defaults, key)) {
        unknown.add(key + " (from " + e.getValue().origin().description() + ")");
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("Cannot load configuration: unknown key " + String.join(", ", unknown)
          + "; see conf/cxlake.conf.example for every key");
    }
    Config merged = user.withFallback(defaults).resolve();
    return new CxConfig(merged, spark);
  }

  /**
   * Whether a configuration key holds a secret ({@code *secret*}, {@code *password*}, {@code *salt*},
   * {@code *.key}), whose value must never be printed or logged.
   */
  public static boolean isSecretKey(String key) {
    String k = key.toLowerCase(java.util.Locale.ROOT);
    return k.contains("secret") || k.contains("password") || k.contains("salt") || k.endsWith(".key");
  }

  /** {@code key=value} for a command line a person reads, with the value of a secret key withheld. */
  public static String redacted(String key, String value) {
    return key + "=" + (isSecretKey(key) ? "<redacted>" : value);
  }

  private static boolean isKnown(Config defaults, String key) {
    if (defaults.hasPathOrNull(key)) {
      return true;
    }
    // sources.<source>.columns.<contract column> is an open mapping, checked against the contract.
    List<String> parts = com.typesafe.config.ConfigUtil.splitPath(key);
    if (parts.size() == 4 && parts.get(0).equals(SOURCES) && parts.get(2).equals(COLUMNS)) {
      Optional<SourceContract> source = Sources.byName(parts.get(1));
      return source.isPresent() && source.get().columns().containsKey(parts.get(3));
    }
    return false;
  }

  /** A {@code --conf} key may contain characters HOCON would read as path syntax; quote each segment. */
  private static String quotedPath(String key) {
    if (key.isBlank()) {
      throw new IllegalArgumentException("Cannot parse --conf: empty key");
    }
    String[] parts = key.split("\\.", -1);
    List<String> quoted = new ArrayList<>();
    for (String p : parts) {
      if (p.isEmpty()) {
        throw new IllegalArgumentException("Cannot parse --conf: empty path segment in key (" + key + ")");
      }
      quoted.add(com.typesafe.config.ConfigUtil.quoteString(p));
    }
    return String.join(".", quoted);
  }

  /** Lists and objects are written in HOCON (`[a, b]`); everything else is a plain string. */
  private static ConfigValue parseValue(String key, String value) {
    String v = value.strip();
    if (v.startsWith("[") || v.startsWith("{")) {
      try {
        return ConfigFactory.parseString("v = " + v, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF))
            .getValue("v");
      } catch (ConfigException e) {
        throw new IllegalArgumentException("Cannot parse --conf " + key + ": " + e.getMessage() + " (" + value + ")", e);
      }
    }
    return ConfigValueFactory.fromAnyRef(value, "--conf " + key);
  }

  /** The underlying Typesafe config (merged and resolved). */
  public Config raw() {
    return config;
  }

  /** Spark settings given as {@code spark.*} keys, passed to the session unchanged. */
  public Map<String, String> sparkConf() {
    return sparkConf;
  }

  public String getString(String key) {
    return config.getString(key);
  }

  public int getInt(String key) {
    return config.getInt(key);
  }

  public long getLong(String key) {
    return config.getLong(key);
  }

  public double getDouble(String key) {
    return config.getDouble(key);
  }

  public boolean getBoolean(String key) {
    return config.getBoolean(key);
  }

  /** A list of strings (HOCON {@code [a, b]}). */
  public List<String> getStringList(String key) {
    return config.getStringList(key);
  }

  /** A list of integers (HOCON {@code [30, 60]}). */
  public List<Integer> getIntList(String key) {
    return config.getIntList(key);
  }

  /** A string map under a key (e.g. a column mapping), empty when the key is empty. */
  public Map<String, String> getStringMap(String key) {
    Map<String, String> out = new LinkedHashMap<>();
    if (config.hasPath(key)) {
      Config sub = config.getConfig(key);
      for (Map.Entry<String, ConfigValue> e : sub.entrySet()) {
        out.put(com.typesafe.config.ConfigUtil.splitPath(e.getKey()).get(0), String.valueOf(e.getValue().unwrapped()));
      }
    }
    return out;
  }
}
