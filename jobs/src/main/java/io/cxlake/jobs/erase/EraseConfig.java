package io.cxlake.jobs.erase;

import io.cxlake.common.catalog.TableCatalog;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one erasure.
 *
 * @param catalog the warehouse
 * @param customerIds the customers to erase (as in customers.customer_id), at least one
 * @param vacuum also remove the files that still hold them ({@code --vacuum})
 * @param retentionHours VACUUM keeps files of the last this many hours; 0 also drops the tables'
 *     Delta history ({@code privacy.vacuum-retention-hours})
 * @param secret the pseudonymization secret ({@code privacy.hash-salt})
 */
public record EraseConfig(TableCatalog catalog, List<String> customerIds, boolean vacuum, int retentionHours,
    String secret) {
  public EraseConfig {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(secret, "secret");
    customerIds = customerIds.stream().map(String::strip).filter(id -> !id.isEmpty()).distinct().toList();
    if (customerIds.isEmpty()) {
      throw new IllegalArgumentException("Cannot erase: no customer id given (--customer-id or --ids-file)");
    }
    if (retentionHours < 0) {
      throw new IllegalArgumentException(
          "Cannot configure privacy.vacuum-retention-hours: must be 0 or more (" + retentionHours + ")");
    }
  }
}
