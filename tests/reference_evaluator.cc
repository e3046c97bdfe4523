#include "tests/reference_evaluator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "runtime/types/decimal.h"

namespace fsql::testing {
namespace {

/// One row of an intermediate result, with what the late-row checks need.
struct Tuple {
  std::vector<Value> values;
  int64_t processing_time = 0;
  // The watermark of the operator that consumes this row, when the row reaches
  // it. Exact on a path of one source through Calc and window TVFs, because
  // those forward the source's watermark unchanged.
  std::optional<int64_t> watermark;
  // Otherwise an upper bound of it: after a UNION the watermark is the minimum
  // over the inputs, so the row's own source watermark bounds it from above.
  std::optional<int64_t> watermark_bound;
};

using Relation = std::vector<Tuple>;

int64_t FloorMod(int64_t a, int64_t b) { return ((a % b) + b) % b; }

std::vector<Value> Concat(const std::vector<Value>& left, const std::vector<Value>& right) {
  std::vector<Value> out = left;
  out.insert(out.end(), right.begin(), right.end());
  return out;
}

class Evaluator {
 public:
  explicit Evaluator(const std::vector<ReferenceRecord>& records) : records_(records) {
    for (const auto& record : records) any_watermark_ = any_watermark_ || record.watermark != kNoTime;
  }

  Relation Evaluate(const PlanNode& node) {
    switch (node.kind) {
      case PlanKind::kScan: return Scan(node);
      case PlanKind::kValues: return Values(node);
      case PlanKind::kCalc: return Calc(node);
      case PlanKind::kUnion: return Union(node);
      case PlanKind::kJoin:
      case PlanKind::kWindowJoin: return Join(node);
      case PlanKind::kIntervalJoin: return IntervalJoin(node);
      case PlanKind::kTemporalJoin: return TemporalJoin(node);
      case PlanKind::kGroupAggregate: return GroupAggregate(node, Evaluate(*node.inputs[0]));
      case PlanKind::kWindowTvf: return WindowTvf(node);
      case PlanKind::kWindowAggregate: return WindowAggregate(node);
      case PlanKind::kOverAggregate: return OverAggregate(node);
      case PlanKind::kRank: return Rank(node);
      case PlanKind::kSetOperation: return SetOperation(node);
      case PlanKind::kLimit: return Limit(node);
      case PlanKind::kTemporalSort: return TemporalSort(node);
      case PlanKind::kUnnest: return Unnest(node);
      case PlanKind::kRowNumber:
      case PlanKind::kMatchRecognize: break;
    }
    throw ReferenceSkip{fmt::format("plan node {} is not modelled", static_cast<int>(node.kind))};
  }

 private:
  static Row ToRow(const std::vector<Value>& values, const std::vector<DataType>& types) {
    RowBuilder builder(static_cast<uint32_t>(types.size()));
    for (size_t i = 0; i < types.size(); ++i) builder.SetValue(static_cast<uint32_t>(i), types[i], values[i]);
    return builder.Finish(RowKind::kInsert);
  }

  static Value Eval(const Expr& expr, const std::vector<Value>& values, const std::vector<DataType>& types,
                    int64_t processing_time) {
    Row row = ToRow(values, types);
    return fsql::Evaluate(expr, row.view(), EvalContext{processing_time});
  }

  /// Throws ReferenceSkip when the row may have reached a watermark-driven
  /// operator after `time` was complete, but the evaluator cannot tell.
  /// Returns whether it certainly did, in which case the engine drops it.
  bool IsLate(const Tuple& tuple, int64_t time, const char* operator_name) const {
    if (tuple.watermark) return time <= *tuple.watermark;
    if (!any_watermark_) return false;
    if (tuple.watermark_bound && time > *tuple.watermark_bound) return false;
    throw ReferenceSkip{fmt::format("late rows: a row may be behind the watermark at the {}", operator_name)};
  }

  /// Reads the scanned table: every row of an append table in arrival order,
  /// else the final table that the changelog leaves.
  Relation Scan(const PlanNode& node) {
    const TableDefinition& table = *node.table;
    std::vector<DataType> types = table.ColumnTypes();
    if (types.size() != node.schema.size()) throw ReferenceSkip{"a scan whose schema is not the table's columns"};
    Relation out;
    std::vector<int> key = table.PrimaryKeyIndexes();
    for (const auto& record : records_) {
      if (record.table != table.name) continue;
      for (const Row& row : record.rows) {
        Tuple tuple{RowToValues(row.view(), types), record.record_time, record.watermark, std::nullopt};
        if (table.changelog_mode == ChangelogMode::kAppend) {
          out.push_back(std::move(tuple));
        } else if (table.changelog_mode == ChangelogMode::kUpsert) {
          // The final table has the last row of each primary key; a tombstone removes the key.
          auto same_key = [&](const Tuple& other) {
            for (int k : key) {
              if (!ValuesEqual(other.values[k], tuple.values[k])) return false;
            }
            return true;
          };
          auto it = std::find_if(out.begin(), out.end(), same_key);
          if (it != out.end()) out.erase(it);
          if (IsAccumulate(row.kind())) out.push_back(std::move(tuple));
        } else {
          ApplyRetraction(row.kind(), std::move(tuple), node.schema, out);
        }
      }
    }
    return out;
  }

