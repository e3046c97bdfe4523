// The abstract syntax tree the parser produces. Nodes are plain structs that own
// their children; every node records where it starts in the rule file so later
// phases can point at it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/common/error.h"
#include "runtime/types/data_type.h"

namespace fsql::ast {

struct Query;
struct WindowSpec;

enum class ExprKind {
  kLiteral,
  kInterval,
  kColumnRef,  // a possibly qualified name: alias.column, column.field, ...
  kFunction,   // any call, including aggregates, window functions and COUNT(*)
  kCast,
  kCase,
  kUnary,      // "-" and "+"
  kBinary,     // arithmetic, comparison, "||", AND and OR
  kNot,
  kIsPredicate,
  kInList,
  kBetween,
  kLike,        // LIKE, or SIMILAR TO when `similar` is set
  kSubquery,    // a scalar subquery
  kExists,      // EXISTS (subquery)
  kInSubquery,  // expr [NOT] IN (subquery): children {expr}, `subquery`
  kItem,        // element access: children {collection, index or key}
};

enum class LiteralKind { kNull, kBoolean, kInteger, kDecimal, kString, kBinary, kDate, kTime, kTimestamp };

struct Expr {
  ExprKind kind;
  SourceLocation location;
  std::string text;  // the source text of the whole expression, for names and messages

  // kLiteral: kind and spelling; kInterval: the quoted value and its units.
  LiteralKind literal_kind = LiteralKind::kNull;
  std::string literal;
  std::string interval_from_unit;
  std::string interval_to_unit;
  bool interval_negative = false;

  // kColumnRef: the name parts. kFunction: the upper-cased name in `name`.
  // kBinary/kUnary: the operator ("+", "=", "AND", ...). kIsPredicate: "NULL", "TRUE", ...
  std::vector<std::string> name_parts;
  std::string name;

  std::vector<std::unique_ptr<Expr>> children;

  bool negated = false;      // NOT IN, NOT BETWEEN, NOT LIKE, IS NOT
  bool distinct = false;     // COUNT(DISTINCT x)
  bool star = false;         // COUNT(*)
  bool try_cast = false;     // TRY_CAST
  std::string time_unit;     // TIMESTAMPDIFF(SECOND, ...) and similar
  DataType cast_type;        // kCast target
  bool has_else = false;     // kCase: the last child is the ELSE value
  bool has_operand = false;  // kCase: the first child is the operand of a simple CASE

  bool similar = false;      // kLike: SIMILAR TO

  // Calls that take keywords inside their parentheses keep the ordinary call
  // shape, so the binder sees one form whichever spelling the user chose:
  //   EXTRACT(unit FROM e), FLOOR(e TO unit), CEIL(e TO unit): time_unit, children {e}
  //   POSITION(a IN b): children {a, b}
  //   SUBSTRING(s FROM a [FOR b]): children {s, a[, b]}, like SUBSTRING(s, a[, b])
  //   TRIM([BOTH|LEADING|TRAILING] [chars] FROM s): trim_side, children {s[, chars]}
  //   JSON_VALUE(j, path [RETURNING t] [... ON EMPTY] [... ON ERROR]): has_returning
  //     and cast_type; json_on_empty / json_on_error are "NULL", "ERROR" or
  //     "DEFAULT" (its value in json_on_*_default), empty when not written
  //   JSON_QUERY(j, path [WITH|WITHOUT [CONDITIONAL|UNCONDITIONAL] [ARRAY] WRAPPER]
  //     [... ON EMPTY] [... ON ERROR]): json_wrapper is "WITHOUT", "CONDITIONAL"
  //     or "UNCONDITIONAL"; ON EMPTY / ON ERROR also allow "EMPTY ARRAY" and "EMPTY OBJECT"
  //   JSON_EXISTS(j, path [TRUE|FALSE|UNKNOWN|ERROR ON ERROR]): json_on_error
  //   JSON_OBJECT([KEY] k VALUE v, ... [NULL|ABSENT ON NULL]): children {k1, v1, k2, v2, ...},
  //     json_on_null "NULL" or "ABSENT"; JSON_ARRAY(v, ... [NULL|ABSENT ON NULL]) likewise
  //   ARRAY[a, b], MAP[k, v, ...], ROW(a, b): name "ARRAY", "MAP", "ROW"
  // kIsPredicate for IS [NOT] JSON [VALUE|SCALAR|ARRAY|OBJECT] has name "JSON VALUE",
  // "JSON SCALAR", "JSON ARRAY" or "JSON OBJECT". IS [NOT] DISTINCT FROM is a kBinary
  // with name "IS DISTINCT FROM" or "IS NOT DISTINCT FROM".
  std::string trim_side;  // "BOTH", "LEADING" or "TRAILING"
  bool has_returning = false;
  std::string json_on_empty, json_on_error, json_on_null, json_wrapper;
  std::unique_ptr<Expr> json_on_empty_default, json_on_error_default;

