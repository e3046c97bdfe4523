// MATCH_RECOGNIZE: buffering by partition until the watermark, then a
// backtracking search for the preferred match at the first buffered row.
#include "runtime/operators/match_recognize.h"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>

#include "runtime/common/error.h"
#include "runtime/common/logging.h"

namespace fsql {

namespace {

/// A row of a (partial) match: its position in the partition's buffer and its variable.
struct MatchedRow {
  size_t position = 0;
  int variable = 0;
};

enum class Outcome {
  kMatch,      // the preferred match is complete
  kNoMatch,    // no match starts at the first buffered row
  kUndecided,  // a preferred branch needs a row that has not been released yet
};

/// One step of the depth-first search: factor `factor` has matched `count`
/// rows and the next row to map is `position`.
struct SearchFrame {
  size_t factor = 0;
  int64_t count = 0;
  size_t position = 0;
  // The factor's choices in order of preference: a greedy factor maps the next
  // row to each alternative and then stops, a reluctant one the other way round.
  // It counts up to the number of alternatives, where the frame is exhausted.
  int next_choice = 0;
  bool mapped_row = false;     // the frame was entered by mapping a row, which leaving it unmaps
};

/// The search for a match at the first buffered row of a partition. It is kept
/// while the outcome is undecided, so released rows continue the search where
/// it stopped instead of starting over.
struct Search {
  std::vector<SearchFrame> frames;
  std::vector<MatchedRow> sequence;  // the rows mapped so far, in order
  // The aggregate navigations' values after each row of `sequence`, so a
  // condition such as SUM(A.x) < 10 needs no pass over the match. Each entry
  // is a copy of the previous one plus the row, which keeps the results exact
  // where retracting a DOUBLE would not.
  // NOTE: MIN, MAX, FIRST_VALUE, LAST_VALUE and LISTAGG keep their values, so
  // copying them makes a long match cost time and memory quadratic in its length.
  std::vector<std::vector<RetractableAccumulator>> totals;
};

/// The input of navigations: the partition's released rows, the rows of the
/// match so far and the running aggregates.
struct MatchView {
  const std::deque<Row>& rows;
  const std::vector<MatchedRow>& sequence;
  const std::vector<std::vector<RetractableAccumulator>>& totals;  // empty when the spec has no aggregate
  const std::vector<int>& aggregate_slots;  // by navigation: its index in a `totals` entry, or -1
};

/// The spec with the indexes the search needs, computed once.
struct MatchPlan {
  explicit MatchPlan(MatchRecognizeSpec s) : spec(std::move(s)) {
    for (size_t n = 0; n < spec.navigations.size(); ++n) {
      bool aggregate = spec.navigations[n].kind == MatchNavigation::Kind::kAggregate;
      aggregate_slots.push_back(aggregate ? static_cast<int>(aggregate_navigations.size()) : -1);
      if (aggregate) aggregate_navigations.push_back(static_cast<int>(n));
    }
    for (const ExprPtr& condition : spec.conditions) condition_navigations.push_back(UsedNavigations(condition.get()));
    std::set<int> used_by_measures;
    for (const ExprPtr& measure : spec.measures) {
      std::vector<int> used = UsedNavigations(measure.get());
      used_by_measures.insert(used.begin(), used.end());
    }
    measure_navigations.assign(used_by_measures.begin(), used_by_measures.end());
  }

  /// Returns the navigations that `expr` reads, found as references past the input columns.
  std::vector<int> UsedNavigations(const Expr* expr) const {
    std::set<int> used;
    std::vector<const Expr*> stack;
    if (expr != nullptr) stack.push_back(expr);
    int width = static_cast<int>(spec.input_types.size());
    while (!stack.empty()) {
      const Expr* e = stack.back();
      stack.pop_back();
      if (e->kind == ExprKind::kInputRef && e->index >= width) used.insert(e->index - width);
      for (const auto& arg : e->args) stack.push_back(arg.get());
    }
    return {used.begin(), used.end()};
  }

  MatchRecognizeSpec spec;
  std::vector<std::vector<int>> condition_navigations;  // by variable, sorted
  std::vector<int> measure_navigations;                 // sorted
  std::vector<int> aggregate_navigations;               // the navigations that are aggregates
  std::vector<int> aggregate_slots;  // by navigation: its index in aggregate_navigations, or -1
};

}  // namespace

struct MatchRecognizeOperator::State {
  struct Partition {
    std::multimap<int64_t, Row> pending;  // rows ahead of the watermark, by time
    std::deque<Row> rows;  // released rows in match order; a match attempt starts at rows[0]
    Search search;         // the undecided search at rows[0]; empty when none is under way
    std::optional<int64_t> hold;  // the time of rows[0] while a search waits there, as kept in `holds`
  };

