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
struct Statement;
struct WindowSpec;
struct GroupingElement;

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
  kInSubquery,  // expr [NOT] IN (subquery): children {expr}, `subquery`. With `name` set it is
                // a quantified comparison expr <op> ALL|ANY (subquery), name e.g. "> ALL"
                // or "= ANY" (SOME is written ANY)
  kItem,        // element access: children {collection, index or key}; with `name` "."
                // a field of a ROW element, as in a[1].f: children {row, string literal "f"}
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

  // kColumnRef: the name parts. kFunction: the upper-cased name in `name`, and for a
  // catalog-qualified call such as cat.db.f(x) also the parts as written in `name_parts`.
  // kBinary/kUnary: the operator ("+", "=", "AND", ...). kIsPredicate: "NULL", "TRUE", ...
  std::vector<std::string> name_parts;
  std::string name;

  std::vector<std::unique_ptr<Expr>> children;
  // kFunction with named arguments, f(a => 1, b => 2): the name of each child, "" for
  // a positional one. Empty when no argument is named.
  std::vector<std::string> argument_names;

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
  //   JSON_OBJECTAGG([KEY] k VALUE v [NULL|ABSENT ON NULL]) like JSON_OBJECT with one pair,
  //     JSON_ARRAYAGG(v [NULL|ABSENT ON NULL]) like JSON_ARRAY
  //   ARRAY[a, b], MAP[k, v, ...], ROW(a, b): name "ARRAY", "MAP", "ROW"
  //   CURRENT_DATE, CURRENT_TIME, CURRENT_TIMESTAMP, LOCALTIME, LOCALTIMESTAMP written
  //     without parentheses: a call of that name without arguments
  // a BETWEEN SYMMETRIC l AND u becomes (a BETWEEN l AND u) OR (a BETWEEN u AND l), and
  // the UNKNOWN literal becomes CAST(NULL AS BOOLEAN); (a, b) outside VALUES is ROW(a, b).
  // (a, b) OVERLAPS (c, d) is a call named "OVERLAPS" with children {ROW(a, b), ROW(c, d)}.
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

/// A hint written as /*+ NAME(...) */: OPTIONS('k'='v') after a table name, or a
/// query hint such as STATE_TTL('t'='1d') or BROADCAST(t) after SELECT.
struct Hint {
  SourceLocation location;
  std::string name;  // upper-cased
  std::vector<std::string> arguments;  // positional arguments: names or string values
  std::vector<std::pair<std::string, std::string>> options;  // 'key' = 'value' arguments
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
  bool natural = false;  // NATURAL JOIN: the condition is equality on the common column names
  std::unique_ptr<Relation> right;
  std::unique_ptr<Expr> on;
  std::vector<std::string> using_columns;
};

enum class RelationKind {
  kTable,
  kSubquery,
  kJoin,
  kTableFunction,    // TABLE(f(...)): window TVFs and other polymorphic table functions
  kUnnest,           // UNNEST(array, ...) [WITH ORDINALITY]
  kLateralTable,     // LATERAL TABLE(f(x)): a user-defined table function per row
  kMatchRecognize,   // input MATCH_RECOGNIZE (...)
};

/// A row pattern of MATCH_RECOGNIZE: a variable, a sequence, an alternation, or a
/// parenthesized group, each with an optional quantifier.
struct PatternTerm {
  enum class Kind { kVariable, kSequence, kAlternation, kGroup };
  Kind kind = Kind::kVariable;
  SourceLocation location;
  std::string variable;              // kVariable
  std::vector<PatternTerm> children;  // kSequence and kAlternation: the parts; kGroup: one
  // The quantifier: {min, max} with max -1 for no bound; {1, 1} when none is written.
  int64_t min = 1;
  int64_t max = 1;
  bool reluctant = false;  // written with a trailing '?', e.g. A+?
};

struct MatchRecognize {
  SourceLocation location;
  std::vector<std::unique_ptr<Expr>> partition_by;
  std::vector<SortItem> order_by;
  struct Measure {
    std::unique_ptr<Expr> expr;
    std::string alias;
  };
  std::vector<Measure> measures;
  bool all_rows_per_match = false;  // ALL ROWS PER MATCH, else ONE ROW PER MATCH
  SourceLocation rows_per_match_location;  // of ONE or ALL, when written
  // AFTER MATCH SKIP: "PAST LAST ROW", "TO NEXT ROW", "TO FIRST", "TO LAST" or "TO"
  // (the last three with skip_variable); empty when not written.
  std::string after_match_skip;
  std::string skip_variable;
  SourceLocation skip_location;  // of the variable of SKIP TO, when written
  PatternTerm pattern;
  std::unique_ptr<Expr> within;  // WITHIN INTERVAL '...' unit
  struct Definition {
    std::string variable;
    std::unique_ptr<Expr> condition;
    SourceLocation location;  // of the variable
  };
  std::vector<Definition> define;
};

