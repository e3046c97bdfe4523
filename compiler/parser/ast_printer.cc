#include "compiler/parser/ast_printer.h"

#include <optional>
#include <set>

#include <antlr4-runtime.h>

#include "FlinkSqlLexer.h"

namespace fsql::ast {

namespace {

using grammar::FlinkSqlLexer;

/// Returns every keyword of the lexer, upper-cased: the token types before EQ.
const std::set<std::string>& Keywords() {
  static const std::set<std::string> keywords = [] {
    antlr4::ANTLRInputStream input("");
    FlinkSqlLexer lexer(&input);
    std::set<std::string> out;
    for (size_t type = 1; type < FlinkSqlLexer::EQ; ++type) {
      std::string name = lexer.getVocabulary().getSymbolicName(type);
      if (!name.empty() && name.back() == '_') name.pop_back();
      out.insert(name);
    }
    return out;
  }();
  return keywords;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool IsPlainIdentifier(const std::string& name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$')) return false;
  }
  return true;
}

std::string Quote(const std::string& text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    out += c;
    if (c == quote) out += quote;
  }
  out += quote;
  return out;
}

std::string StringLiteral(const std::string& value) { return Quote(value, '\''); }

std::string Names(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += ".";
    out += QuoteName(part);
  }
  return out;
}

std::string NameList(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ", ";
    out += QuoteName(name);
  }
  return out;
}

template <typename T, typename F>
std::string JoinMapped(const std::vector<T>& items, F&& print, const char* separator = ", ") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += print(item);
  }
  return out;
}

std::string ExprList(const std::vector<std::unique_ptr<Expr>>& exprs) {
  return JoinMapped(exprs, [](const std::unique_ptr<Expr>& e) { return ToSql(*e); });
}

std::string Options(const std::vector<TableOption>& options) {
  return "(" + JoinMapped(options, [](const TableOption& o) {
           return StringLiteral(o.key) + " = " + StringLiteral(o.value);
         }) + ")";
}

std::string Hints(const std::vector<Hint>& hints) {
  if (hints.empty()) return {};
  std::string out = " /*+ ";
  out += JoinMapped(hints, [](const Hint& hint) {
    std::string text = hint.name;
    if (!hint.options.empty()) {
      text += "(" + JoinMapped(hint.options, [](const std::pair<std::string, std::string>& kv) {
                return StringLiteral(kv.first) + " = " + StringLiteral(kv.second);
              }) + ")";
    } else if (!hint.arguments.empty()) {
      text += "(" + JoinMapped(hint.arguments, [](const std::string& a) { return a; }) + ")";
    }
    return text;
  });
  return out + " */";
}

std::string SortItems(const std::vector<SortItem>& items) {
  return JoinMapped(items, [](const SortItem& item) {
    std::string out = ToSql(*item.expr);
    if (item.descending) out += " DESC";
    if (item.nulls_first) out += *item.nulls_first ? " NULLS FIRST" : " NULLS LAST";
    return out;
  });
}

std::string Bound(const FrameBound& bound) {
  switch (bound.kind) {
    case FrameBoundKind::kUnboundedPreceding: return "UNBOUNDED PRECEDING";
    case FrameBoundKind::kPreceding: return ToSql(*bound.offset) + " PRECEDING";
    case FrameBoundKind::kCurrentRow: return "CURRENT ROW";
    case FrameBoundKind::kFollowing: return ToSql(*bound.offset) + " FOLLOWING";
    case FrameBoundKind::kUnboundedFollowing: return "UNBOUNDED FOLLOWING";
  }
  return {};
}

std::string Window(const WindowSpec& spec) {
  std::vector<std::string> parts;
  if (!spec.base_window.empty()) parts.push_back(QuoteName(spec.base_window));
  if (!spec.partition_by.empty()) parts.push_back("PARTITION BY " + ExprList(spec.partition_by));
  if (!spec.order_by.empty()) parts.push_back("ORDER BY " + SortItems(spec.order_by));
  if (spec.has_frame) {
    parts.push_back(fmt::format("{} BETWEEN {} AND {}", spec.rows_frame ? "ROWS" : "RANGE", Bound(spec.frame_start),
                                Bound(spec.frame_end)));
  }
  return "(" + JoinMapped(parts, [](const std::string& s) { return s; }, " ") + ")";
}

std::string JsonBehavior(const std::string& behavior, const std::unique_ptr<Expr>& default_value) {
  if (behavior == "DEFAULT") return "DEFAULT " + ToSql(*default_value);
  return behavior;
}