  explicit State(MatchRecognizeSpec s)
      : plan(std::move(s)),
        evaluation_builder(static_cast<uint32_t>(plan.spec.input_types.size() + plan.spec.navigations.size())),
        output_builder(static_cast<uint32_t>(plan.spec.partition_columns.size() + plan.spec.measures.size())) {}

  MatchPlan plan;
  KeyMap<Partition> partitions;
  // When partitions must be looked at again: at a pending row's time, and when
  // the watermark rules out rows that could extend an undecided match.
  std::map<int64_t, std::set<std::string>> timers;
  int64_t watermark = kNoTime;
  // The times of the rows where undecided searches wait. A match found later
  // ends at or after its first row, so the output watermark stays below them.
  std::multiset<int64_t> holds;
  RowBuilder evaluation_builder;
  RowBuilder output_builder;
};

namespace {

Value ArgumentOf(const MatchNavigation& navigation, const Row& row, const EvalContext& context) {
  return navigation.argument ? Evaluate(*navigation.argument, row.view(), context) : Value();
}

Value Navigate(const MatchRecognizeSpec& spec, size_t index, const MatchView& match, const EvalContext& context) {
  const MatchNavigation& navigation = spec.navigations[index];
  const std::deque<Row>& rows = match.rows;
  const std::vector<MatchedRow>& sequence = match.sequence;
  auto mapped = [&](size_t i) { return navigation.variable < 0 || sequence[i].variable == navigation.variable; };
  auto offset = static_cast<size_t>(navigation.offset);
  // LAST, FIRST and PREV walk only as far as their offset needs, so a
  // condition on the row being tested costs the same however long the match is.
  switch (navigation.kind) {
    case MatchNavigation::Kind::kLast:
    case MatchNavigation::Kind::kPrev: {
      size_t skip = navigation.kind == MatchNavigation::Kind::kLast ? offset : 0;
      for (size_t i = sequence.size(); i-- > 0;) {
        if (!mapped(i) || skip-- > 0) continue;
        if (navigation.kind == MatchNavigation::Kind::kLast) {
          return ArgumentOf(navigation, rows[sequence[i].position], context);
        }
        // PREV counts rows of the match before the variable's last row, as in
        // Flink, which reaches no row before the match.
        if (offset > i) return Value::Null();
        return ArgumentOf(navigation, rows[sequence[i - offset].position], context);
      }
      return Value::Null();
    }
    case MatchNavigation::Kind::kFirst: {
      size_t skip = offset;
      for (size_t i = 0; i < sequence.size(); ++i) {
        if (mapped(i) && skip-- == 0) return ArgumentOf(navigation, rows[sequence[i].position], context);
      }
      return Value::Null();
    }
    case MatchNavigation::Kind::kAggregate:
      return match.totals.back()[static_cast<size_t>(match.aggregate_slots[index])].Result();
    case MatchNavigation::Kind::kMatchRowtime:
      return Value::Int(rows[sequence.back().position].view().GetInt(static_cast<uint32_t>(spec.time_column)));
    case MatchNavigation::Kind::kClassifier:
      return Value::String(spec.variables[static_cast<size_t>(sequence.back().variable)]);
    case MatchNavigation::Kind::kProctime:
      return Value::Int(context.processing_time_ms);
  }
  return Value::Null();
}

/// Builds the row that conditions and measures read: the last row of
/// `sequence`, then the values of the navigations in `used` (others NULL).
Row BuildEvaluationRow(const MatchRecognizeSpec& spec, const MatchView& match, const std::vector<int>& used,
                       RowBuilder& builder, const EvalContext& context) {
  const Row& current = match.rows[match.sequence.back().position];
  RowView view = current.view();
  const uint32_t width = static_cast<uint32_t>(spec.input_types.size());
  builder.CopyColumns(0, view, spec.input_types);
  // Setting a value does not clear a NULL bit, so each column is written exactly once.
  auto next_used = used.begin();
  for (size_t n = 0; n < spec.navigations.size(); ++n) {
    auto column = width + static_cast<uint32_t>(n);
    if (next_used == used.end() || *next_used != static_cast<int>(n)) {
      builder.SetNull(column);
      continue;
    }
    ++next_used;
    builder.SetValue(column, spec.navigations[n].type, Navigate(spec, n, match, context));
  }
  return builder.Finish(RowKind::kInsert, current.event_time());
}

/// Searches for the preferred match that starts at rows[0] of one partition,
/// depth-first in the order of preference, continuing a search kept from
/// earlier calls.
///
/// NOTE: quantified neighbours that accept the same rows, as in A* A* B, can make the
/// backtracking exponential.
class Matcher {
 public:
  Matcher(const MatchPlan& plan, const std::deque<Row>& rows, bool rows_complete, RowBuilder& builder,
          const EvalContext& context, Search& search)
      : spec_(plan.spec),
        plan_(plan),
        rows_(rows),
        rows_complete_(rows_complete),
        builder_(builder),
        context_(context),
        search_(search) {}