/// An argument of a table function call such as TUMBLE(TABLE t, DESCRIPTOR(ts), ...).
struct TableFunctionArg {
  enum class Kind { kTable, kDescriptor, kExpression, kModel };  // kModel: MODEL name, in table_name
  Kind kind = Kind::kExpression;
  SourceLocation location;
  std::string name;  // for `name => value`; empty when positional
  std::vector<std::string> table_name;
  std::vector<std::string> partition_by;  // TABLE t PARTITION BY k, as SESSION takes it
  std::vector<SortItem> order_by;         // TABLE t PARTITION BY k ORDER BY ts
  std::string descriptor;                 // the first column of DESCRIPTOR(...)
  std::vector<std::string> descriptor_columns;  // all columns of DESCRIPTOR(...)
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
  std::vector<Hint> hints;                    // kTable: /*+ OPTIONS(...) */
  bool lateral = false;                       // kSubquery: LATERAL (query)
  std::vector<std::unique_ptr<Expr>> unnest_args;  // kUnnest
  bool with_ordinality = false;                    // kUnnest
  std::unique_ptr<Expr> lateral_call;              // kLateralTable: the function call
  std::unique_ptr<Relation> input;                 // kMatchRecognize: the relation it reads
  std::unique_ptr<MatchRecognize> match;           // kMatchRecognize
};

/// One item of a GROUP BY list that uses grouping sets.
struct GroupingElement {
  enum class Kind { kExpression, kEmpty, kRollup, kCube, kGroupingSets };
  Kind kind = Kind::kExpression;
  SourceLocation location;
  // kExpression: one expression, or several written as a parenthesized list (a, b).
  std::vector<std::unique_ptr<Expr>> exprs;
  // kRollup and kCube: their items, each a kExpression. kGroupingSets: its elements.
  std::vector<GroupingElement> sets;
};

struct SelectCore {
  SourceLocation location;
  bool distinct = false;
  std::vector<SelectItem> items;
  std::vector<std::unique_ptr<Relation>> from;  // comma-separated relations
  std::unique_ptr<Expr> where;
  std::vector<Hint> hints;  // query hints: SELECT /*+ ... */
  // GROUP BY with plain expressions only. When the list contains GROUPING SETS,
  // ROLLUP, CUBE or (), `group_by` is empty and `grouping_elements` contains
  // the whole list in order.
  std::vector<std::unique_ptr<Expr>> group_by;
  std::vector<GroupingElement> grouping_elements;
  std::unique_ptr<Expr> having;
  std::vector<NamedWindow> windows;
};

struct CommonTableExpr {
  std::string name;
  SourceLocation location;
  std::vector<std::string> column_names;
  std::shared_ptr<Query> query;
};

enum class QueryKind { kSelect, kUnion, kIntersect, kExcept, kValues, kNested };

struct Query {
  QueryKind kind = QueryKind::kSelect;
  SourceLocation location;
  std::vector<CommonTableExpr> ctes;
  std::unique_ptr<SelectCore> select;                    // kSelect
  std::shared_ptr<Query> left, right;                    // kUnion, kIntersect, kExcept
  bool union_all = false;                                // ALL on any of the three set operations
  std::vector<std::vector<std::unique_ptr<Expr>>> values;  // kValues
  std::shared_ptr<Query> nested;                           // kNested: ( query )
  std::vector<SortItem> order_by;
  std::optional<int64_t> limit;   // LIMIT n or FETCH FIRST n ROWS ONLY
  std::optional<int64_t> offset;  // OFFSET n ROWS
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
  // A column type that contains RAW('class', 'snapshot') or VARIANT, which DataType
  // cannot represent yet: its tokens, space-separated. `type` is then unset and
  // the catalog rejects the column.
  std::string unsupported_type;
  // ALTER TABLE ADD/MODIFY: FIRST, or AFTER the named column.
  bool position_first = false;
  std::string position_after;
};

struct TableOption {
  SourceLocation location;
  std::string key;
  std::string value;
};