  /// Applies one row of a retract changelog to `table`. A -U or -D removes an
  /// equal row. The comparison leaves out `$rowtime`, because a Debezium
  /// update's -U carries the time of the update, not of the row it replaces.
  static void ApplyRetraction(RowKind kind, Tuple tuple, const std::vector<PlanField>& schema, Relation& table) {
    if (IsAccumulate(kind)) {
      table.push_back(std::move(tuple));
      return;
    }
    auto equal = [&](const Tuple& other) {
      for (size_t i = 0; i < schema.size(); ++i) {
        if (!schema[i].hidden && !ValuesEqual(other.values[i], tuple.values[i])) return false;
      }
      return true;
    };
    auto it = std::find_if(table.begin(), table.end(), equal);
    if (it == table.end()) throw ReferenceSkip{"a retraction of a row the table does not contain"};
    table.erase(it);
  }

  Relation Values(const PlanNode& node) {
    Relation out;
    for (const auto& row : node.values) {
      Tuple tuple;
      for (const auto& expr : row) tuple.values.push_back(fsql::Evaluate(*expr, RowView(), EvalContext{}));
      tuple.watermark = kNoTime;
      out.push_back(std::move(tuple));
    }
    return out;
  }

  Relation Calc(const PlanNode& node) {
    std::vector<DataType> types = node.inputs[0]->Types();
    Relation out;
    for (Tuple& tuple : Evaluate(*node.inputs[0])) {
      if (node.filter && !IsTrue(Eval(*node.filter, tuple.values, types, tuple.processing_time))) continue;
      std::vector<Value> values;
      for (const auto& projection : node.projections) {
        values.push_back(Eval(*projection, tuple.values, types, tuple.processing_time));
      }
      tuple.values = std::move(values);
      out.push_back(std::move(tuple));
    }
    return out;
  }

  Relation Union(const PlanNode& node) {
    Relation out;
    for (const auto& input : node.inputs) {
      for (Tuple& tuple : Evaluate(*input)) {
        if (tuple.watermark) tuple.watermark_bound = tuple.watermark;
        tuple.watermark.reset();
        out.push_back(std::move(tuple));
      }
    }
    return out;
  }

  /// Computes UNION, INTERSECT and EXCEPT by their SQL definitions over whole inputs: a row appears once in UNION and
  /// INTERSECT when its inputs have it, and INTERSECT ALL / EXCEPT ALL keep
  /// min(l, r) and max(l - r, 0) copies.
  Relation SetOperation(const PlanNode& node) {
    const std::vector<PlanField>& schema = node.schema;
    std::map<std::string, std::pair<Tuple, std::pair<int64_t, int64_t>>> counts;
    for (size_t side = 0; side < 2; ++side) {
      for (Tuple& tuple : Evaluate(*node.inputs[side])) {
        std::string key;
        for (size_t i = 0; i < schema.size(); ++i) key += tuple.values[i].ToString(schema[i].type) + "\x1f";
        auto& entry = counts.try_emplace(key, tuple, std::make_pair(0, 0)).first->second;
        (side == 0 ? entry.second.first : entry.second.second) += 1;
      }
    }
    Relation out;
    for (auto& [key, entry] : counts) {
      auto [left, right] = entry.second;
      int64_t copies = 0;
      if (node.set_operation == "UNION") copies = left + right > 0 ? 1 : 0;
      if (node.set_operation == "INTERSECT") copies = node.set_all ? std::min(left, right) : (left > 0 && right > 0);
      if (node.set_operation == "EXCEPT") copies = node.set_all ? std::max<int64_t>(left - right, 0) : (left > 0 && right == 0);
      for (int64_t i = 0; i < copies; ++i) out.push_back(entry.first);
    }
    return out;
  }