  /// Continues the search. On kMatch the search's sequence is the match.
  Outcome Run() {
    std::vector<SearchFrame>& frames = search_.frames;
    if (frames.empty()) frames.push_back(SearchFrame{});
    while (!frames.empty()) {
      SearchFrame& frame = frames.back();
      if (frame.factor == spec_.pattern.size()) return Outcome::kMatch;
      const MatchPatternFactor& factor = spec_.pattern[frame.factor];
      const int alternatives = static_cast<int>(factor.variables.size());
      if (frame.next_choice > alternatives) {
        if (frame.mapped_row) UnmapLastRow();
        frames.pop_back();
        continue;
      }
      bool extend = factor.reluctant ? frame.next_choice > 0 : frame.next_choice < alternatives;
      int alternative = factor.reluctant ? frame.next_choice - 1 : frame.next_choice;
      if (extend && frame.position == rows_.size() && (factor.max < 0 || frame.count < factor.max) &&
          !rows_complete_) {
        // This choice needs the next row; everything preferred to it has failed.
        return Outcome::kUndecided;
      }
      ++frame.next_choice;
      if (extend) {
        Extend(frame, factor.variables[static_cast<size_t>(alternative)]);
      } else if (frame.count >= factor.min) {
        frames.push_back(SearchFrame{frame.factor + 1, 0, frame.position, 0, false});
      }
    }
    return Outcome::kNoMatch;
  }

 private:
  int64_t TimeOf(size_t position) const {
    return rows_[position].view().GetInt(static_cast<uint32_t>(spec_.time_column));
  }

  /// Maps the frame's next row to `variable`, one of its factor's variables,
  /// when the quantifier, WITHIN and the variable's condition allow it, and
  /// continues after it.
  void Extend(const SearchFrame& frame, int variable) {
    const MatchPatternFactor& factor = spec_.pattern[frame.factor];
    if (factor.max >= 0 && frame.count >= factor.max) return;
    if (frame.position == rows_.size()) return;  // the input is complete
    if (spec_.within_ms >= 0 && TimeOf(frame.position) - TimeOf(0) >= spec_.within_ms) return;
    MapRow(frame.position, variable);
    if (!Accepts(variable)) {
      UnmapLastRow();
      return;
    }
    // `frame` may move when the vector grows, so copy what the new frame needs first.
    SearchFrame next{frame.factor, frame.count + 1, frame.position + 1, 0, true};
    search_.frames.push_back(next);
  }

  void MapRow(size_t position, int variable) {
    search_.sequence.push_back(MatchedRow{position, variable});
    if (plan_.aggregate_navigations.empty()) return;
    std::vector<RetractableAccumulator> totals;
    if (search_.totals.empty()) {
      for (int n : plan_.aggregate_navigations) {
        totals.emplace_back(spec_.navigations[static_cast<size_t>(n)].aggregate);
      }
    } else {
      totals = search_.totals.back();
    }
    for (size_t slot = 0; slot < totals.size(); ++slot) {
      const MatchNavigation& navigation = spec_.navigations[static_cast<size_t>(plan_.aggregate_navigations[slot])];
      if (navigation.variable >= 0 && navigation.variable != variable) continue;
      totals[slot].Add(ArgumentOf(navigation, rows_[position], context_));
    }
    search_.totals.push_back(std::move(totals));
  }

  void UnmapLastRow() {
    search_.sequence.pop_back();
    if (!search_.totals.empty()) search_.totals.pop_back();
  }

  /// Evaluates the DEFINE condition of `variable` for the last row of the sequence.
  bool Accepts(int variable) {
    const ExprPtr& condition = spec_.conditions[static_cast<size_t>(variable)];
    if (!condition) return true;
    MatchView match{rows_, search_.sequence, search_.totals, plan_.aggregate_slots};
    Row row = BuildEvaluationRow(spec_, match, plan_.condition_navigations[static_cast<size_t>(variable)], builder_,
                                 context_);
    return IsTrue(Evaluate(*condition, row.view(), context_));
  }