struct CreateTable {
  std::vector<std::string> name;
  SourceLocation name_location;
  bool temporary = false;
  bool if_not_exists = false;
  std::vector<ColumnDef> columns;
  std::string watermark_column;
  std::unique_ptr<Expr> watermark_expr;
  SourceLocation watermark_location;
  std::vector<std::string> primary_key;
  SourceLocation primary_key_location;
  std::vector<std::string> distribution_keys;
  std::string distribution_kind;  // "HASH" or "RANGE" when written after DISTRIBUTED BY
  SourceLocation distribution_location;
  std::optional<int> buckets;
  std::vector<std::string> partitioned_by;
  std::vector<TableOption> options;
  std::string comment;
  std::shared_ptr<Query> as_query;  // CREATE TABLE ... AS query
  bool or_replace = false;          // CREATE OR REPLACE TABLE ... AS
  bool replace = false;             // REPLACE TABLE ... AS, without CREATE
  // CREATE TABLE ... LIKE source (options): each option is {"INCLUDING" | "EXCLUDING" |
  // "OVERWRITING", "ALL" | "CONSTRAINTS" | "DISTRIBUTION" | "GENERATED" | "METADATA" |
  // "OPTIONS" | "PARTITIONS" | "WATERMARKS"}.
  std::vector<std::string> like_table;
  SourceLocation like_location;
  std::vector<std::pair<std::string, std::string>> like_options;
};

struct Insert {
  std::vector<std::string> table_name;
  SourceLocation table_location;
  bool overwrite = false;
  std::vector<Hint> hints;  // INSERT INTO t /*+ OPTIONS(...) */
  // PARTITION (k = 'v', ...): static partition values.
  std::vector<std::pair<std::string, std::unique_ptr<Expr>>> partition;
  std::vector<std::string> columns;
  std::shared_ptr<Query> query;
};

struct CreateView {
  std::vector<std::string> name;
  bool temporary = false;
  bool if_not_exists = false;
  std::vector<std::string> column_names;
  std::string comment;
  std::shared_ptr<Query> query;
};

/// ALTER TABLE name action.
struct AlterTable {
  enum class Action {
    kSetOptions,      // SET ('k' = 'v', ...)
    kResetOptions,    // RESET ('k', ...)
    kRename,          // RENAME TO new_name
    kRenameColumn,    // RENAME old TO new
    kAdd,             // ADD column / (columns) / WATERMARK / PRIMARY KEY / DISTRIBUTION
    kModify,          // MODIFY, the same shapes as ADD
    kDropColumns,     // DROP column / DROP (columns)
    kDropWatermark,   // DROP WATERMARK
    kDropPrimaryKey,  // DROP PRIMARY KEY or DROP CONSTRAINT name
    kDropDistribution,
  };
  Action action = Action::kSetOptions;
  std::vector<std::string> name;
  SourceLocation name_location;
  bool if_exists = false;
  std::vector<TableOption> options;   // kSetOptions
  std::vector<std::string> reset_keys;  // kResetOptions
  std::vector<std::string> new_name;  // kRename
  std::string old_column, new_column;  // kRenameColumn
  std::vector<std::string> columns_to_drop;  // kDropColumns
  std::string constraint_name;               // DROP CONSTRAINT name
  // kAdd and kModify: the schema parts, as in CREATE TABLE. `schema` contains the
  // columns, watermark, primary key and distribution; its name and options are unused.
  std::unique_ptr<CreateTable> schema;
};

/// DROP TABLE / VIEW / FUNCTION / DATABASE / CATALOG / MODEL.
struct Drop {
  std::string object;  // "TABLE", "VIEW", "FUNCTION", "DATABASE", "CATALOG" or "MODEL"
  std::vector<std::string> name;
  bool temporary = false;
  bool system = false;  // DROP TEMPORARY SYSTEM FUNCTION
  bool if_exists = false;
  std::string behavior;  // DROP DATABASE ... "RESTRICT" or "CASCADE"; empty when not written
};

