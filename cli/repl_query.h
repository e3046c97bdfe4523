// Ad hoc SELECT in `fsql repl`: runs the query as a job against Kafka and
// prints its changelog in tableau form while the rows arrive.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "compiler/planner/planner.h"

namespace fsql::cli {

struct QuerySettings {
  int64_t max_rows = 0;  // stop after this many rows; 0 means no limit
  int max_column_width = 30;
  std::string max_rows_source;  // how the limit was set, for the closing message
};

/// Runs `query` (a RulePlan without a sink table) until Ctrl-C, the row limit
/// or a failure, printing each row to `out`. A query that reads no table, such
/// as SELECT 1, ends after its rows. Each source table is read in a consumer
/// group of its own named after `group_prefix`, so the query never takes
/// partitions from a running job. Returns false when the query failed, after
/// printing the error to `err`. Throws Error when the query cannot start.
bool RunQuery(const RulePlan& query, const std::string& group_prefix, const QuerySettings& settings,
              std::ostream& out, std::ostream& err);

/// Throws Error naming the first table `pipeline` reads or writes that has no
/// 'properties.bootstrap.servers', with the ways to give it one.
void RequireBootstrapServers(const Pipeline& pipeline);

}  // namespace fsql::cli
