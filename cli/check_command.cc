#include <algorithm>
#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "compiler/codegen/aggregate_compiler.h"
#include "compiler/codegen/calc_compiler.h"
#include "compiler/codegen/key_compiler.h"
#include "api/rule_loader.h"
#include "compiler/parser/parser.h"
#include "compiler/planner/explain.h"
#include "compiler/planner/planner.h"
#include "runtime/common/logging.h"
#include "runtime/formats/json_format.h"

namespace fsql::cli {

namespace {

/// Appends `"key": "value"` for a JSON object under construction.
void AppendField(std::string& out, const char* key, const std::string& value) {
  AppendJsonString(out, key);
  out += ": ";
  AppendJsonString(out, value);
}

/// The result of `fsql check --format json`: one object that editors and CI
/// can read without parsing the terminal rendering.
std::string CheckResultJson(const std::vector<std::string>& files, const LoadedRules& loaded,
                            const std::optional<LoadError>& error) {
  std::string out = "{\"valid\": ";
  out += error ? "false" : "true";
  out += ", \"files\": [";
  for (size_t i = 0; i < files.size(); ++i) {
    if (i > 0) out += ", ";
    AppendJsonString(out, files[i]);
  }
  out += "], \"tables\": [";
  std::vector<std::string> tables = loaded.catalog.TableNames();
  for (size_t i = 0; i < tables.size(); ++i) {
    if (i > 0) out += ", ";
    AppendJsonString(out, tables[i]);
  }
  out += "], \"rules\": [";
  for (size_t i = 0; i < loaded.rules.size(); ++i) {
    const RulePlan& rule = loaded.rules[i];
    if (i > 0) out += ", ";
    out += "{";
    AppendField(out, "name", rule.name);
    out += ", ";
    AppendField(out, "sink", rule.sink ? rule.sink->name : "");
    out += ", ";
    AppendField(out, "changelog_mode", rule.plan->changelog_mode);
    out += fmt::format(", \"line\": {}}}", rule.location.line);
  }
  out += "], \"errors\": [";
  if (error) {
    out += "{";
    AppendField(out, "file", error->location.file);
    out += fmt::format(", \"line\": {}, \"column\": {}, ", error->location.line, error->location.column);
    AppendField(out, "severity", "error");
    out += ", ";
    AppendField(out, "kind", error->not_supported ? "not_supported" : "invalid");
    out += ", ";
    AppendField(out, "message", error->message);
    out += ", ";
    AppendField(out, "hint", error->hint);
    out += ", ";
    AppendField(out, "rendered", error->rendered);
    out += "}";
  }
  out += "]}\n";
  return out;
}

}  // namespace

int Check(const std::vector<std::string>& args) {
  Arguments parsed = Arguments::Parse(args, {"format", "log-level"}, {"help"});
  SetLogLevel(parsed.Get("log-level", "info"));
  std::string format = parsed.Get("format", "text");
  if (parsed.Has("help") || parsed.positional.empty() || (format != "text" && format != "json")) {
    (parsed.Has("help") ? std::cout : std::cerr)
        << "usage: fsql check [--format text|json] [--log-level LEVEL] FILE|DIR...\n\nParses, binds and plans the rule files in order "
           "without running them, and reports\nthe first error with file:line:col, the line with a caret and a "
           "hint. With\n--format json, prints one JSON object with the tables, the rules and the errors.\nExits 0 "
           "when every file is valid, 1 when one is not, 2 on a usage error.\n";
    return parsed.Has("help") ? 0 : 2;
  }
  std::vector<std::string> files = ExpandRulePaths(parsed.positional);
  LoadedRules loaded;
  std::vector<RuleSource> sources;
  std::optional<LoadError> error = ReadRuleFiles(files, sources);
  if (!error) error = LoadRuleSources(sources, loaded);
  if (format == "json") {
    std::cout << CheckResultJson(files, loaded, error);
    return error ? 1 : 0;
  }
  if (error) {
    std::cerr << error->rendered;
    return 1;
  }
  std::cout << fmt::format("ok: {} tables, {} rules\n", loaded.catalog.TableNames().size(), loaded.rules.size());
  for (const auto& rule : loaded.rules) {
    std::cout << fmt::format("  {} -> {} ({})\n", rule.name, rule.sink->name,
                             ChangelogModeName(rule.sink->changelog_mode));
  }
  return 0;
}

namespace {

/// A key list of a plan node whose operator encodes it with compiled code.
struct NodeKey {
  std::string label;  // "key", or "left key" and "right key" of a join
  std::vector<int> columns;
  std::vector<DataType> types;  // of the input the columns index
};

/// Returns the keys that the operator built for `node` compiles, as
/// BuildPipeline sets them up. Empty for operators without keys, and for
/// group keys that are not all input columns, which keep EncodeKey.
std::vector<NodeKey> CompiledKeysOf(const PlanNode& node) {
  switch (node.kind) {
    case PlanKind::kScan:
      // An upsert source is normalized by its primary key.
      if (node.table->changelog_mode != ChangelogMode::kUpsert) return {};
      return {{"key", node.table->PrimaryKeyIndexes(), node.table->ColumnTypes()}};
    case PlanKind::kOverAggregate:
    case PlanKind::kRank:  // Top-N and window Top-N alike
      return {{"key", node.partition_columns, node.inputs[0]->Types()}};
    case PlanKind::kWindowTvf:
      // Only SESSION keeps state, so the other window TVFs have no key.
      if (node.window_function != "SESSION") return {};
      return {{"key", node.partition_columns, node.inputs[0]->Types()}};
    case PlanKind::kMatchRecognize:
      return {{"key", node.match->partition_columns, node.match->input_types}};
    case PlanKind::kSetOperation: {
      // The key of a set operation is the whole row.
      NodeKey key{"key", {}, node.inputs[0]->Types()};
      for (size_t i = 0; i < key.types.size(); ++i) key.columns.push_back(static_cast<int>(i));
      return {key};
    }
    case PlanKind::kGroupAggregate:
    case PlanKind::kWindowAggregate: {
      NodeKey key{"key", {}, node.inputs[0]->Types()};
      bool sliced = IsSlicedWindowAggregate(node);
      for (const ExprPtr& expr : node.group_keys) {
        // A sliced window aggregation reads the window bounds from its slices, not from the row.
        if (sliced && expr->kind == ExprKind::kInputRef &&
            static_cast<size_t>(expr->index) >= node.inputs[0]->inputs[0]->schema.size()) {
          continue;
        }
        // Keys that are not input columns are evaluated and encoded through a row.
        if (expr->kind != ExprKind::kInputRef) return {};
        key.columns.push_back(expr->index);
      }
      return {key};
    }
    case PlanKind::kJoin:
    case PlanKind::kIntervalJoin:
    case PlanKind::kWindowJoin:
    case PlanKind::kTemporalJoin:
      return {{"left key", node.left_keys, node.inputs[0]->Types()},
              {"right key", node.right_keys, node.inputs[1]->Types()}};
    default:
      return {};
  }
}

/// Appends the IR of a compiled function before and after optimisation.
template <typename Compiled>
void AppendIr(const Compiled& compiled, std::string& out) {
  out += "; IR before optimisation\n" + compiled.ir_before_optimization() + "\n";
  out += "; IR after optimisation\n" + compiled.ir_after_optimization() + "\n";
}

/// Compiles the Calc that an operator runs for `label`, and adds to `parts`
/// whether it compiled, and to `ir_text` its IR when `ir` is set.
void ExplainCalc(const std::string& label, const ExprPtr& filter, const std::vector<ExprPtr>& projections, bool ir,
                 std::vector<std::string>& parts, std::string& ir_text) {
  codegen::CompileOptions options;
  options.keep_ir = ir;
  auto compiled = codegen::CompileCalc(filter, projections, options);
  if (!compiled.ok()) {
    parts.push_back(fmt::format("{} interpreted, because {}", label, compiled.error()));
    return;
  }
  parts.push_back(fmt::format("{} compiled to {} in {:.1f} ms, {} bytes", label, compiled.value()->function_name(),
                              compiled.value()->compile_millis(), compiled.value()->code_bytes()));
  if (ir) AppendIr(*compiled.value(), ir_text);
}

/// Prints the compiled key functions of a stateful operator, and with `ir`
/// their IR before and after optimisation.
void ExplainKeys(const PlanNode& node, bool ir, const std::string& indent) {
  std::string description = node.Explain();
  // Node descriptions start with the name, such as "Join(" or "INTERSECT ".
  std::string name = description.substr(0, description.find_first_of("( \n"));
  // The operator of an upsert scan is the ChangelogNormalize after it, and
  // SESSION is the only window TVF with keys.
  if (node.kind == PlanKind::kScan) name = "ChangelogNormalize";
  if (node.kind == PlanKind::kWindowTvf && node.window_function == "SESSION") name = "SessionWindow";
  std::vector<NodeKey> keys = CompiledKeysOf(node);
  std::vector<std::string> parts;
  std::string ir_text;
  for (const NodeKey& key : keys) {
    if (key.columns.empty()) continue;
    codegen::CompileOptions options;
    options.keep_ir = ir;
    auto compiled = codegen::CompileKey(key.columns, key.types, options);
    if (!compiled.ok()) {
      parts.push_back(fmt::format("{} encoded by the interpreter, because {}", key.label, compiled.error()));
      continue;
    }
    parts.push_back(fmt::format("{} compiled to {} in {:.1f} ms, {} bytes", key.label, compiled.value()->function_name(),
                                compiled.value()->compile_millis(), compiled.value()->code_bytes()));
    if (ir) AppendIr(*compiled.value(), ir_text);
  }
  bool is_join = node.kind == PlanKind::kJoin || node.kind == PlanKind::kIntervalJoin ||
                 node.kind == PlanKind::kWindowJoin || node.kind == PlanKind::kTemporalJoin;
  if (is_join && node.join_condition) {
    ExplainCalc("condition", node.join_condition, {}, ir, parts, ir_text);
  }
  std::vector<GroupAggregateSpec::Aggregate> aggregates;
  if (node.kind == PlanKind::kGroupAggregate || node.kind == PlanKind::kWindowAggregate) {
    for (const auto& aggregate : node.aggregates) {
      aggregates.push_back({aggregate.function, aggregate.argument, aggregate.filter, aggregate.distinct,
                            aggregate.type, aggregate.separator});
    }
  } else if (node.kind == PlanKind::kOverAggregate) {
    // An OVER aggregation projects the arguments into an argument row and
    // accumulates that row, as OverAggregateOperator does.
    std::vector<OverAggregateSpec::Aggregate> over;
    for (const auto& aggregate : node.aggregates) {
      over.push_back({aggregate.function, aggregate.argument, aggregate.type, aggregate.separator});
    }
    OverFrameAggregates frame = FrameAggregatesOf(over);
    aggregates = frame.aggregates;
    if (!frame.arguments.empty()) ExplainCalc("arguments", nullptr, frame.arguments, ir, parts, ir_text);
  }
  if (!aggregates.empty()) {
    codegen::CompileOptions options;
    options.keep_ir = ir;
    auto compiled = codegen::CompileAccumulate(aggregates, options);
    size_t compilable = static_cast<size_t>(std::count_if(aggregates.begin(), aggregates.end(), codegen::IsCompilableAggregate));
    std::string interpreted =
        compilable == aggregates.size() ? "" : fmt::format(" ({} of {} aggregates interpreted)", aggregates.size() - compilable, aggregates.size());
    if (compiled.ok() && IsSlicedWindowAggregate(node)) {
      parts.push_back(fmt::format("accumulate compiled to {} and its slice merge to {} in {:.1f} ms, {} bytes{}",
                                  compiled.value()->function_name(), compiled.value()->merge_function_name(),
                                  compiled.value()->compile_millis(), compiled.value()->code_bytes(), interpreted));
    } else if (compiled.ok()) {
      parts.push_back(fmt::format("accumulate compiled to {} in {:.1f} ms, {} bytes{}", compiled.value()->function_name(),
                                  compiled.value()->compile_millis(), compiled.value()->code_bytes(), interpreted));
    }
    if (compiled.ok()) {
      if (ir) AppendIr(*compiled.value(), ir_text);
    } else {
      parts.push_back(fmt::format("aggregates interpreted, because {}", compiled.error()));
    }
  }
  if ((node.kind == PlanKind::kGroupAggregate || node.kind == PlanKind::kWindowAggregate) && CompiledKeysOf(node).empty()) {
    parts.push_back("group keys evaluated by the interpreter, because some key is not a column");
  }
  if (node.kind == PlanKind::kMatchRecognize) parts.push_back("DEFINE conditions and MEASURES interpreted");
  if (parts.empty()) {
    std::cout << fmt::format("{}{}: interpreted\n", indent, name);
    return;
  }
  std::cout << fmt::format("{}{}: {}\n", indent, name, fmt::join(parts, "; "));
  std::cout << ir_text;
}

/// Prints, for every operator of `node` and its inputs, whether it runs
/// compiled code, and with `ir` the LLVM IR before and after optimisation.
void ExplainCodegen(const PlanNode& node, bool ir, int depth) {
  std::string indent(static_cast<size_t>(depth) * 2, ' ');
  if (node.kind == PlanKind::kCalc) {
    codegen::CompileOptions options;
    options.keep_ir = ir;
    auto compiled = codegen::CompileCalc(node.filter, node.projections, options);
    if (compiled.ok()) {
      std::cout << fmt::format("{}Calc: compiled to {} in {:.1f} ms, {} bytes\n", indent,
                               compiled.value()->function_name(), compiled.value()->compile_millis(),
                               compiled.value()->code_bytes());
      if (ir) {
        std::string ir_text;
        AppendIr(*compiled.value(), ir_text);
        std::cout << ir_text;
      }
    } else {
      std::cout << fmt::format("{}Calc: interpreted, because {}\n", indent, compiled.error());
    }
  } else if (node.kind == PlanKind::kScan) {
    std::cout << fmt::format("{}Scan of {}: records decoded by the JSON reader, not compiled\n", indent,
                             node.table->name);
    if (node.table->changelog_mode == ChangelogMode::kUpsert) ExplainKeys(node, ir, indent);
  } else {
    ExplainKeys(node, ir, indent);
  }
  if (IsSlicedWindowAggregate(node)) {
    // The window TVF runs inside the sliced window aggregation.
    ExplainCodegen(*node.inputs[0]->inputs[0], ir, depth + 1);
    return;
  }
  for (const auto& input : node.inputs) ExplainCodegen(*input, ir, depth + 1);
}

}  // namespace

int Explain(const std::vector<std::string>& args) {
  Arguments parsed = Arguments::Parse(args, {"e", "log-level"}, {"help", "codegen", "ir", "no-ast"});
  SetLogLevel(parsed.Get("log-level", "info"));
  if (parsed.Has("help") || (parsed.positional.empty() && !parsed.Has("e"))) {
    (parsed.Has("help") ? std::cout : std::cerr)
        << "usage: fsql explain [--codegen [--ir]] [--no-ast] [--log-level LEVEL] [FILE|DIR...] [-e SQL]\n\nPlans the rule files, then "
           "the statements given with -e (which may be a bare SELECT),\nand prints for each rule the plan as bound "
           "(Abstract Syntax Tree), the\noptimised logical plan and the physical plan. Each node of the last two "
           "shows\nthe row kinds it emits as changelogMode=[I,UB,UA,D] (insert, update before,\nupdate after, "
           "delete) and, where known, the upsert key that identifies a row\namong its updates. --no-ast leaves out "
           "the first section. --codegen prints\ninstead which operators run compiled code, and --ir adds the LLVM "
           "IR of each\ncompiled Calc and key function before and after optimisation.\n";
    return parsed.Has("help") ? 0 : 2;
  }
  std::vector<RuleSource> sources;
  std::optional<LoadError> error = ReadRuleFiles(ExpandRulePaths(parsed.positional), sources);
  size_t rules_from_files = 0;
  LoadedRules loaded;
  if (!error) error = LoadRuleSources(sources, loaded);
  if (!error && parsed.Has("e")) {
    rules_from_files = loaded.rules.size();
    // The -e text plans against the tables of the files, so it reuses their catalog.
    ScriptPlanner planner(loaded.catalog, loaded.config);
    planner.set_allow_queries(true);
    std::string text = parsed.Get("e", "");
    try {
      for (auto& rule : planner.PlanScript(text, "<command line>")) loaded.rules.push_back(std::move(rule));
    } catch (const SqlError& sql_error) {
      std::cerr << sql_error.Render(SourceLine(text, sql_error.location().line));
      return 1;
    }
  }
  if (error) {
    std::cerr << error->rendered;
    return 1;
  }
  ExplainOptions options;
  options.abstract_syntax_tree = !parsed.Has("no-ast");
  // With -e, the statements typed on the command line are the ones to explain.
  size_t first = parsed.Has("e") ? rules_from_files : 0;
  for (size_t i = first; i < loaded.rules.size(); ++i) {
    const RulePlan& rule = loaded.rules[i];
    std::cout << fmt::format("== {} -> {}\n", rule.name, rule.sink ? rule.sink->name : "(query)");
    if (parsed.Has("codegen")) {
      ExplainCodegen(*rule.plan, parsed.Has("ir"), 0);
    } else {
      std::cout << ExplainRule(rule, options);
    }
    std::cout << "\n";
  }
  return 0;
}

}  // namespace fsql::cli
