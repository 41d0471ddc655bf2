package io.cxlake.jobs.bi;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Registers catalog entries through a running Trino (or Starburst) with SQL, in whatever metastore
 * its Delta Lake catalog uses (a Hive Metastore, AWS Glue): {@code register_table} for each table
 * not yet there, {@code CREATE OR REPLACE VIEW} for each view. The catalog must allow the procedure
 * ({@code delta.register-table-procedure.enabled=true}) and writes for the connecting user.
 */
final class TrinoRegistrar {
  private TrinoRegistrar() {}

  /** What a sync did: the tables registered, the views created or replaced, and the entries already there. */
  record Changes(List<String> registered, int views, int unchanged) {}

  /**
   * Registers the entries in the catalog of the JDBC URL ({@code jdbc:trino://host:port/catalog}).
   *
   * @param user the Trino user to connect as
   */
  static Changes register(String url, String user, CatalogEntries.Entries entries) {
    Properties props = new Properties();
    props.setProperty("user", user);
    try (Connection c = DriverManager.getConnection(url, props); Statement s = c.createStatement()) {
      String catalog = c.getCatalog();
      if (catalog == null || catalog.isBlank()) {
        throw new IllegalArgumentException("Cannot register tables in Trino: the URL names no catalog, e.g. "
            + "jdbc:trino://host:8080/lake (" + url + ")");
      }
      Set<String> schemas = new HashSet<>();
      entries.tables().forEach(t -> schemas.add(t.schema()));
      entries.views().forEach(v -> schemas.add(v.schema()));
      for (String schema : schemas) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + quote(catalog) + "." + quote(schema));
      }
      Set<String> existing = new HashSet<>();
      try (ResultSet r = s.executeQuery("SELECT table_schema || '.' || table_name FROM " + quote(catalog)
          + ".information_schema.tables")) {
        while (r.next()) {
          existing.add(r.getString(1));
        }
      }
      List<String> registered = new ArrayList<>();
      int unchanged = 0;
      // Trino's CALL takes no bind parameters: the values go in as escaped literals.
      for (CatalogEntries.Table t : entries.tables()) {
        if (existing.contains(t.schema() + "." + t.name())) {
          unchanged++;
          continue;
        }
        s.execute("CALL " + quote(catalog) + ".system.register_table(schema_name => " + literal(t.schema())
            + ", table_name => " + literal(t.name()) + ", table_location => "
            + literal(FileMetastore.trinoLocation(t.location())) + ")");
        registered.add(t.schema() + "." + t.name());
      }
      java.util.Map<String, String> views = new java.util.HashMap<>();
      try (ResultSet r = s.executeQuery("SELECT table_schema || '.' || table_name, view_definition FROM "
          + quote(catalog) + ".information_schema.views")) {
        while (r.next()) {
          views.put(r.getString(1), r.getString(2));
        }
      }
      int replaced = 0;
      for (CatalogEntries.View v : entries.views()) {
        if (sameQuery(v.sql(), views.get(v.schema() + "." + v.name()))) {
          unchanged++;
          continue;
        }
        replaced++;
        String name = quote(catalog) + "." + quote(v.schema()) + "." + quote(v.name());
        // The view keeps the session's catalog, in which its schema-qualified tables resolve.
        s.execute("CREATE OR REPLACE VIEW " + name + " COMMENT " + literal(v.comment()) + " SECURITY INVOKER AS "
            + v.sql());
        for (CatalogEntries.Column col : v.columns()) {
          if (col.comment() != null) {
            s.execute("COMMENT ON COLUMN " + name + "." + quote(col.name()) + " IS " + literal(col.comment()));
          }
        }
      }
      return new Changes(registered, replaced, unchanged);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot register tables in Trino: " + e.getMessage() + " (" + url + ")", e);
    }
  }

  /**
   * Whether a stored view holds our query: Trino keeps it reformatted (line breaks, parentheses), so
   * the two are compared without white space and parentheses.
   */
  static boolean sameQuery(String ours, String stored) {
    return stored != null && ours.replaceAll("[\\s()]", "").equals(stored.replaceAll("[\\s()]", ""));
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