  std::unique_ptr<Expr> filter;             // aggregate FILTER (WHERE ...)
  std::unique_ptr<WindowSpec> over;         // OVER (...)
  std::string over_window_name;             // OVER w
  std::shared_ptr<Query> subquery;          // kSubquery, kExists, kInSubquery
};

struct SortItem {
  std::unique_ptr<Expr> expr;
  bool descending = false;
  std::optional<bool> nulls_first;
};

enum class FrameBoundKind { kUnboundedPreceding, kPreceding, kCurrentRow, kFollowing, kUnboundedFollowing };

struct FrameBound {
  FrameBoundKind kind = FrameBoundKind::kCurrentRow;
  std::unique_ptr<Expr> offset;  // for kPreceding and kFollowing
};

struct WindowSpec {
  SourceLocation location;
  std::string base_window;  // OVER (w ORDER BY ...) refers to a named window
  std::vector<std::unique_ptr<Expr>> partition_by;
  std::vector<SortItem> order_by;
  bool has_frame = false;
  bool rows_frame = false;  // ROWS, else RANGE
  FrameBound frame_start;
  FrameBound frame_end;
};

struct NamedWindow {
  std::string name;
  std::unique_ptr<WindowSpec> spec;
};

struct SelectItem {
  SourceLocation location;
  bool star = false;
  std::vector<std::string> star_qualifier;  // t.* has {"t"}
  std::unique_ptr<Expr> expr;
  std::string alias;
};

enum class JoinKind { kInner, kLeft, kRight, kFull, kCross };

struct Relation;

struct JoinClause {
  SourceLocation location;
  JoinKind kind = JoinKind::kInner;
  std::unique_ptr<Relation> right;
  std::unique_ptr<Expr> on;
  std::vector<std::string> using_columns;
};

enum class RelationKind { kTable, kSubquery, kJoin, kTableFunction };

/// An argument of a table function call such as TUMBLE(TABLE t, DESCRIPTOR(ts), ...).
struct TableFunctionArg {
  enum class Kind { kTable, kDescriptor, kExpression };
  Kind kind = Kind::kExpression;
  SourceLocation location;
  std::string name;  // for `name => value`; empty when positional
  std::vector<std::string> table_name;
  std::string descriptor;
  std::unique_ptr<Expr> expr;
};

/// A FROM item: a table, a derived table, or a chain of joins.
struct Relation {
  RelationKind kind = RelationKind::kTable;
  SourceLocation location;
  std::vector<std::string> table_name;  // kTable, name parts
  std::unique_ptr<Expr> as_of;          // kTable: FOR SYSTEM_TIME AS OF expr
  std::shared_ptr<Query> subquery;      // kSubquery
  std::string alias;
  std::vector<std::string> column_aliases;
  std::unique_ptr<Relation> left;  // kJoin: the first relation, then `joins` in order
  std::vector<JoinClause> joins;
  std::string function_name;                 // kTableFunction, upper-cased
  std::vector<TableFunctionArg> function_args;  // kTableFunction
};

struct SelectCore {
  SourceLocation location;
  bool distinct = false;
  std::vector<SelectItem> items;
  std::vector<std::unique_ptr<Relation>> from;  // comma-separated relations
  std::unique_ptr<Expr> where;
  std::vector<std::unique_ptr<Expr>> group_by;
  std::unique_ptr<Expr> having;
  std::vector<NamedWindow> windows;
};

struct CommonTableExpr {
  std::string name;
  SourceLocation location;
  std::vector<std::string> column_names;
  std::shared_ptr<Query> query;
};

enum class QueryKind { kSelect, kUnion, kValues, kNested };

struct Query {
  QueryKind kind = QueryKind::kSelect;
  SourceLocation location;
  std::vector<CommonTableExpr> ctes;
  std::unique_ptr<SelectCore> select;                    // kSelect
  std::shared_ptr<Query> left, right;                    // kUnion
  bool union_all = false;
  std::vector<std::vector<std::unique_ptr<Expr>>> values;  // kValues
  std::shared_ptr<Query> nested;                           // kNested: ( query )
  std::vector<SortItem> order_by;
  std::optional<int64_t> limit;
};

// ---- Statements ----

struct ColumnDef {
  SourceLocation location;
  std::string name;
  DataType type;
  std::unique_ptr<Expr> computed;  // name AS expr
  bool metadata = false;
  std::string metadata_key;
  bool is_virtual = false;
  std::string comment;
};

struct TableOption {
  SourceLocation location;
  std::string key;
  std::string value;
};

struct CreateTable {
  std::vector<std::string> name;
  bool temporary = false;
  bool if_not_exists = false;
  std::vector<ColumnDef> columns;
  std::string watermark_column;
  std::unique_ptr<Expr> watermark_expr;
  SourceLocation watermark_location;
  std::vector<std::string> primary_key;
  SourceLocation primary_key_location;
  std::vector<std::string> distribution_keys;
  std::optional<int> buckets;
  std::vector<std::string> partitioned_by;
  std::vector<TableOption> options;
  std::string comment;
  std::shared_ptr<Query> as_query;  // CREATE TABLE ... AS query
};

struct Insert {
  std::vector<std::string> table_name;
  SourceLocation table_location;
  bool overwrite = false;
  std::vector<std::string> columns;
  std::shared_ptr<Query> query;
};

struct CreateView {
  std::vector<std::string> name;
  bool temporary = false;
  bool if_not_exists = false;
  std::vector<std::string> column_names;
  std::shared_ptr<Query> query;
};

enum class StatementKind {
  kSet,
  kReset,
  kCreateTable,
  kCreateView,
  kInsert,
  kQuery,
  kStatementSet,       // EXECUTE STATEMENT SET BEGIN ... END
  kBeginStatementSet,  // BEGIN STATEMENT SET, as the SQL client writes it
  kEndStatementSet,    // END
};

struct Statement {
  StatementKind kind;
  SourceLocation location;
  std::string text;  // the statement's source text
  std::string key, value;  // SET / RESET; an empty key lists or resets everything
  std::unique_ptr<CreateTable> create_table;
  std::unique_ptr<CreateView> create_view;
  std::unique_ptr<Insert> insert;
  std::shared_ptr<Query> query;
  std::vector<std::unique_ptr<Insert>> statement_set;  // kStatementSet, in order
  std::vector<SourceLocation> statement_set_locations;
};

/// Joins name parts with dots, for messages.
std::string JoinName(const std::vector<std::string>& parts);

}  // namespace fsql::ast