/// Calls whose arguments are written with keywords, or that have no parentheses.
std::optional<std::string> KeywordCall(const Expr& e) {
  const std::string& n = e.name;
  if (e.star || e.distinct || e.filter || e.over || !e.over_window_name.empty()) return std::nullopt;
  if (n == "EXTRACT" && !e.time_unit.empty()) return fmt::format("EXTRACT({} FROM {})", e.time_unit, ToSql(*e.children[0]));
  if ((n == "FLOOR" || n == "CEIL" || n == "CEILING") && !e.time_unit.empty()) {
    return fmt::format("{}({} TO {})", n, ToSql(*e.children[0]), e.time_unit);
  }
  if ((n == "TIMESTAMPADD" || n == "TIMESTAMPDIFF") && !e.time_unit.empty()) {
    return fmt::format("{}({}, {})", n, e.time_unit, ExprList(e.children));
  }
  if (n == "POSITION" && e.children.size() == 2) {
    return fmt::format("POSITION({} IN {})", ToSql(*e.children[0]), ToSql(*e.children[1]));
  }
  if (n == "OVERLAY" && e.children.size() >= 3) {
    std::string out = fmt::format("OVERLAY({} PLACING {} FROM {}", ToSql(*e.children[0]), ToSql(*e.children[1]),
                                  ToSql(*e.children[2]));
    if (e.children.size() > 3) out += " FOR " + ToSql(*e.children[3]);
    return out + ")";
  }
  if (n == "TRIM" && !e.trim_side.empty()) {
    std::string chars = e.children.size() > 1 ? ToSql(*e.children[1]) + " " : "";
    return fmt::format("TRIM({} {}FROM {})", e.trim_side, chars, ToSql(*e.children[0]));
  }
  if (n == "JSON_VALUE" || n == "JSON_QUERY") {
    std::string out = fmt::format("{}({}", n, ExprList(e.children));
    if (e.has_returning) out += " RETURNING " + TypeToSql(e.cast_type);
    if (e.json_wrapper == "WITHOUT") out += " WITHOUT ARRAY WRAPPER";
    else if (!e.json_wrapper.empty()) out += " WITH " + e.json_wrapper + " ARRAY WRAPPER";
    if (!e.json_on_empty.empty()) out += " " + JsonBehavior(e.json_on_empty, e.json_on_empty_default) + " ON EMPTY";
    if (!e.json_on_error.empty()) out += " " + JsonBehavior(e.json_on_error, e.json_on_error_default) + " ON ERROR";
    return out + ")";
  }
  if (n == "JSON_EXISTS") {
    std::string out = "JSON_EXISTS(" + ExprList(e.children);
    if (!e.json_on_error.empty()) out += " " + e.json_on_error + " ON ERROR";
    return out + ")";
  }
  std::string on_null = e.json_on_null.empty() ? "" : " " + e.json_on_null + " ON NULL";
  if (n == "JSON_OBJECT" || n == "JSON_OBJECTAGG") {
    std::vector<std::string> pairs;
    for (size_t i = 0; i + 1 < e.children.size(); i += 2) {
      pairs.push_back(fmt::format("KEY {} VALUE {}", ToSql(*e.children[i]), ToSql(*e.children[i + 1])));
    }
    return fmt::format("{}({}{})", n, fmt::join(pairs, ", "), on_null);
  }
  if (n == "JSON_ARRAY" || n == "JSON_ARRAYAGG") return fmt::format("{}({}{})", n, ExprList(e.children), on_null);
  if (n == "OVERLAPS" && e.children.size() == 2 && e.name_parts.empty()) {
    return fmt::format("({} OVERLAPS {})", ToSql(*e.children[0]), ToSql(*e.children[1]));
  }
  if (n == "ARRAY") return "ARRAY[" + ExprList(e.children) + "]";
  if (n == "MAP") return "MAP[" + ExprList(e.children) + "]";
  if (n == "ROW") return "ROW(" + ExprList(e.children) + ")";
  static const std::set<std::string> niladic = {"CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME",
                                                "LOCALTIMESTAMP"};
  if (niladic.count(n) && e.children.empty()) return n;
  return std::nullopt;
}

std::string FunctionName(const std::string& name) {
  // These keywords are function names in the grammar; any other keyword must be quoted.
  static const std::set<std::string> keyword_functions = {"LEFT", "RIGHT", "IF", "INSERT", "SUBSTRING", "TRIM",
                                                          "FLOOR", "CEIL", "CEILING", "GROUPING"};
  if (keyword_functions.count(name)) return name;
  return QuoteName(name);
}

std::string FunctionCall(const Expr& e) {
  if (auto special = KeywordCall(e)) return *special;
  std::string out = (e.name_parts.empty() ? FunctionName(e.name) : Names(e.name_parts)) + "(";
  if (e.star) out += "*";
  if (e.distinct) out += "DISTINCT ";
  for (size_t i = 0; i < e.children.size(); ++i) {
    if (i > 0) out += ", ";
    if (i < e.argument_names.size() && !e.argument_names[i].empty()) out += QuoteName(e.argument_names[i]) + " => ";
    out += ToSql(*e.children[i]);
  }
  out += ")";
  if (e.filter) out += " FILTER (WHERE " + ToSql(*e.filter) + ")";
  if (e.over) out += " OVER " + Window(*e.over);
  if (!e.over_window_name.empty()) out += " OVER " + QuoteName(e.over_window_name);
  return out;
}

std::string LiteralSql(const Expr& e) {
  switch (e.literal_kind) {
    case LiteralKind::kNull: return "NULL";
    case LiteralKind::kBoolean:
    case LiteralKind::kInteger:
    case LiteralKind::kDecimal: return e.literal;
    case LiteralKind::kString: return StringLiteral(e.literal);
    case LiteralKind::kBinary: return "X'" + e.literal + "'";
    case LiteralKind::kDate: return "DATE " + StringLiteral(e.literal);
    case LiteralKind::kTime: return "TIME " + StringLiteral(e.literal);
    case LiteralKind::kTimestamp: return "TIMESTAMP " + StringLiteral(e.literal);
  }
  return {};
}

std::string Pattern(const PatternTerm& term) {
  std::string out;
  switch (term.kind) {
    case PatternTerm::Kind::kVariable: out = QuoteName(term.variable); break;
    case PatternTerm::Kind::kGroup: out = "(" + Pattern(term.children[0]) + ")"; break;
    case PatternTerm::Kind::kSequence:
      return JoinMapped(term.children, [](const PatternTerm& t) { return Pattern(t); }, " ");
    case PatternTerm::Kind::kAlternation:
      return JoinMapped(term.children, [](const PatternTerm& t) { return Pattern(t); }, " | ");
  }
  if (term.min == 0 && term.max == -1) out += "*";
  else if (term.min == 1 && term.max == -1) out += "+";
  else if (term.min == 0 && term.max == 1) out += "?";
  else if (term.min == term.max && term.min != 1) out += fmt::format("{{{}}}", term.min);
  else if (term.max == -1) out += fmt::format("{{{},}}", term.min);
  else if (term.min != 1 || term.max != 1) out += fmt::format("{{{},{}}}", term.min, term.max);
  if (term.reluctant) out += "?";
  return out;
}

std::string Relation(const ast::Relation& r, bool nested);

std::string Alias(const ast::Relation& r) {
  if (r.alias.empty()) return {};
  std::string out = " AS " + QuoteName(r.alias);
  if (!r.column_aliases.empty()) out += " (" + NameList(r.column_aliases) + ")";
  return out;
}

std::string MatchRecognizeSql(const MatchRecognize& m) {
  std::vector<std::string> parts;
  if (!m.partition_by.empty()) parts.push_back("PARTITION BY " + ExprList(m.partition_by));
  if (!m.order_by.empty()) parts.push_back("ORDER BY " + SortItems(m.order_by));
  if (!m.measures.empty()) {
    parts.push_back("MEASURES " + JoinMapped(m.measures, [](const MatchRecognize::Measure& measure) {
                      return ToSql(*measure.expr) + " AS " + QuoteName(measure.alias);
                    }));
  }
  if (m.all_rows_per_match) parts.push_back("ALL ROWS PER MATCH");
  if (!m.after_match_skip.empty()) {
    std::string skip = "AFTER MATCH SKIP " + m.after_match_skip;
    if (!m.skip_variable.empty()) skip += " " + QuoteName(m.skip_variable);
    parts.push_back(skip);
  }
  parts.push_back("PATTERN (" + Pattern(m.pattern) + ")");
  if (m.within) parts.push_back("WITHIN " + ToSql(*m.within));
  parts.push_back("DEFINE " + JoinMapped(m.define, [](const MatchRecognize::Definition& d) {
                    return QuoteName(d.variable) + " AS " + ToSql(*d.condition);
                  }));
  return "MATCH_RECOGNIZE (" + JoinMapped(parts, [](const std::string& s) { return s; }, " ") + ")";
}

