package io.cxlake.jobs.bi;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The Trino server that {@code serve} runs: Trino 476 from Maven Central, of which only what a
 * single Delta Lake node needs is extracted (the server's {@code lib/} and the Delta Lake plugin),
 * once, into a cache folder, so later starts take seconds.
 *
 * <p>Where it comes from, first found: {@code CXLAKE_TRINO_HOME} (an extracted server), the cache
 * ({@code CXLAKE_CACHE}, else {@code $XDG_CACHE_HOME/cxlake}, else {@code ~/.cache/cxlake}), the
 * tarball at {@code CXLAKE_TRINO_TARBALL} or in the local Maven repository, else a download from
 * Maven Central checked against its published SHA-1.
 */
final class TrinoDistribution {
  static final String VERSION = FileMetastore.TRINO_VERSION;
  static final String NAME = "trino-server-" + VERSION;
  static final String CENTRAL = "https://repo.maven.apache.org/maven2/io/trino/trino-server/" + VERSION + "/"
      + NAME + ".tar.gz";
  private static final String COMPLETE = ".cxlake-complete";
  private static final String PREFIX = NAME + "/";
  /** What a Delta Lake node needs of the tarball. */
  private static final List<String> WANTED = List.of(PREFIX + "lib/", PREFIX + "plugin/delta-lake/");
  /** Only used with the Hadoop file system, which serve does not enable. */
  private static final String UNUSED = PREFIX + "plugin/delta-lake/hdfs/";

  private TrinoDistribution() {}

  /** The extracted server (with {@code lib/} and {@code plugin/}), extracting or downloading it first when needed. */
  static Path locate(Map<String, String> env, PrintWriter out) {
    if (env.containsKey("CXLAKE_TRINO_HOME")) {
      Path home = Path.of(env.get("CXLAKE_TRINO_HOME"));
      if (!Files.isDirectory(home.resolve("lib")) || !Files.isDirectory(home.resolve("plugin/delta-lake"))) {
        throw new IllegalArgumentException("Cannot start the SQL endpoint: CXLAKE_TRINO_HOME is not an extracted "
            + NAME + " with lib/ and plugin/delta-lake/ (" + home + ")");
      }
      return home;
    }
    Path cache = cache(env);
    Path home = cache.resolve(NAME);
    if (Files.exists(home.resolve(COMPLETE))) {
      return home;
    }
    Path tarball = tarball(env, cache, out);
    out.printf("serve: extracting the Delta Lake node of %s into %s (once)%n", tarball.getFileName(), home);
    out.flush();
    extract(tarball, cache);
    return home;
  }

  /** The cache folder. */
  static Path cache(Map<String, String> env) {
    if (env.containsKey("CXLAKE_CACHE")) {
      return Path.of(env.get("CXLAKE_CACHE"));
    }
    String xdg = env.get("XDG_CACHE_HOME");
    return (xdg != null ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache")).resolve("cxlake");
  }

  private static Path tarball(Map<String, String> env, Path cache, PrintWriter out) {
    if (env.containsKey("CXLAKE_TRINO_TARBALL")) {
      Path given = Path.of(env.get("CXLAKE_TRINO_TARBALL"));
      if (!Files.isRegularFile(given)) {
        throw new IllegalArgumentException("Cannot start the SQL endpoint: CXLAKE_TRINO_TARBALL is not a file (" + given
            + ")");
      }
      return given;
    }
    Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository", "io", "trino", "trino-server", VERSION,
        NAME + ".tar.gz");
    if (Files.isRegularFile(m2)) {
      return m2;
    }
    Path downloaded = cache.resolve(NAME + ".tar.gz");
    if (!Files.isRegularFile(downloaded)) {
      download(downloaded, out);
    }
    return downloaded;
  }

  /** Downloads the tarball from Maven Central and checks it against the SHA-1 published beside it. */
  private static void download(Path target, PrintWriter out) {
    out.printf("serve: downloading %s from Maven Central (about 820 MB, once)%n", NAME + ".tar.gz");
    out.flush();
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    Path part = target.resolveSibling(target.getFileName() + ".part");
    try {
      Files.createDirectories(target.getParent());
      String expected = http.send(HttpRequest.newBuilder(URI.create(CENTRAL + ".sha1")).build(),
          HttpResponse.BodyHandlers.ofString()).body().strip().split("\\s+")[0];
      HttpResponse<Path> response = http.send(HttpRequest.newBuilder(URI.create(CENTRAL)).build(),
          HttpResponse.BodyHandlers.ofFile(part));
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      String actual = sha1(part);
      if (!actual.equalsIgnoreCase(expected)) {
        throw new IOException("SHA-1 " + actual + " is not the published " + expected);
      }
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot download " + CENTRAL + ": " + e.getMessage()
          + "; without network access put the file at " + target + " or set CXLAKE_TRINO_TARBALL", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot download " + CENTRAL + ": interrupted", e);
    }
  }

  private static String sha1(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-1");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        md.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot check a download: no SHA-1 in this JVM", e);
    }
  }

  /**
   * Extracts {@link #WANTED} into {@code cache/trino-server-476}. The tarball stores many of the
   * plugin's jars as hard links to the same jar of another plugin (stored earlier in the stream), so
   * a first pass collects the link targets the wanted entries need and the second extracts both;
   * a link becomes a copy of its target.
   */
  static void extract(Path tarball, Path cache) {
    Path staging = cache.resolve(NAME + ".extracting");
    try {
      deleteRecursively(staging);
      Files.createDirectories(staging);
      Set<String> targets = new HashSet<>();
      try (TarArchiveInputStream tar = open(tarball)) {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          if (wanted(e.getName()) && e.isLink()) {
            targets.add(e.getLinkName());
          }
        }
      }
      try (TarArchiveInputStream tar = open(tarball)) {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          String name = e.getName();
          if (e.isDirectory() || !(wanted(name) || targets.contains(name))) {
            continue;
          }
          Path to = staging.resolve(name).normalize();
          if (!to.startsWith(staging)) {
            throw new IOException("entry outside the distribution: " + name);
          }
          Files.createDirectories(to.getParent());
          if (e.isLink()) {
            Files.copy(staging.resolve(e.getLinkName()), to, StandardCopyOption.REPLACE_EXISTING);
          } else if (e.isFile()) {
            Files.copy(tar, to, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      Path home = staging.resolve(NAME);
      // The link targets of other plugins were only needed to copy from.
      try (Stream<Path> plugins = Files.list(home.resolve("plugin"))) {
        for (Path p : plugins.toList()) {
          if (!p.getFileName().toString().equals("delta-lake")) {
            deleteRecursively(p);
          }
        }
      }
      Files.writeString(home.resolve(COMPLETE), NAME + "\n");
      Path finalHome = cache.resolve(NAME);
      deleteRecursively(finalHome);
      Files.move(home, finalHome, StandardCopyOption.ATOMIC_MOVE);
      deleteRecursively(staging);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot extract " + tarball + ": " + e.getMessage() + " (into " + cache + ")", e);
    }
  }

  private static boolean wanted(String name) {
    return WANTED.stream().anyMatch(name::startsWith) && !name.startsWith(UNUSED);
  }

  private static TarArchiveInputStream open(Path tarball) throws IOException {
    return new TarArchiveInputStream(new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarball), 1 << 16),
        1 << 16));
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The Java 24+ installation Trino runs on; see {@link TrinoServer}. */
  static Optional<Path> javaHome(Map<String, String> env) {
    if (env.containsKey("CXLAKE_TRINO_JAVA_HOME")) {
      Path given = Path.of(env.get("CXLAKE_TRINO_JAVA_HOME"));
      if (javaMajor(given).orElse(0) < 24) {
        throw new IllegalArgumentException("Cannot start the SQL endpoint: CXLAKE_TRINO_JAVA_HOME is not a Java 24 or "
            + "newer installation (" + given + ")");
      }
      return Optional.of(given);
    }
    Path temurin = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    if (javaMajor(temurin).orElse(0) >= 24) {
      return Optional.of(temurin);
    }
    Optional<Path> best = Optional.empty();
    int bestMajor = 23;
    for (Path dir : List.of(Path.of("/usr/lib/jvm"), Path.of("/Library/Java/JavaVirtualMachines"))) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> jdks = Files.list(dir)) {
        for (Path jdk : jdks.toList()) {
          Path home = Files.isDirectory(jdk.resolve("Contents/Home")) ? jdk.resolve("Contents/Home") : jdk;
          int major = javaMajor(home).orElse(0);
          if (major > bestMajor) {
            bestMajor = major;
            best = Optional.of(home);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot list Java installations: " + e.getMessage() + " (" + dir + ")", e);
      }
    }
    if (best.isEmpty() && env.containsKey("JAVA_HOME") && javaMajor(Path.of(env.get("JAVA_HOME"))).orElse(0) >= 24) {
      best = Optional.of(Path.of(env.get("JAVA_HOME")));
    }
    return best;
  }

  /** The major version in a Java installation's {@code release} file. */
  static Optional<Integer> javaMajor(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
      return Optional.empty();
    }
    try {
      for (String line : Files.readAllLines(release)) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          String major = v.startsWith("1.") ? v.substring(2).split("\\.")[0] : v.split("[.+-]")[0];
          return Optional.of(Integer.parseInt(major));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