  /// Repeats each row once per element of its collection, by the definition of UNNEST.
  Relation Unnest(const PlanNode& node) {
    std::vector<DataType> types = node.inputs[0]->Types();
    size_t width = node.inputs[0]->schema.size();
    size_t element_width = node.schema.size() - width - (node.with_ordinality ? 1 : 0);
    Relation out;
    for (Tuple& tuple : Evaluate(*node.inputs[0])) {
      Value collection = Eval(*node.unnest, tuple.values, types, tuple.processing_time);
      std::vector<std::vector<Value>> elements;
      if (!collection.is_null()) {
        const DataType& type = node.unnest->type;
        if (type.id == TypeId::kArray) {
          for (const Value& element : collection.as_array().elements) {
            if (element_width > 1) {
              elements.push_back(element.is_null() ? std::vector<Value>(element_width) : element.as_row());
            } else {
              elements.push_back({element});
            }
          }
        } else if (type.id == TypeId::kMap) {
          const MapValues& map = collection.as_map();
          for (size_t i = 0; i < map.keys.size(); ++i) elements.push_back({map.keys[i], map.values[i]});
        } else {
          const MapValues& counts = collection.as_map();
          for (size_t i = 0; i < counts.keys.size(); ++i) {
            for (int64_t c = 0; c < counts.values[i].as_int(); ++c) elements.push_back({counts.keys[i]});
          }
        }
      }
      bool padded = elements.empty() && node.keep_empty;
      if (padded) elements.push_back(std::vector<Value>(element_width));
      for (size_t e = 0; e < elements.size(); ++e) {
        Tuple joined = tuple;
        for (Value& value : elements[e]) joined.values.push_back(value);
        if (node.with_ordinality) joined.values.push_back(padded ? Value::Null() : Value::Int(static_cast<int64_t>(e) + 1));
        out.push_back(std::move(joined));
      }
    }
    return out;
  }

  /// Keeps the rows at positions offset .. offset + limit - 1 in arrival order.
  Relation Limit(const PlanNode& node) {
    Relation all = Evaluate(*node.inputs[0]);
    Relation out;
    for (size_t i = 0; i < all.size(); ++i) {
      auto position = static_cast<int64_t>(i);
      if (position >= node.offset && position - node.offset < node.limit) out.push_back(std::move(all[i]));
    }
    return out;
  }

  /// Drops late rows: a sort changes only the order, which the multiset comparison ignores, but
  /// rows behind the watermark are dropped, as the engine drops them.
  Relation TemporalSort(const PlanNode& node) {
    Relation out;
    for (Tuple& tuple : Evaluate(*node.inputs[0])) {
      const Value& time = tuple.values[node.order_column];
      if (time.is_null() || IsLate(tuple, time.as_int(), "temporal sort")) continue;
      out.push_back(std::move(tuple));
    }
    return out;
  }

  /// Checks the equi-join keys of a pair. A NULL key never matches.
  static bool KeysMatch(const PlanNode& node, const Tuple& left, const Tuple& right) {
    for (size_t i = 0; i < node.left_keys.size(); ++i) {
      const Value& a = left.values[node.left_keys[i]];
      const Value& b = right.values[node.right_keys[i]];
      if (a.is_null() || b.is_null() || CompareValues(a, b) != 0) return false;
    }
    return true;
  }

  bool ConditionHolds(const PlanNode& node, const std::vector<Value>& joined, const std::vector<DataType>& types,
                      int64_t processing_time) const {
    return !node.join_condition || IsTrue(Eval(*node.join_condition, joined, types, processing_time));
  }

  static Tuple Joined(std::vector<Value> values, int64_t processing_time) {
    Tuple out;
    out.values = std::move(values);
    out.processing_time = processing_time;
    return out;
  }

  Relation Join(const PlanNode& node) {
    Relation left = Evaluate(*node.inputs[0]);
    Relation right = Evaluate(*node.inputs[1]);
    size_t left_width = node.inputs[0]->schema.size();
    size_t right_width = node.inputs[1]->schema.size();
    std::vector<DataType> types = node.Types();
    std::vector<bool> right_matched(right.size(), false);
    Relation out;
    for (const Tuple& l : left) {
      bool matched = false;
      for (size_t r = 0; r < right.size(); ++r) {
        if (!KeysMatch(node, l, right[r])) continue;
        std::vector<Value> joined = Concat(l.values, right[r].values);
        int64_t processing_time = std::max(l.processing_time, right[r].processing_time);
        if (!ConditionHolds(node, joined, types, processing_time)) continue;
        matched = true;
        right_matched[r] = true;
        out.push_back(Joined(std::move(joined), processing_time));
      }
      if (!matched && (node.join_type == JoinType::kLeft || node.join_type == JoinType::kFull)) {
        out.push_back(Joined(Concat(l.values, std::vector<Value>(right_width)), l.processing_time));
      }
    }
    if (node.join_type == JoinType::kRight || node.join_type == JoinType::kFull) {
      for (size_t r = 0; r < right.size(); ++r) {
        if (right_matched[r]) continue;
        out.push_back(Joined(Concat(std::vector<Value>(left_width), right[r].values), right[r].processing_time));
      }
    }
    return out;
  }