std::string TableFunctionArgSql(const TableFunctionArg& arg) {
  std::string out = arg.name.empty() ? "" : QuoteName(arg.name) + " => ";
  switch (arg.kind) {
    case TableFunctionArg::Kind::kTable:
      out += "TABLE " + Names(arg.table_name);
      if (!arg.partition_by.empty()) out += " PARTITION BY (" + NameList(arg.partition_by) + ")";
      if (!arg.order_by.empty()) out += " ORDER BY " + SortItems(arg.order_by);
      break;
    case TableFunctionArg::Kind::kModel: out += "MODEL " + Names(arg.table_name); break;
    case TableFunctionArg::Kind::kDescriptor: out += "DESCRIPTOR(" + NameList(arg.descriptor_columns) + ")"; break;
    case TableFunctionArg::Kind::kExpression: out += ToSql(*arg.expr); break;
  }
  return out;
}

/// Prints a FROM item. `nested` is set where a join must be parenthesized to keep
/// its shape: as the first relation of a join or as a join's right side.
std::string Relation(const ast::Relation& r, bool nested) {
  switch (r.kind) {
    case RelationKind::kTable: {
      std::string out = Names(r.table_name) + Hints(r.hints);
      if (r.as_of) out += " FOR SYSTEM_TIME AS OF " + ToSql(*r.as_of);
      return out + Alias(r);
    }
    case RelationKind::kSubquery:
      return std::string(r.lateral ? "LATERAL " : "") + "(" + ToSql(*r.subquery) + ")" + Alias(r);
    case RelationKind::kTableFunction:
      return "TABLE(" + FunctionName(r.function_name) + "(" +
             JoinMapped(r.function_args, TableFunctionArgSql) + "))" + Alias(r);
    case RelationKind::kUnnest:
      return "UNNEST(" + ExprList(r.unnest_args) + ")" + (r.with_ordinality ? " WITH ORDINALITY" : "") + Alias(r);
    case RelationKind::kLateralTable: return "LATERAL TABLE(" + ToSql(*r.lateral_call) + ")" + Alias(r);
    case RelationKind::kMatchRecognize: {
      // The input is a table or subquery without an alias of its own.
      return Relation(*r.input, false) + " " + MatchRecognizeSql(*r.match) + Alias(r);
    }
    case RelationKind::kJoin: {
      std::string out = Relation(*r.left, true);
      for (const auto& join : r.joins) {
        if (join.natural) out += " NATURAL";
        switch (join.kind) {
          case JoinKind::kInner: out += " JOIN "; break;
          case JoinKind::kLeft: out += " LEFT JOIN "; break;
          case JoinKind::kRight: out += " RIGHT JOIN "; break;
          case JoinKind::kFull: out += " FULL JOIN "; break;
          case JoinKind::kCross: out += " CROSS JOIN "; break;
        }
        out += Relation(*join.right, true);
        if (join.on) out += " ON " + ToSql(*join.on);
        if (!join.using_columns.empty()) out += " USING (" + NameList(join.using_columns) + ")";
      }
      return nested ? "(" + out + ")" : out;
    }
  }
  return {};
}

std::string Grouping(const GroupingElement& g) {
  switch (g.kind) {
    case GroupingElement::Kind::kExpression:
      return g.exprs.size() == 1 ? ToSql(*g.exprs[0]) : "(" + ExprList(g.exprs) + ")";
    case GroupingElement::Kind::kEmpty: return "()";
    case GroupingElement::Kind::kRollup: return "ROLLUP(" + JoinMapped(g.sets, Grouping) + ")";
    case GroupingElement::Kind::kCube: return "CUBE(" + JoinMapped(g.sets, Grouping) + ")";
    case GroupingElement::Kind::kGroupingSets: return "GROUPING SETS (" + JoinMapped(g.sets, Grouping) + ")";
  }
  return {};
}

std::string Select(const SelectCore& s) {
  std::string out = "SELECT" + Hints(s.hints);
  if (s.distinct) out += " DISTINCT";
  out += " " + JoinMapped(s.items, [](const SelectItem& item) {
    if (item.star) return item.star_qualifier.empty() ? std::string("*") : Names(item.star_qualifier) + ".*";
    std::string text = ToSql(*item.expr);
    if (!item.alias.empty()) text += " AS " + QuoteName(item.alias);
    return text;
  });
  if (!s.from.empty()) {
    out += " FROM " + JoinMapped(s.from, [](const std::unique_ptr<ast::Relation>& r) { return Relation(*r, false); });
  }
  if (s.where) out += " WHERE " + ToSql(*s.where);
  if (!s.group_by.empty()) out += " GROUP BY " + ExprList(s.group_by);
  if (!s.grouping_elements.empty()) out += " GROUP BY " + JoinMapped(s.grouping_elements, Grouping);
  if (s.having) out += " HAVING " + ToSql(*s.having);
  if (!s.windows.empty()) {
    out += " WINDOW " + JoinMapped(s.windows, [](const NamedWindow& w) {
      return QuoteName(w.name) + " AS " + Window(*w.spec);
    });
  }
  return out;
}

std::string ColumnSql(const ColumnDef& c) {
  std::string out = QuoteName(c.name);
  if (c.computed) {
    out += " AS " + ToSql(*c.computed);
  } else {
    out += " " + (c.unsupported_type.empty() ? TypeToSql(c.type) : c.unsupported_type);
    if (c.metadata) {
      out += " METADATA";
      if (!c.metadata_key.empty()) out += " FROM " + StringLiteral(c.metadata_key);
      if (c.is_virtual) out += " VIRTUAL";
    }
  }
  if (!c.comment.empty()) out += " COMMENT " + StringLiteral(c.comment);
  if (c.position_first) out += " FIRST";
  if (!c.position_after.empty()) out += " AFTER " + QuoteName(c.position_after);
  return out;
}