  const MatchRecognizeSpec& spec_;
  const MatchPlan& plan_;
  const std::deque<Row>& rows_;
  bool rows_complete_;
  RowBuilder& builder_;
  const EvalContext& context_;
  Search& search_;
};

}  // namespace

std::string PatternToString(const MatchRecognizeSpec& spec) {
  std::vector<std::string> factors;
  for (const MatchPatternFactor& f : spec.pattern) {
    std::vector<std::string> alternatives;
    for (int variable : f.variables) alternatives.push_back(spec.variables[static_cast<size_t>(variable)]);
    std::string text = alternatives.size() == 1 ? alternatives[0]
                                                : fmt::format("({})", fmt::join(alternatives, " | "));
    if (f.min == 0 && f.max < 0) {
      text += "*";
    } else if (f.min == 1 && f.max < 0) {
      text += "+";
    } else if (f.min == 0 && f.max == 1) {
      text += "?";
    } else if (f.min == f.max && f.min != 1) {
      text += fmt::format("{{{}}}", f.min);
    } else if (f.max < 0) {
      text += fmt::format("{{{},}}", f.min);
    } else if (f.min != f.max) {
      text += fmt::format("{{{},{}}}", f.min, f.max);
    }
    if (f.reluctant) text += "?";
    factors.push_back(std::move(text));
  }
  return fmt::format("{}", fmt::join(factors, " "));
}

std::string SkipToString(const MatchRecognizeSpec& spec) {
  switch (spec.skip) {
    case MatchSkip::kPastLastRow: return "SKIP PAST LAST ROW";
    case MatchSkip::kToNextRow: return "SKIP TO NEXT ROW";
    case MatchSkip::kToFirst: return "SKIP TO FIRST " + spec.variables[static_cast<size_t>(spec.skip_variable)];
    case MatchSkip::kToLast: return "SKIP TO LAST " + spec.variables[static_cast<size_t>(spec.skip_variable)];
  }
  return "?";
}

MatchRecognizeOperator::MatchRecognizeOperator(MatchRecognizeSpec spec)
    : state_(std::make_unique<State>(std::move(spec))),
      partition_key_(state_->plan.spec.partition_columns, state_->plan.spec.input_types) {}

MatchRecognizeOperator::~MatchRecognizeOperator() = default;

bool MatchRecognizeOperator::TakeStateFrom(Operator& previous) {
  return TakeStateOf(*this, previous, &MatchRecognizeOperator::state_);
}

void MatchRecognizeOperator::SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) {
  partition_key_.Compile(mode, compiler);
}

size_t MatchRecognizeOperator::buffered_rows() const {
  size_t total = 0;
  for (const auto& [key, partition] : state_->partitions) total += partition.pending.size() + partition.rows.size();
  return total;
}

void MatchRecognizeOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  partition_key_.SwitchToCompiledCodeIfReady();
  State& s = *state_;
  const auto time_column = static_cast<uint32_t>(s.plan.spec.time_column);
  int64_t late_before = late_rows_;
  HashedKey key;
  for (Row& row : rows) {
    FSQL_CHECK(row.kind() == RowKind::kInsert, "MATCH_RECOGNIZE got a {} row", RowKindShortString(row.kind()));
    RowView view = row.view();
    // A row without a time cannot be ordered; Flink never has one, because a time attribute is NOT NULL.
    if (view.IsNull(time_column)) {
      ++late_rows_;
      continue;
    }
    int64_t time = view.GetInt(time_column);
    if (s.watermark != kNoTime && time <= s.watermark) {
      ++late_rows_;
      continue;
    }
    partition_key_.Encode(view, key);
    s.timers[time].insert(key.bytes);
    FindOrCreate(s.partitions, key).pending.emplace(time, std::move(row));
  }
  if (late_rows_ > late_before) {
    std::string watermark = s.watermark == kNoTime ? std::string("none") : FormatTimestampMillis(s.watermark, 3);
    ReportLateRows(fmt::format("rows at or before watermark {} were already released", watermark));
  }
}