  /// Joins the pairs with left_time - right_time in [lower_bound, upper_bound].
  /// Without late rows the engine keeps every row that a later row could still
  /// match, so the batch result is exact. With them it depends on timing.
  Relation IntervalJoin(const PlanNode& node) {
    Relation left = Evaluate(*node.inputs[0]);
    Relation right = Evaluate(*node.inputs[1]);
    for (const Tuple& l : left) {
      if (!l.values[node.left_time].is_null()) RequireOnTimeForJoin(l, l.values[node.left_time].as_int());
    }
    for (const Tuple& r : right) {
      if (!r.values[node.right_time].is_null()) RequireOnTimeForJoin(r, r.values[node.right_time].as_int());
    }
    size_t left_width = node.inputs[0]->schema.size();
    size_t right_width = node.inputs[1]->schema.size();
    std::vector<DataType> types = node.Types();
    std::vector<bool> right_matched(right.size(), false);
    Relation out;
    for (const Tuple& l : left) {
      bool matched = false;
      for (size_t i = 0; i < right.size(); ++i) {
        const Tuple& r = right[i];
        const Value& lt = l.values[node.left_time];
        const Value& rt = r.values[node.right_time];
        if (lt.is_null() || rt.is_null() || !KeysMatch(node, l, r)) continue;
        int64_t difference = lt.as_int() - rt.as_int();
        if (difference < node.lower_bound || difference > node.upper_bound) continue;
        std::vector<Value> joined = Concat(l.values, r.values);
        int64_t processing_time = std::max(l.processing_time, r.processing_time);
        if (!ConditionHolds(node, joined, types, processing_time)) continue;
        matched = true;
        right_matched[i] = true;
        out.push_back(Joined(std::move(joined), processing_time));
      }
      bool left_outer = node.join_type == JoinType::kLeft || node.join_type == JoinType::kFull;
      if (!matched && left_outer) {
        out.push_back(Joined(Concat(l.values, std::vector<Value>(right_width)), l.processing_time));
      }
    }
    if (node.join_type == JoinType::kRight || node.join_type == JoinType::kFull) {
      for (size_t i = 0; i < right.size(); ++i) {
        if (right_matched[i]) continue;
        out.push_back(Joined(Concat(std::vector<Value>(left_width), right[i].values), right[i].processing_time));
      }
    }
    return out;
  }

  /// Skips the case when the row is behind its own source's watermark. The
  /// timed joins keep rows by the minimum watermark of both inputs, which the
  /// evaluator does not track, and the source's watermark bounds that minimum.
  void RequireOnTimeForJoin(const Tuple& tuple, int64_t time) const {
    Tuple bounded = tuple;
    if (bounded.watermark) bounded.watermark_bound = bounded.watermark;
    bounded.watermark.reset();
    IsLate(bounded, time, "join");
  }

  /// Joins each left row with the right row of its key that was current when
  /// the left row was processed: the last change of that key that arrived
  /// before it, unless that change is a deletion. The runner processes each record at
  /// its own time, so arrival order follows the times when they never
  /// decrease. The model skips inputs where times decrease, and ties between
  /// a left row and a right change, because only the file orders those.
  Relation ProcTimeTemporalJoin(const PlanNode& node) {
    const PlanNode& current = *node.inputs[1];
    if (current.kind != PlanKind::kScan) throw ReferenceSkip{"a processing-time temporal join over a non-scan right side"};
    const TableDefinition& table = *current.table;
    std::vector<DataType> right_types = table.ColumnTypes();
    int64_t previous_time = INT64_MIN;
    for (const auto& record : records_) {
      if (record.record_time < previous_time) throw ReferenceSkip{"input times that decrease, with processing time"};
      previous_time = record.record_time;
    }

    struct Change {
      std::vector<Value> values;
      int64_t time;
      bool live;
    };
    std::vector<Change> changes;  // in arrival order
    for (const auto& record : records_) {
      if (record.table != table.name) continue;
      for (const Row& row : record.rows) {
        changes.push_back(Change{RowToValues(row.view(), right_types), record.record_time, IsAccumulate(row.kind())});
      }
    }

    Relation left = Evaluate(*node.inputs[0]);
    size_t right_width = current.schema.size();
    std::vector<DataType> types = node.Types();
    Relation out;
    for (const Tuple& l : left) {
      const Change* latest = nullptr;  // the last change of the join key that arrived before the left row
      for (const Change& change : changes) {
        if (change.time == l.processing_time) {
          throw ReferenceSkip{"a right change at the same processing time as a left row"};
        }
        if (change.time > l.processing_time) continue;
        Tuple r{change.values, change.time, std::nullopt, std::nullopt};
        if (!KeysMatch(node, l, r)) continue;
        latest = &change;
      }
      bool matched = false;
      if (latest != nullptr && latest->live) {
        std::vector<Value> joined = Concat(l.values, latest->values);
        if (ConditionHolds(node, joined, types, l.processing_time)) {
          matched = true;
          out.push_back(Joined(std::move(joined), l.processing_time));
        }
      }
      if (!matched && node.join_type == JoinType::kLeft) {
        out.push_back(Joined(Concat(l.values, std::vector<Value>(right_width)), l.processing_time));
      }
    }
    return out;
  }