/// Prints the parenthesized schema parts of CREATE TABLE or ALTER TABLE ADD / MODIFY.
std::vector<std::string> SchemaParts(const CreateTable& t) {
  std::vector<std::string> parts;
  for (const auto& column : t.columns) parts.push_back(ColumnSql(column));
  if (t.watermark_expr) {
    parts.push_back("WATERMARK FOR " + QuoteName(t.watermark_column) + " AS " + ToSql(*t.watermark_expr));
  }
  if (!t.primary_key.empty()) parts.push_back("PRIMARY KEY (" + NameList(t.primary_key) + ") NOT ENFORCED");
  return parts;
}

std::string Distribution(const CreateTable& t, const char* keyword) {
  if (t.distribution_keys.empty() && !t.buckets) return {};
  std::string out = std::string(" ") + keyword;
  if (!t.distribution_keys.empty()) {
    out += " BY " + (t.distribution_kind.empty() ? "" : t.distribution_kind + " ") + "(" +
           NameList(t.distribution_keys) + ")";
  }
  if (t.buckets) out += fmt::format(" INTO {} BUCKETS", *t.buckets);
  return out;
}

std::string CreateTableSql(const CreateTable& t) {
  std::string out = "CREATE";
  if (t.or_replace) out = "CREATE OR REPLACE";
  if (t.replace) out = "REPLACE";
  if (t.temporary) out += " TEMPORARY";
  out += " TABLE ";
  if (t.if_not_exists) out += "IF NOT EXISTS ";
  out += Names(t.name);
  std::vector<std::string> parts = SchemaParts(t);
  if (!parts.empty()) out += " (" + fmt::format("{}", fmt::join(parts, ", ")) + ")";
  if (!t.comment.empty()) out += " COMMENT " + StringLiteral(t.comment);
  out += Distribution(t, "DISTRIBUTED");
  if (!t.partitioned_by.empty()) out += " PARTITIONED BY (" + NameList(t.partitioned_by) + ")";
  if (!t.options.empty()) out += " WITH " + Options(t.options);
  if (!t.like_table.empty()) {
    out += " LIKE " + Names(t.like_table);
    if (!t.like_options.empty()) {
      out += " (" + JoinMapped(t.like_options, [](const std::pair<std::string, std::string>& o) {
               return o.first + " " + o.second;
             }, " ") + ")";
    }
  }
  if (t.as_query) out += " AS " + ToSql(*t.as_query);
  return out;
}

std::string PartitionSpec(const std::vector<std::pair<std::string, std::unique_ptr<Expr>>>& partition) {
  return "PARTITION (" + JoinMapped(partition, [](const std::pair<std::string, std::unique_ptr<Expr>>& p) {
           return QuoteName(p.first) + (p.second ? " = " + ToSql(*p.second) : "");
         }) + ")";
}

std::string InsertSql(const Insert& insert) {
  std::string out = insert.overwrite ? "INSERT OVERWRITE " : "INSERT INTO ";
  out += Names(insert.table_name) + Hints(insert.hints);
  if (!insert.partition.empty()) out += " " + PartitionSpec(insert.partition);
  if (!insert.columns.empty()) out += " (" + NameList(insert.columns) + ")";
  return out + " " + ToSql(*insert.query);
}

std::string AlterTableSql(const AlterTable& a) {
  using A = AlterTable::Action;
  std::string out = "ALTER TABLE ";
  if (a.if_exists) out += "IF EXISTS ";
  out += Names(a.name) + " ";
  switch (a.action) {
    case A::kSetOptions: return out + "SET " + Options(a.options);
    case A::kResetOptions: return out + "RESET (" + JoinMapped(a.reset_keys, StringLiteral) + ")";
    case A::kRename: return out + "RENAME TO " + Names(a.new_name);
    case A::kRenameColumn: return out + "RENAME " + QuoteName(a.old_column) + " TO " + QuoteName(a.new_column);
    case A::kAdd:
    case A::kModify: {
      std::vector<std::string> parts = SchemaParts(*a.schema);
      std::string distribution = Distribution(*a.schema, "DISTRIBUTION");
      if (!distribution.empty()) parts.push_back(distribution.substr(1));
      return out + (a.action == A::kAdd ? "ADD (" : "MODIFY (") + fmt::format("{}", fmt::join(parts, ", ")) + ")";
    }
    case A::kDropColumns: return out + "DROP (" + NameList(a.columns_to_drop) + ")";
    case A::kDropWatermark: return out + "DROP WATERMARK";
    case A::kDropPrimaryKey:
      return out + (a.constraint_name.empty() ? "DROP PRIMARY KEY" : "DROP CONSTRAINT " + QuoteName(a.constraint_name));
    case A::kDropDistribution: return out + "DROP DISTRIBUTION";
  }
  return out;
}

std::string ShowSql(const Show& s) {
  std::string out = "SHOW " + s.what;
  bool creates = s.what.rfind("CREATE ", 0) == 0;
  if (creates || s.what == "PARTITIONS") out += " " + Names(s.name);
  if (!s.partition.empty()) out += " " + PartitionSpec(s.partition);
  if (s.from_in) out += " FROM " + Names(s.name);
  if (!s.like_keyword.empty()) {
    out += std::string(s.not_like ? " NOT " : " ") + s.like_keyword + " " + StringLiteral(s.like_pattern);
  }
  return out;
}

std::string DescribeSql(const Show& s) {
  if (s.what == "JOB") return "DESCRIBE JOB " + StringLiteral(s.job_id);
  return "DESCRIBE " + s.what + (s.extended ? " EXTENDED " : " ") + Names(s.name);
}

std::string CatalogStatementSql(const CatalogStatement& c) {
  std::string out = c.verb + (c.temporary ? " TEMPORARY" : "") + (c.system ? " SYSTEM" : "") + " " + c.object + " ";
  if (c.if_not_exists) out += "IF NOT EXISTS ";
  if (c.if_exists) out += "IF EXISTS ";
  out += Names(c.name);
  if (c.verb == "CREATE") {
    if (!c.comment.empty()) out += " COMMENT " + StringLiteral(c.comment);
    if (!c.options.empty()) out += " WITH " + Options(c.options);
  } else if (c.verb == "LOAD") {
    if (!c.options.empty()) out += " WITH " + Options(c.options);
  } else if (c.verb == "ALTER") {
    if (c.object == "VIEW") {
      out += c.query ? " AS " + ToSql(*c.query) : " RENAME TO " + Names(c.new_name);
    } else if (c.object == "FUNCTION") {
      out += " AS " + StringLiteral(c.class_name);
      if (!c.language.empty()) out += " LANGUAGE " + c.language;
    } else if (!c.reset_keys.empty()) {
      out += " RESET (" + JoinMapped(c.reset_keys, StringLiteral) + ")";
    } else if (c.options.empty()) {
      out += " COMMENT " + StringLiteral(c.comment);
    } else {
      out += " SET " + Options(c.options);
    }
  }
  return out;
}

}  // namespace