void MatchRecognizeOperator::ProcessWatermark(int input, int64_t watermark) {
  State& s = *state_;
  if (s.watermark != kNoTime && watermark <= s.watermark) return;
  s.watermark = watermark;
  const MatchRecognizeSpec& spec = s.plan.spec;
  const auto& types = spec.input_types;
  auto less = [&](const Row& a, const Row& b) { return SortsBefore(a.view(), b.view(), spec.then_by, types); };

  std::set<std::string> due;
  const bool end_of_input = watermark == INT64_MAX;
  if (end_of_input) {
    // A bounded input has ended: every undecided match can be decided now.
    for (const auto& [key, partition] : s.partitions) due.insert(key);
  }
  while (!s.timers.empty() && s.timers.begin()->first <= watermark) {
    due.merge(s.timers.begin()->second);
    s.timers.erase(s.timers.begin());
  }

  std::vector<Row> out;
  for (const std::string& key : due) {
    auto found = s.partitions.find(key);
    if (found == s.partitions.end()) continue;
    State::Partition& partition = found->second;

    // Release the rows the watermark has passed, in order.
    auto end = partition.pending.upper_bound(watermark);
    for (auto it = partition.pending.begin(); it != end;) {
      auto next = partition.pending.upper_bound(it->first);
      std::vector<Row> same_time;
      for (auto at = it; at != next; ++at) same_time.push_back(std::move(at->second));
      std::stable_sort(same_time.begin(), same_time.end(), less);
      for (Row& row : same_time) partition.rows.push_back(std::move(row));
      it = next;
    }
    partition.pending.erase(partition.pending.begin(), end);

    while (!partition.rows.empty()) {
      int64_t start_time = partition.rows.front().view().GetInt(static_cast<uint32_t>(spec.time_column));
      // Every row still to come is later than the watermark; WITHIN excludes
      // them once the watermark reaches the end of the start row's interval.
      bool complete = end_of_input || (spec.within_ms >= 0 && watermark >= start_time + spec.within_ms - 1);
      Matcher matcher(s.plan, partition.rows, complete, s.evaluation_builder, context_, partition.search);
      Outcome outcome = matcher.Run();
      if (outcome == Outcome::kUndecided) {
        if (spec.within_ms >= 0) s.timers[start_time + spec.within_ms - 1].insert(key);
        break;
      }
      if (outcome == Outcome::kNoMatch) {
        partition.search = Search{};
        partition.rows.pop_front();
        continue;
      }

      Search found_match = std::move(partition.search);
      partition.search = Search{};
      const std::vector<MatchedRow>& match = found_match.sequence;
      MatchView view{partition.rows, match, found_match.totals, s.plan.aggregate_slots};
      Row evaluated = BuildEvaluationRow(spec, view, s.plan.measure_navigations, s.evaluation_builder, context_);
      RowView first = partition.rows.front().view();
      RowBuilder& builder = s.output_builder;
      uint32_t column = 0;
      for (int c : spec.partition_columns) {
        auto index = static_cast<uint32_t>(c);
        builder.SetValue(column++, types[index], first.GetValue(index, types[index]));
      }
      for (const ExprPtr& measure : spec.measures) {
        builder.SetValue(column++, measure->type, Evaluate(*measure, evaluated.view(), context_));
      }
      out.push_back(builder.Finish(RowKind::kInsert, evaluated.event_time()));

      size_t resume = 1;
      if (spec.skip == MatchSkip::kPastLastRow) {
        resume = match.back().position + 1;
      } else if (spec.skip == MatchSkip::kToFirst || spec.skip == MatchSkip::kToLast) {
        std::optional<size_t> target;
        for (const MatchedRow& row : match) {
          if (row.variable != spec.skip_variable) continue;
          if (!target || spec.skip == MatchSkip::kToLast) target = row.position;
        }
        const std::string& variable = spec.variables[static_cast<size_t>(spec.skip_variable)];
        if (!target) {
          throw Error(fmt::format("AFTER MATCH SKIP TO {} {}: no row of the match is mapped to {}",
                                  spec.skip == MatchSkip::kToFirst ? "FIRST" : "LAST", variable, variable));
        }
        if (*target == 0) {
          throw Error(fmt::format("AFTER MATCH SKIP TO {} {} would resume at the first row of the match, "
                                  "which would find the same match again",
                                  spec.skip == MatchSkip::kToFirst ? "FIRST" : "LAST", variable));
        }
        resume = *target;
      }
      partition.rows.erase(partition.rows.begin(), partition.rows.begin() + static_cast<long>(resume));
    }
    if (partition.hold) s.holds.erase(s.holds.find(*partition.hold));
    partition.hold.reset();
    if (!partition.rows.empty()) {
      partition.hold = partition.rows.front().view().GetInt(static_cast<uint32_t>(spec.time_column));
      s.holds.insert(*partition.hold);
    }
    if (partition.rows.empty() && partition.pending.empty()) s.partitions.erase(found);
  }
  Emit(out);
  // A match can be decided after the watermark passed its last row, when the
  // row that ends a greedy quantifier arrives, so the watermark waits for it.
  EmitWatermark(s.holds.empty() ? watermark : std::min(watermark, *s.holds.begin() - 1));
}

}  // namespace fsql
