package io.cxlake.common.spark;

import java.util.List;
import scala.collection.immutable.Seq;

/** Join keys as the Scala sequence {@code Dataset.join(right, usingColumns, joinType)} takes from Java. */
public final class Joins {
  private Joins() {}

  /** The using-columns of an equi-join that keeps one copy of each key column. */
  public static Seq<String> on(String... columns) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(columns)).toList();
  }
}