  /// Each left row joins the version of each right key valid at its time: the
  /// last change of that key at or before the time, unless it is a tombstone.
  Relation TemporalJoin(const PlanNode& node) {
    if (node.right_time < 0) return ProcTimeTemporalJoin(node);
    const PlanNode& versioned = *node.inputs[1];
    if (versioned.kind != PlanKind::kScan) throw ReferenceSkip{"a temporal join over a non-scan right side"};
    const TableDefinition& table = *versioned.table;
    std::vector<DataType> right_types = table.ColumnTypes();
    std::vector<int> key = table.PrimaryKeyIndexes();

    struct Change {
      std::vector<Value> values;
      int64_t time;
      bool live;
    };
    std::vector<Change> changes;  // in arrival order
    for (const auto& record : records_) {
      if (record.table != table.name) continue;
      for (const Row& row : record.rows) {
        std::vector<Value> values = RowToValues(row.view(), right_types);
        const Value& time = values[node.right_time];
        // A tombstone carries only the key, so a time column read from the value
        // is NULL and the row's event time stands in for it.
        int64_t change_time = time.is_null() ? row.event_time() : time.as_int();
        Tuple probe{values, record.record_time, record.watermark, std::nullopt};
        RequireOnTimeForJoin(probe, change_time);
        changes.push_back(Change{std::move(values), change_time, IsAccumulate(row.kind())});
      }
    }

    Relation left = Evaluate(*node.inputs[0]);
    size_t right_width = versioned.schema.size();
    std::vector<DataType> types = node.Types();
    Relation out;
    for (const Tuple& l : left) {
      const Value& as_of = l.values[node.left_time];
      if (as_of.is_null()) continue;
      RequireOnTimeForJoin(l, as_of.as_int());
      // The valid version per key; a later arrival with an equal time wins.
      std::vector<const Change*> valid;
      for (const Change& change : changes) {
        if (change.time > as_of.as_int()) continue;
        auto same_key = [&](const Change* other) {
          for (int k : key) {
            if (!ValuesEqual(other->values[k], change.values[k])) return false;
          }
          return true;
        };
        auto it = std::find_if(valid.begin(), valid.end(), same_key);
        if (it == valid.end()) {
          valid.push_back(&change);
        } else if ((*it)->time <= change.time) {
          *it = &change;
        }
      }
      bool matched = false;
      for (const Change* version : valid) {
        if (!version->live) continue;
        Tuple r{version->values, 0, std::nullopt, std::nullopt};
        if (!KeysMatch(node, l, r)) continue;
        std::vector<Value> joined = Concat(l.values, r.values);
        if (!ConditionHolds(node, joined, types, l.processing_time)) continue;
        matched = true;
        out.push_back(Joined(std::move(joined), l.processing_time));
      }
      if (!matched && node.join_type == JoinType::kLeft) {
        out.push_back(Joined(Concat(l.values, std::vector<Value>(right_width)), l.processing_time));
      }
    }
    return out;
  }

  /// Computes one aggregate over a group's rows from scratch.
  static Value Aggregate(const AggregateCall& call, const std::vector<const Tuple*>& rows,
                         const std::vector<DataType>& types) {
    int64_t row_count = 0;
    std::vector<Value> values;  // the non-NULL arguments, in arrival order
    for (const Tuple* row : rows) {
      if (call.filter && !IsTrue(Eval(*call.filter, row->values, types, row->processing_time))) continue;
      ++row_count;
      if (!call.argument) continue;
      Value value = Eval(*call.argument, row->values, types, row->processing_time);
      if (value.is_null()) continue;
      if (call.distinct && std::any_of(values.begin(), values.end(),
                                       [&](const Value& seen) { return ValuesEqual(seen, value); })) {
        continue;
      }
      values.push_back(std::move(value));
    }

    const std::string& f = call.function;
    if (f == "COUNT") return Value::Int(call.argument ? static_cast<int64_t>(values.size()) : row_count);
    if (f == "COLLECT") return Collect(values);
    if (values.empty()) return Value::Null();
    if (f == "MIN" || f == "MAX") {
      Value best = values[0];
      for (const Value& v : values) {
        int order = CompareValues(v, best);
        if (f == "MIN" ? order < 0 : order > 0) best = v;
      }
      return best;
    }
    if (f == "FIRST_VALUE") return values.front();
    if (f == "LAST_VALUE") return values.back();
    if (f == "LISTAGG") {
      std::string joined;
      for (size_t i = 0; i < values.size(); ++i) joined += (i ? call.separator : "") + values[i].as_string();
      return Value::String(joined);
    }
    if (f == "SUM" || f == "AVG") return SumOrAverage(call, values);
    if (f == "VAR_POP" || f == "VAR_SAMP" || f == "STDDEV_POP" || f == "STDDEV_SAMP") return Statistic(call, values);
    throw ReferenceSkip{fmt::format("the aggregate {} is not modelled", f)};
  }