std::string QuoteName(const std::string& name) {
  if (IsPlainIdentifier(name) && !Keywords().count(Upper(name))) return name;
  return Quote(name, '`');
}

std::string TypeToSql(const DataType& type) {
  std::string out;
  switch (type.id) {
    case TypeId::kNull: out = "NULL"; break;
    case TypeId::kBoolean: out = "BOOLEAN"; break;
    case TypeId::kTinyInt: out = "TINYINT"; break;
    case TypeId::kSmallInt: out = "SMALLINT"; break;
    case TypeId::kInt: out = "INT"; break;
    case TypeId::kBigInt: out = "BIGINT"; break;
    case TypeId::kFloat: out = "FLOAT"; break;
    case TypeId::kDouble: out = "DOUBLE"; break;
    case TypeId::kDecimal: out = fmt::format("DECIMAL({}, {})", type.precision, type.scale); break;
    case TypeId::kString: out = type.length < 0 ? "STRING" : fmt::format("VARCHAR({})", type.length); break;
    case TypeId::kBytes: out = type.length < 0 ? "BYTES" : fmt::format("VARBINARY({})", type.length); break;
    case TypeId::kDate: out = "DATE"; break;
    case TypeId::kTime: out = fmt::format("TIME({})", type.precision); break;
    case TypeId::kTimestamp: out = fmt::format("TIMESTAMP({})", type.precision); break;
    case TypeId::kTimestampLtz: out = fmt::format("TIMESTAMP_LTZ({})", type.precision); break;
    case TypeId::kIntervalDayTime:
      out = type.precision > 0 ? fmt::format("INTERVAL DAY TO SECOND({})", type.precision) : "INTERVAL DAY TO HOUR";
      break;
    case TypeId::kIntervalYearMonth: out = "INTERVAL YEAR TO MONTH"; break;
    case TypeId::kArray: out = "ARRAY<" + TypeToSql(type.children.at(0)) + ">"; break;
    case TypeId::kMultiset: out = "MULTISET<" + TypeToSql(type.children.at(0)) + ">"; break;
    case TypeId::kMap:
      out = "MAP<" + TypeToSql(type.children.at(0)) + ", " + TypeToSql(type.children.at(1)) + ">";
      break;
    case TypeId::kRow:
      out = "ROW<" + JoinMapped(type.fields, [](const RowField& f) { return QuoteName(f.name) + " " + TypeToSql(f.type); }) +
            ">";
      break;
  }
  return type.nullable ? out : out + " NOT NULL";
}

std::string ToSql(const Expr& e) {
  std::string neg = e.negated ? "NOT " : "";
  switch (e.kind) {
    case ExprKind::kLiteral: return LiteralSql(e);
    case ExprKind::kInterval: {
      std::string out = std::string("INTERVAL ") + (e.interval_negative ? "-" : "") + StringLiteral(e.literal);
      if (!e.interval_from_unit.empty()) out += " " + e.interval_from_unit;
      if (!e.interval_to_unit.empty()) out += " TO " + e.interval_to_unit;
      return out;
    }
    case ExprKind::kColumnRef: return Names(e.name_parts);
    case ExprKind::kFunction: return FunctionCall(e);
    case ExprKind::kCast:
      return fmt::format("{}({} AS {})", e.try_cast ? "TRY_CAST" : "CAST", ToSql(*e.children[0]), TypeToSql(e.cast_type));
    case ExprKind::kCase: {
      std::string out = "CASE";
      size_t i = 0;
      if (e.has_operand) out += " " + ToSql(*e.children[i++]);
      size_t end = e.children.size() - (e.has_else ? 1 : 0);
      for (; i + 1 < end; i += 2) {
        out += " WHEN " + ToSql(*e.children[i]) + " THEN " + ToSql(*e.children[i + 1]);
      }
      if (e.has_else) out += " ELSE " + ToSql(*e.children.back());
      return out + " END";
    }
    case ExprKind::kUnary: return "(" + e.name + " " + ToSql(*e.children[0]) + ")";
    case ExprKind::kBinary: return "(" + ToSql(*e.children[0]) + " " + e.name + " " + ToSql(*e.children[1]) + ")";
    case ExprKind::kNot: return "(NOT " + ToSql(*e.children[0]) + ")";
    case ExprKind::kIsPredicate: return "(" + ToSql(*e.children[0]) + " IS " + neg + e.name + ")";
    case ExprKind::kInList: {
      std::vector<std::string> items;
      for (size_t i = 1; i < e.children.size(); ++i) items.push_back(ToSql(*e.children[i]));
      return fmt::format("({} {}IN ({}))", ToSql(*e.children[0]), neg, fmt::join(items, ", "));
    }
    case ExprKind::kBetween:
      return fmt::format("({} {}BETWEEN {} AND {})", ToSql(*e.children[0]), neg, ToSql(*e.children[1]),
                         ToSql(*e.children[2]));
    case ExprKind::kLike: {
      std::string out = fmt::format("({} {}{} {}", ToSql(*e.children[0]), neg, e.similar ? "SIMILAR TO" : "LIKE",
                                    ToSql(*e.children[1]));
      if (!e.literal.empty()) out += " ESCAPE " + StringLiteral(e.literal);
      return out + ")";
    }
    case ExprKind::kSubquery: return "(" + ToSql(*e.subquery) + ")";
    case ExprKind::kExists: return "EXISTS (" + ToSql(*e.subquery) + ")";
    case ExprKind::kInSubquery:
      if (!e.name.empty()) return fmt::format("({} {} ({}))", ToSql(*e.children[0]), e.name, ToSql(*e.subquery));
      return fmt::format("({} {}IN ({}))", ToSql(*e.children[0]), neg, ToSql(*e.subquery));
    case ExprKind::kItem:
      if (e.name == ".") return ToSql(*e.children[0]) + "." + QuoteName(e.children[1]->literal);
      return ToSql(*e.children[0]) + "[" + ToSql(*e.children[1]) + "]";
  }
  return {};
}