/// SHOW ... and DESCRIBE: statements that only list or describe catalog objects.
struct Show {
  // The keywords after SHOW up to the name: "TABLES", "FULL TABLES", "VIEWS",
  // "FUNCTIONS", "USER FUNCTIONS", "CATALOGS", "DATABASES", "MODELS", "MODULES",
  // "FULL MODULES", "JOBS", "JARS", "COLUMNS", "PARTITIONS", "CURRENT CATALOG",
  // "CURRENT DATABASE", "CREATE TABLE", "CREATE VIEW", "CREATE CATALOG" or
  // "CREATE MODEL". For DESCRIBE: "TABLE", "CATALOG", "DATABASE", "FUNCTION",
  // "MODEL" or "JOB".
  std::string what;
  std::vector<std::string> name;    // the object shown or described, or FROM/IN name
  bool from_in = false;             // SHOW TABLES FROM db: `name` came after FROM or IN
  bool extended = false;            // DESCRIBE EXTENDED
  std::string like_keyword;         // "LIKE" or "ILIKE"; empty when no pattern
  bool not_like = false;
  std::string like_pattern;
  std::string job_id;               // DESCRIBE JOB 'id'
  std::vector<std::pair<std::string, std::unique_ptr<Expr>>> partition;  // SHOW PARTITIONS t PARTITION (...)
};

/// EXPLAIN [PLAN FOR] [detail, ...] statement.
struct Explain {
  bool plan_for = false;
  std::vector<std::string> details;  // ESTIMATED_COST, CHANGELOG_MODE, JSON_EXECUTION_PLAN, PLAN_ADVICE
  std::unique_ptr<Statement> statement;
};

/// USE [CATALOG] name, or USE MODULES a, b.
struct Use {
  bool catalog = false;
  bool modules = false;
  std::vector<std::string> name;     // the catalog, or the [catalog.]database
  std::vector<std::string> modules_list;
};

/// CREATE [TEMPORARY] [SYSTEM] FUNCTION, CREATE CATALOG / DATABASE, ALTER VIEW and
/// the other catalog statements fsql parses but does not run.
struct CreateFunction {
  std::vector<std::string> name;
  bool temporary = false;
  bool system = false;
  bool if_not_exists = false;
  std::string class_name;
  std::string language;  // JAVA, SCALA or PYTHON; empty when not written
  std::vector<std::string> jars;  // USING JAR '...'
};

/// CREATE CATALOG / CREATE DATABASE with options, and ALTER DATABASE / ALTER VIEW /
/// ALTER FUNCTION: parsed for completeness, rejected by the planner.
struct CatalogStatement {
  std::string verb;    // "CREATE" or "ALTER"
  std::string object;  // "CATALOG", "DATABASE", "VIEW" or "FUNCTION"
  std::vector<std::string> name;
  bool if_not_exists = false;
  bool if_exists = false;
  bool temporary = false;
  bool system = false;
  std::string comment;
  std::vector<TableOption> options;     // WITH (...) or SET (...)
  std::vector<std::string> reset_keys;  // ALTER CATALOG ... RESET (...)
  std::vector<std::string> new_name;    // ALTER VIEW ... RENAME TO
  std::shared_ptr<Query> query;         // ALTER VIEW ... AS query
  std::string class_name, language;     // ALTER FUNCTION ... AS 'class' [LANGUAGE l]
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
  kAlterTable,
  kDrop,
  kShow,
  kDescribe,
  kExplain,
  kUse,
  kCreateFunction,
  kCatalogStatement,  // CREATE CATALOG / DATABASE, ALTER DATABASE / VIEW / FUNCTION
  kOther,             // parsed and always rejected: see OtherStatement
};

/// A statement fsql parses but never runs, such as CREATE MATERIALIZED TABLE,
/// CREATE MODEL, COMPILE PLAN, CALL, UPDATE or DELETE. Only its tokens are kept.
struct OtherStatement {
  std::string feature;  // the leading keywords, e.g. "CREATE MATERIALIZED TABLE", for messages
  std::string tokens;   // the statement's tokens separated by single spaces, comments dropped
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
  std::unique_ptr<AlterTable> alter_table;
  std::unique_ptr<Drop> drop;
  std::unique_ptr<Show> show;  // kShow and kDescribe
  std::unique_ptr<Explain> explain;
  std::unique_ptr<Use> use;
  std::unique_ptr<CreateFunction> create_function;
  std::unique_ptr<CatalogStatement> catalog_statement;
  std::unique_ptr<OtherStatement> other;
};

/// Joins name parts with dots, for messages.
std::string JoinName(const std::vector<std::string>& parts);

/// Deep copies, for the catalog, which keeps each table's definition to apply
/// ALTER TABLE, LIKE and OPTIONS hints to. Subqueries are shared, not copied.
std::unique_ptr<Expr> Clone(const Expr& expr);
ColumnDef Clone(const ColumnDef& column);
std::unique_ptr<CreateTable> Clone(const CreateTable& table);

}  // namespace fsql::ast