  /// COLLECT: each distinct value with how often it occurs, smallest value first.
  static Value Collect(std::vector<Value> values) {
    std::sort(values.begin(), values.end(), [](const Value& a, const Value& b) { return CompareValues(a, b) < 0; });
    std::vector<Value> elements;
    std::vector<Value> counts;
    for (const Value& v : values) {
      if (!elements.empty() && ValuesEqual(elements.back(), v)) {
        counts.back() = Value::Int(counts.back().as_int() + 1);
      } else {
        elements.push_back(v);
        counts.push_back(Value::Int(1));
      }
    }
    return Value::Map(std::move(elements), std::move(counts));
  }

  static Value SumOrAverage(const AggregateCall& call, const std::vector<Value>& values) {
    bool average = call.function == "AVG";
    auto count = static_cast<int64_t>(values.size());
    if (call.type.id == TypeId::kDecimal) {
      Int128 sum = 0;
      int scale = values[0].as_decimal().scale;
      for (const Value& v : values) sum += v.as_decimal().unscaled;
      Int128 result = 0;
      DecimalStatus status = average
                                 ? DecimalArithmetic('/', sum, scale, count, 0, 38, call.type.scale, &result)
                                 : DecimalRescale(sum, scale, call.type.scale, 38, &result);
      return status == DecimalStatus::kOk ? Value::Decimal(result, call.type.scale) : Value::Null();
    }
    if (call.type.id == TypeId::kDouble || call.type.id == TypeId::kFloat) {
      double sum = 0;
      for (const Value& v : values) sum += v.is_double() ? v.as_double() : static_cast<double>(v.as_int());
      return Value::Double(average ? sum / static_cast<double>(count) : sum);
    }
    // Integer results wrap like Java's long, and AVG truncates like Java's division.
    uint64_t sum = 0;
    for (const Value& v : values) sum += static_cast<uint64_t>(v.as_int());
    auto signed_sum = static_cast<int64_t>(sum);
    // SUM keeps its argument's type, so it wraps at that width; AVG divides the long sum.
    return Value::Int(average ? signed_sum / count : NarrowInteger(signed_sum, call.type));
  }

  /// Computes a variance or standard deviation as Flink rewrites it:
  /// (SUM(x*x) - SUM(x)*SUM(x)/COUNT(x)) / COUNT(x), with COUNT(x) - 1 for the
  /// sample forms (NULL for one value), and the square root for STDDEV_*.
  /// Integer input keeps integer arithmetic, and its STDDEV truncates.
  static Value Statistic(const AggregateCall& call, const std::vector<Value>& values) {
    const std::string& f = call.function;
    bool sample = f == "VAR_SAMP" || f == "STDDEV_SAMP";
    bool root = f == "STDDEV_POP" || f == "STDDEV_SAMP";
    auto count = static_cast<int64_t>(values.size());
    int64_t divisor = sample ? count - 1 : count;
    if (divisor == 0) return Value::Null();
    if (values[0].is_decimal()) throw ReferenceSkip{"DECIMAL statistics are not modelled"};
    if (values[0].is_int()) {
      uint64_t sum = 0;
      uint64_t sum_of_squares = 0;
      for (const Value& v : values) {
        auto x = static_cast<uint64_t>(v.as_int());
        sum += x;
        sum_of_squares += x * x;
      }
      // Unsigned products wrap to the same bits as Java's long arithmetic.
      int64_t variance = (static_cast<int64_t>(sum_of_squares) - static_cast<int64_t>(sum * sum) / count) / divisor;
      if (!root) return Value::Int(variance);
      double deviation = std::sqrt(static_cast<double>(variance));
      return call.type.IsInteger() ? Value::Int(static_cast<int64_t>(deviation)) : Value::Double(deviation);
    }
    double sum = 0;
    double sum_of_squares = 0;
    for (const Value& v : values) {
      sum += v.as_double();
      sum_of_squares += v.as_double() * v.as_double();
    }
    double variance = (sum_of_squares - sum * sum / static_cast<double>(count)) / static_cast<double>(divisor);
    return Value::Double(root ? std::sqrt(variance) : variance);
  }