std::string ToSql(const Query& q) {
  std::string out;
  if (!q.ctes.empty()) {
    out += "WITH " + JoinMapped(q.ctes, [](const CommonTableExpr& cte) {
      std::string text = QuoteName(cte.name);
      if (!cte.column_names.empty()) text += " (" + NameList(cte.column_names) + ")";
      return text + " AS (" + ToSql(*cte.query) + ")";
    }) + " ";
  }
  switch (q.kind) {
    case QueryKind::kSelect: out += Select(*q.select); break;
    case QueryKind::kValues:
      out += "VALUES " + JoinMapped(q.values, [](const std::vector<std::unique_ptr<Expr>>& row) {
               return "(" + ExprList(row) + ")";
             });
      break;
    case QueryKind::kNested: out += "(" + ToSql(*q.nested) + ")"; break;
    case QueryKind::kUnion:
    case QueryKind::kIntersect:
    case QueryKind::kExcept: {
      const char* op = "EXCEPT";
      if (q.kind == QueryKind::kUnion) op = "UNION";
      if (q.kind == QueryKind::kIntersect) op = "INTERSECT";
      out += ToSql(*q.left) + " " + op + (q.union_all ? " ALL " : " ") + ToSql(*q.right);
      break;
    }
  }
  if (!q.order_by.empty()) out += " ORDER BY " + SortItems(q.order_by);
  if (q.limit) out += fmt::format(" LIMIT {}", *q.limit);
  if (q.offset) out += fmt::format(" OFFSET {} ROWS", *q.offset);
  return out;
}

std::string ToSql(const Statement& s) {
  switch (s.kind) {
    case StatementKind::kSet:
      return s.key.empty() ? "SET" : "SET " + StringLiteral(s.key) + " = " + StringLiteral(s.value);
    case StatementKind::kReset: return s.key.empty() ? "RESET" : "RESET " + StringLiteral(s.key);
    case StatementKind::kCreateTable: return CreateTableSql(*s.create_table);
    case StatementKind::kCreateView: {
      const CreateView& v = *s.create_view;
      std::string out = std::string("CREATE ") + (v.temporary ? "TEMPORARY " : "") + "VIEW " +
                        (v.if_not_exists ? "IF NOT EXISTS " : "") + Names(v.name);
      if (!v.column_names.empty()) out += " (" + NameList(v.column_names) + ")";
      if (!v.comment.empty()) out += " COMMENT " + StringLiteral(v.comment);
      return out + " AS " + ToSql(*v.query);
    }
    case StatementKind::kInsert: return InsertSql(*s.insert);
    case StatementKind::kQuery: return ToSql(*s.query);
    case StatementKind::kStatementSet: {
      std::string out = "EXECUTE STATEMENT SET BEGIN ";
      for (const auto& insert : s.statement_set) out += InsertSql(*insert) + "; ";
      return out + "END";
    }
    case StatementKind::kBeginStatementSet: return "BEGIN STATEMENT SET";
    case StatementKind::kEndStatementSet: return "END";
    case StatementKind::kAlterTable: return AlterTableSql(*s.alter_table);
    case StatementKind::kDrop: {
      const Drop& d = *s.drop;
      std::string out = std::string("DROP ") + (d.temporary ? "TEMPORARY " : "") + (d.system ? "SYSTEM " : "") +
                        d.object + (d.if_exists ? " IF EXISTS " : " ") + Names(d.name);
      if (!d.behavior.empty()) out += " " + d.behavior;
      return out;
    }
    case StatementKind::kShow: return ShowSql(*s.show);
    case StatementKind::kDescribe: return DescribeSql(*s.show);
    case StatementKind::kExplain: {
      std::string out = "EXPLAIN ";
      if (s.explain->plan_for) out += "PLAN FOR ";
      if (!s.explain->details.empty()) out += fmt::format("{} ", fmt::join(s.explain->details, ", "));
      return out + ToSql(*s.explain->statement);
    }
    case StatementKind::kUse:
      if (s.use->modules) return "USE MODULES " + NameList(s.use->modules_list);
      return std::string("USE ") + (s.use->catalog ? "CATALOG " : "") + Names(s.use->name);
    case StatementKind::kCreateFunction: {
      const CreateFunction& f = *s.create_function;
      std::string out = std::string("CREATE ") + (f.temporary ? "TEMPORARY " : "") + (f.system ? "SYSTEM " : "") +
                        "FUNCTION " + (f.if_not_exists ? "IF NOT EXISTS " : "") + Names(f.name) + " AS " +
                        StringLiteral(f.class_name);
      if (!f.language.empty()) out += " LANGUAGE " + f.language;
      if (!f.jars.empty()) {
        out += " USING " + JoinMapped(f.jars, [](const std::string& jar) { return "JAR " + StringLiteral(jar); });
      }
      return out;
    }
    case StatementKind::kCatalogStatement: return CatalogStatementSql(*s.catalog_statement);
    case StatementKind::kOther: return s.other->tokens;
  }
  return {};
}

namespace {

/// Writes the dump as nested s-expressions: (node field=value ...).
class Dumper {
 public:
  std::string Take() { return std::move(out_); }