  /// Groups `input` by the node's keys (NULL keys form a group) in first-seen order.
  std::vector<std::pair<std::vector<Value>, std::vector<const Tuple*>>> Group(const PlanNode& node,
                                                                               const Relation& input) {
    std::vector<DataType> types = node.inputs[0]->Types();
    std::vector<std::pair<std::vector<Value>, std::vector<const Tuple*>>> groups;
    for (const Tuple& tuple : input) {
      std::vector<Value> key;
      for (const auto& expr : node.group_keys) key.push_back(Eval(*expr, tuple.values, types, tuple.processing_time));
      auto same = [&](const auto& group) {
        for (size_t i = 0; i < key.size(); ++i) {
          if (!ValuesEqual(group.first[i], key[i])) return false;
        }
        return true;
      };
      auto it = std::find_if(groups.begin(), groups.end(), same);
      if (it == groups.end()) {
        groups.emplace_back(std::move(key), std::vector<const Tuple*>{});
        it = groups.end() - 1;
      }
      it->second.push_back(&tuple);
    }
    return groups;
  }

  Relation GroupAggregate(const PlanNode& node, const Relation& input) {
    std::vector<DataType> types = node.inputs[0]->Types();
    auto groups = Group(node, input);
    // A batch aggregation without keys returns one row even for empty input.
    if (groups.empty() && node.group_keys.empty()) groups.emplace_back();
    Relation out;
    for (const auto& [key, rows] : groups) {
      Tuple tuple;
      tuple.values = key;
      for (const auto& call : node.aggregates) tuple.values.push_back(Aggregate(call, rows, types));
      out.push_back(std::move(tuple));
    }
    return out;
  }

  /// Appends window_start, window_end and window_time (window_end - 1 ms) for
  /// every window containing the row, aligned to the epoch plus the offset.
  /// Sessions per partition key: rows sorted by time merge while each starts
  /// no later than the previous row's time plus the gap. A row whose own session
  /// would already have closed is late, as in the engine.
  Relation SessionWindows(const PlanNode& node) {
    std::map<std::string, std::vector<Tuple>> keys;
    for (Tuple& tuple : Evaluate(*node.inputs[0])) {
      const Value& time_value = tuple.values[node.time_column];
      if (time_value.is_null()) continue;
      if (IsLate(tuple, time_value.as_int() + node.window_size - 1, "session window")) continue;
      std::string key;
      for (int column : node.partition_columns) {
        key += tuple.values[column].ToString(node.inputs[0]->schema[column].type) + "\x1f";
      }
      keys[key].push_back(std::move(tuple));
    }
    Relation out;
    for (auto& [key, tuples] : keys) {
      std::stable_sort(tuples.begin(), tuples.end(), [&](const Tuple& a, const Tuple& b) {
        return a.values[node.time_column].as_int() < b.values[node.time_column].as_int();
      });
      size_t first = 0;
      while (first < tuples.size()) {
        int64_t start = tuples[first].values[node.time_column].as_int();
        int64_t end = start + node.window_size;
        size_t last = first + 1;
        while (last < tuples.size() && tuples[last].values[node.time_column].as_int() <= end) {
          end = std::max(end, tuples[last].values[node.time_column].as_int() + node.window_size);
          ++last;
        }
        for (size_t i = first; i < last; ++i) {
          Tuple windowed = tuples[i];
          windowed.values.push_back(Value::Int(start));
          windowed.values.push_back(Value::Int(end));
          windowed.values.push_back(Value::Int(end - 1));
          out.push_back(std::move(windowed));
        }
        first = last;
      }
    }
    return out;
  }

  Relation WindowTvf(const PlanNode& node) {
    if (node.window_function == "SESSION") return SessionWindows(node);
    Relation out;
    int64_t size = node.window_size;
    int64_t slide = node.window_slide;
    for (const Tuple& tuple : Evaluate(*node.inputs[0])) {
      const Value& time_value = tuple.values[node.time_column];
      if (time_value.is_null()) continue;
      int64_t time = time_value.as_int();
      std::vector<std::pair<int64_t, int64_t>> windows;
      if (node.window_function == "TUMBLE") {
        int64_t start = time - FloorMod(time - node.window_offset, size);
        windows.emplace_back(start, start + size);
      } else if (node.window_function == "HOP") {
        int64_t last_start = time - FloorMod(time - node.window_offset, slide);
        for (int64_t start = last_start; start > time - size; start -= slide) windows.emplace_back(start, start + size);
        std::reverse(windows.begin(), windows.end());
      } else if (node.window_function == "CUMULATE") {
        int64_t start = time - FloorMod(time - node.window_offset, size);
        for (int64_t end = start + slide; end <= start + size; end += slide) {
          if (end > time) windows.emplace_back(start, end);
        }
      } else {
        throw ReferenceSkip{"the window TVF " + node.window_function + " is not modelled"};
      }
      for (const auto& [start, end] : windows) {
        Tuple windowed = tuple;
        windowed.values.push_back(Value::Int(start));
        windowed.values.push_back(Value::Int(end));
        windowed.values.push_back(Value::Int(end - 1));
        out.push_back(std::move(windowed));
      }
    }
    return out;
  }

  /// A window fires once the watermark reaches window_end - 1, so a row that
  /// arrives when the watermark is already there is dropped by the engine.
  Relation WindowAggregate(const PlanNode& node) {
    std::vector<DataType> types = node.inputs[0]->Types();
    Relation on_time_rows;
    for (Tuple& tuple : Evaluate(*node.inputs[0])) {
      Value end = Eval(*node.group_keys[node.window_end_key], tuple.values, types, tuple.processing_time);
      if (end.is_null() || IsLate(tuple, end.as_int() - 1, "window aggregation")) continue;
      on_time_rows.push_back(std::move(tuple));
    }
    return GroupAggregate(node, on_time_rows);
  }

  /// Frames in (time, arrival) order: ROWS takes the row and up to `preceding`
  /// rows before it; RANGE takes every row with time in [t - preceding, t],
  /// so rows with equal times are peers and see each other.
  Relation OverAggregate(const PlanNode& node) {
    std::vector<DataType> types = node.inputs[0]->Types();
    Relation input;
    for (Tuple& tuple : Evaluate(*node.inputs[0])) {
      const Value& time = tuple.values[node.order_column];
      if (time.is_null() || IsLate(tuple, time.as_int(), "OVER aggregation")) continue;
      input.push_back(std::move(tuple));
    }
    Relation out;
    for (const Tuple& tuple : input) {
      std::vector<const Tuple*> partition;
      for (const Tuple& other : input) {
        bool same = true;
        for (int column : node.partition_columns) same = same && ValuesEqual(other.values[column], tuple.values[column]);
        if (same) partition.push_back(&other);
      }
      auto by_time = [&](const Tuple* a, const Tuple* b) {
        return a->values[node.order_column].as_int() < b->values[node.order_column].as_int();
      };
      std::stable_sort(partition.begin(), partition.end(), by_time);
      auto position = static_cast<int64_t>(std::find(partition.begin(), partition.end(), &tuple) - partition.begin());
      int64_t time = tuple.values[node.order_column].as_int();
      std::vector<const Tuple*> frame;
      for (int64_t i = 0; i < static_cast<int64_t>(partition.size()); ++i) {
        int64_t other_time = partition[i]->values[node.order_column].as_int();
        bool in_frame = node.rows_frame
                            ? i <= position && (node.unbounded_preceding || i >= position - node.preceding)
                            : other_time <= time && (node.unbounded_preceding || other_time >= time - node.preceding);
        if (in_frame) frame.push_back(partition[i]);
      }
      Tuple result = tuple;
      for (const auto& call : node.aggregates) result.values.push_back(Aggregate(call, frame, types));
      out.push_back(std::move(result));
    }
    return out;
  }

  /// ROW_NUMBER per partition: NULLs first ascending and last descending, ties
  /// in arrival order; keeps the rows numbered up to `limit`.
  Relation Rank(const PlanNode& node) {
    Relation input = Evaluate(*node.inputs[0]);
    std::vector<std::vector<const Tuple*>> partitions;
    for (const Tuple& tuple : input) {
      auto same = [&](const std::vector<const Tuple*>& partition) {
        for (int column : node.partition_columns) {
          if (!ValuesEqual(partition[0]->values[column], tuple.values[column])) return false;
        }
        return true;
      };
      auto it = std::find_if(partitions.begin(), partitions.end(), same);
      if (it == partitions.end()) {
        partitions.push_back({&tuple});
      } else {
        it->push_back(&tuple);
      }
    }
    Relation out;
    for (auto& partition : partitions) {
      // CompareValues sorts NULLs first, so reversing it for DESC puts them last.
      auto before = [&](const Tuple* a, const Tuple* b) {
        int order = CompareValues(a->values[node.order_column], b->values[node.order_column]);
        return node.order_descending ? order > 0 : order < 0;
      };
      std::stable_sort(partition.begin(), partition.end(), before);
      for (int64_t i = 0; i < static_cast<int64_t>(partition.size()) && i < node.limit; ++i) {
        Tuple ranked = *partition[i];
        // The row number column exists whether or not the query reads it.
        ranked.values.push_back(Value::Int(i + 1));
        out.push_back(std::move(ranked));
      }
    }
    return out;
  }

  const std::vector<ReferenceRecord>& records_;
  bool any_watermark_ = false;
};

}  // namespace

std::vector<Row> EvaluateReference(const PlanNode& plan, const std::vector<ReferenceRecord>& records) {
  Evaluator evaluator(records);
  std::vector<DataType> types = plan.Types();
  std::vector<Row> out;
  for (const auto& tuple : evaluator.Evaluate(plan)) {
    RowBuilder builder(static_cast<uint32_t>(types.size()));
    for (size_t i = 0; i < types.size(); ++i) builder.SetValue(static_cast<uint32_t>(i), types[i], tuple.values[i]);
    out.push_back(builder.Finish(RowKind::kInsert));
  }
  return out;
}

}  // namespace fsql::testing