  void Statement(const ast::Statement& s) {
    Open("statement");
    Field("kind", static_cast<int>(s.kind));
    Field("key", s.key);
    Field("value", s.value);
    if (s.create_table) CreateTable(*s.create_table);
    if (s.create_view) {
      const CreateView& v = *s.create_view;
      Open("view");
      Field("name", v.name);
      Field("temporary", v.temporary);
      Field("if_not_exists", v.if_not_exists);
      Field("columns", v.column_names);
      Field("comment", v.comment);
      Query(v.query.get());
      Close();
    }
    if (s.insert) Insert(*s.insert);
    Query(s.query.get());
    for (const auto& insert : s.statement_set) Insert(*insert);
    if (s.alter_table) AlterTable(*s.alter_table);
    if (s.drop) {
      const Drop& d = *s.drop;
      Open("drop");
      Field("object", d.object);
      Field("name", d.name);
      Field("temporary", d.temporary);
      Field("system", d.system);
      Field("if_exists", d.if_exists);
      Field("behavior", d.behavior);
      Close();
    }
    if (s.show) {
      const Show& sh = *s.show;
      Open("show");
      Field("what", sh.what);
      Field("name", sh.name);
      Field("from_in", sh.from_in);
      Field("extended", sh.extended);
      Field("like", sh.like_keyword);
      Field("not_like", sh.not_like);
      Field("pattern", sh.like_pattern);
      Field("job", sh.job_id);
      Partition(sh.partition);
      Close();
    }
    if (s.explain) {
      Open("explain");
      Field("plan_for", s.explain->plan_for);
      Field("details", s.explain->details);
      Statement(*s.explain->statement);
      Close();
    }
    if (s.use) {
      Open("use");
      Field("catalog", s.use->catalog);
      Field("modules", s.use->modules);
      Field("name", s.use->name);
      Field("list", s.use->modules_list);
      Close();
    }
    if (s.create_function) {
      const CreateFunction& f = *s.create_function;
      Open("function");
      Field("name", f.name);
      Field("temporary", f.temporary);
      Field("system", f.system);
      Field("if_not_exists", f.if_not_exists);
      Field("class", f.class_name);
      Field("language", f.language);
      Field("jars", f.jars);
      Close();
    }
    if (s.other) {
      Open("other");
      Field("feature", s.other->feature);
      Field("tokens", s.other->tokens);
      Close();
    }
    if (s.catalog_statement) {
      const CatalogStatement& c = *s.catalog_statement;
      Open("catalog_statement");
      Field("verb", c.verb);
      Field("object", c.object);
      Field("name", c.name);
      Field("if_not_exists", c.if_not_exists);
      Field("if_exists", c.if_exists);
      Field("temporary", c.temporary);
      Field("system", c.system);
      Field("comment", c.comment);
      Options(c.options);
      Field("reset", c.reset_keys);
      Field("new_name", c.new_name);
      Field("class", c.class_name);
      Field("language", c.language);
      Query(c.query.get());
      Close();
    }
    Close();
  }

 private:
  void Open(const char* node) { out_ += std::string("(") + node; }
  void Close() { out_ += ")"; }
  void Field(const char* name, const std::string& value) {
    if (!value.empty()) out_ += fmt::format(" {}={}", name, Quote(value, '"'));
  }
  void Field(const char* name, bool value) {
    if (value) out_ += fmt::format(" {}", name);
  }
  void Field(const char* name, int64_t value) { out_ += fmt::format(" {}={}", name, value); }
  void Field(const char* name, int value) { out_ += fmt::format(" {}={}", name, value); }
  void Field(const char* name, const std::vector<std::string>& values) {
    if (values.empty()) return;
    out_ += fmt::format(" {}=[", name);
    for (size_t i = 0; i < values.size(); ++i) out_ += (i ? "," : "") + Quote(values[i], '"');
    out_ += "]";
  }
  void Field(const char* name, const DataType& type) { out_ += fmt::format(" {}={}", name, TypeToSql(type)); }

  void Partition(const std::vector<std::pair<std::string, std::unique_ptr<ast::Expr>>>& partition) {
    for (const auto& [column, value] : partition) {
      Open("partition");
      Field("column", column);
      Expr(value.get());
      Close();
    }
  }

  void Options(const std::vector<TableOption>& options) {
    for (const auto& option : options) {
      Open("option");
      Field("key", option.key);
      Field("value", option.value);
      Close();
    }
  }

  void Hints(const std::vector<Hint>& hints) {
    for (const auto& hint : hints) {
      Open("hint");
      Field("name", hint.name);
      Field("arguments", hint.arguments);
      for (const auto& [key, value] : hint.options) {
        Open("option");
        Field("key", key);
        Field("value", value);
        Close();
      }
      Close();
    }
  }

  void Expr(const ast::Expr* e, const char* role = nullptr) {
    if (e == nullptr) return;
    Open("expr");
    if (role) out_ += fmt::format(" role={}", role);
    Field("kind", static_cast<int>(e->kind));
    if (e->kind == ExprKind::kLiteral) Field("literal_kind", static_cast<int>(e->literal_kind));
    Field("literal", e->literal);
    Field("from_unit", e->interval_from_unit);
    Field("to_unit", e->interval_to_unit);
    Field("interval_negative", e->interval_negative);
    Field("parts", e->name_parts);
    Field("name", e->name);
    Field("argument_names", e->argument_names);
    Field("negated", e->negated);
    Field("distinct", e->distinct);
    Field("star", e->star);
    Field("try_cast", e->try_cast);
    Field("time_unit", e->time_unit);
    if (e->kind == ExprKind::kCast || e->has_returning) Field("type", e->cast_type);
    Field("has_else", e->has_else);
    Field("has_operand", e->has_operand);
    Field("similar", e->similar);
    Field("trim_side", e->trim_side);
    Field("has_returning", e->has_returning);
    Field("on_empty", e->json_on_empty);
    Field("on_error", e->json_on_error);
    Field("on_null", e->json_on_null);
    Field("wrapper", e->json_wrapper);
    Expr(e->json_on_empty_default.get(), "empty_default");
    Expr(e->json_on_error_default.get(), "error_default");
    for (const auto& child : e->children) Expr(child.get());
    Expr(e->filter.get(), "filter");
    if (e->over) Window(*e->over);
    Field("over", e->over_window_name);
    Query(e->subquery.get());
    Close();
  }

  void Exprs(const char* node, const std::vector<std::unique_ptr<ast::Expr>>& exprs) {
    if (exprs.empty()) return;
    Open(node);
    for (const auto& e : exprs) Expr(e.get());
    Close();
  }

  void Sort(const std::vector<SortItem>& items) {
    for (const auto& item : items) {
      Open("sort");
      Field("descending", item.descending);
      if (item.nulls_first) Field("nulls", std::string(*item.nulls_first ? "FIRST" : "LAST"));
      Expr(item.expr.get());
      Close();
    }
  }

  void Bound(const char* role, const FrameBound& bound) {
    Open(role);
    Field("kind", static_cast<int>(bound.kind));
    Expr(bound.offset.get());
    Close();
  }

  void Window(const WindowSpec& w) {
    Open("window");
    Field("base", w.base_window);
    Exprs("partition_by", w.partition_by);
    Sort(w.order_by);
    if (w.has_frame) {
      Field("rows", w.rows_frame);
      Bound("start", w.frame_start);
      Bound("end", w.frame_end);
    }
    Close();
  }

  void Grouping(const GroupingElement& g) {
    Open("grouping");
    Field("kind", static_cast<int>(g.kind));
    for (const auto& e : g.exprs) Expr(e.get());
    for (const auto& set : g.sets) Grouping(set);
    Close();
  }

  void Pattern(const PatternTerm& p) {
    Open("pattern");
    Field("kind", static_cast<int>(p.kind));
    Field("variable", p.variable);
    Field("min", p.min);
    Field("max", p.max);
    Field("reluctant", p.reluctant);
    for (const auto& child : p.children) Pattern(child);
    Close();
  }

  void Relation(const ast::Relation* r) {
    if (r == nullptr) return;
    Open("relation");
    Field("kind", static_cast<int>(r->kind));
    Field("table", r->table_name);
    Hints(r->hints);
    Expr(r->as_of.get(), "as_of");
    Query(r->subquery.get());
    Field("lateral", r->lateral);
    Field("alias", r->alias);
    Field("column_aliases", r->column_aliases);
    Relation(r->left.get());
    for (const auto& join : r->joins) {
      Open("join");
      Field("kind", static_cast<int>(join.kind));
      Field("natural", join.natural);
      Relation(join.right.get());
      Expr(join.on.get(), "on");
      Field("using", join.using_columns);
      Close();
    }
    Field("function", r->function_name);
    for (const auto& arg : r->function_args) {
      Open("arg");
      Field("kind", static_cast<int>(arg.kind));
      Field("name", arg.name);
      Field("table", arg.table_name);
      Field("partition_by", arg.partition_by);
      Sort(arg.order_by);
      Field("descriptor", arg.descriptor);
      Field("descriptor_columns", arg.descriptor_columns);
      Expr(arg.expr.get());
      Close();
    }
    Exprs("unnest", r->unnest_args);
    Field("with_ordinality", r->with_ordinality);
    Expr(r->lateral_call.get(), "lateral_call");
    Relation(r->input.get());
    if (r->match) {
      const MatchRecognize& m = *r->match;
      Open("match_recognize");
      Exprs("partition_by", m.partition_by);
      Sort(m.order_by);
      for (const auto& measure : m.measures) {
        Open("measure");
        Field("alias", measure.alias);
        Expr(measure.expr.get());
        Close();
      }
      Field("all_rows", m.all_rows_per_match);
      Field("skip", m.after_match_skip);
      Field("skip_variable", m.skip_variable);
      Pattern(m.pattern);
      Expr(m.within.get(), "within");
      for (const auto& definition : m.define) {
        Open("define");
        Field("variable", definition.variable);
        Expr(definition.condition.get());
        Close();
      }
      Close();
    }
    Close();
  }

  void Select(const SelectCore& s) {
    Open("select");
    Hints(s.hints);
    Field("distinct", s.distinct);
    for (const auto& item : s.items) {
      Open("item");
      Field("star", item.star);
      Field("qualifier", item.star_qualifier);
      Field("alias", item.alias);
      Expr(item.expr.get());
      Close();
    }
    for (const auto& from : s.from) Relation(from.get());
    Expr(s.where.get(), "where");
    Exprs("group_by", s.group_by);
    for (const auto& g : s.grouping_elements) Grouping(g);
    Expr(s.having.get(), "having");
    for (const auto& w : s.windows) {
      Open("named_window");
      Field("name", w.name);
      Window(*w.spec);
      Close();
    }
    Close();
  }

  void Query(const ast::Query* q) {
    if (q == nullptr) return;
    Open("query");
    Field("kind", static_cast<int>(q->kind));
    for (const auto& cte : q->ctes) {
      Open("cte");
      Field("name", cte.name);
      Field("columns", cte.column_names);
      Query(cte.query.get());
      Close();
    }
    if (q->select) Select(*q->select);
    Query(q->left.get());
    Query(q->right.get());
    Field("all", q->union_all);
    for (const auto& row : q->values) Exprs("row", row);
    Query(q->nested.get());
    Sort(q->order_by);
    if (q->limit) Field("limit", *q->limit);
    if (q->offset) Field("offset", *q->offset);
    Close();
  }

  void Column(const ColumnDef& c) {
    Open("column");
    Field("name", c.name);
    if (!c.computed && c.unsupported_type.empty()) Field("type", c.type);
    Field("unsupported_type", c.unsupported_type);
    Expr(c.computed.get());
    Field("metadata", c.metadata);
    Field("metadata_key", c.metadata_key);
    Field("virtual", c.is_virtual);
    Field("comment", c.comment);
    Field("first", c.position_first);
    Field("after", c.position_after);
    Close();
  }

  void CreateTable(const ast::CreateTable& t) {
    Open("create_table");
    Field("name", t.name);
    Field("temporary", t.temporary);
    Field("if_not_exists", t.if_not_exists);
    Field("or_replace", t.or_replace);
    Field("replace", t.replace);
    for (const auto& column : t.columns) Column(column);
    Field("watermark_column", t.watermark_column);
    Expr(t.watermark_expr.get(), "watermark");
    Field("primary_key", t.primary_key);
    Field("distribution", t.distribution_keys);
    Field("distribution_kind", t.distribution_kind);
    if (t.buckets) Field("buckets", *t.buckets);
    Field("partitioned_by", t.partitioned_by);
    Options(t.options);
    Field("comment", t.comment);
    Field("like", t.like_table);
    for (const auto& [strategy, feature] : t.like_options) Field("like_option", strategy + " " + feature);
    Query(t.as_query.get());
    Close();
  }

  void Insert(const ast::Insert& i) {
    Open("insert");
    Field("table", i.table_name);
    Field("overwrite", i.overwrite);
    Hints(i.hints);
    Partition(i.partition);
    Field("columns", i.columns);
    Query(i.query.get());
    Close();
  }

  void AlterTable(const ast::AlterTable& a) {
    Open("alter_table");
    Field("action", static_cast<int>(a.action));
    Field("name", a.name);
    Field("if_exists", a.if_exists);
    Options(a.options);
    Field("reset", a.reset_keys);
    Field("new_name", a.new_name);
    Field("old_column", a.old_column);
    Field("new_column", a.new_column);
    Field("drop", a.columns_to_drop);
    Field("constraint", a.constraint_name);
    if (a.schema) CreateTable(*a.schema);
    Close();
  }

  std::string out_;
};

}  // namespace

std::string DumpAst(const Statement& statement) {
  Dumper dumper;
  dumper.Statement(statement);
  return dumper.Take();
}

}  // namespace fsql::ast
