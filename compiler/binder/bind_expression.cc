// Binding of scalar expressions: names to column indexes, literals to values,
// calls to typed function applications with implicit casts.
#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "compiler/binder/binder.h"
#include "compiler/binder/expression_binder.h"
#include "runtime/common/logging.h"
#include "runtime/types/decimal.h"

namespace fsql {

namespace {

DataType Boolean(bool nullable) { return DataType::Of(TypeId::kBoolean, nullable); }

int64_t ParseIntervalMillis(const ast::Expr& expr) {
  const std::string& unit = expr.interval_from_unit;
  std::string text = expr.literal;
  auto fail = [&]() -> int64_t {
    throw SqlError(fmt::format("invalid interval literal '{}'", text), expr.location,
                   "write intervals as INTERVAL '10' MINUTE or INTERVAL '1 10:00:00' DAY TO SECOND");
  };
  int64_t sign = expr.interval_negative ? -1 : 1;
  std::string trimmed = text;
  trimmed.erase(0, trimmed.find_first_not_of(' '));
  if (!trimmed.empty() && trimmed[0] == '-') {
    sign = -sign;
    trimmed.erase(0, 1);
  }
  if (unit.empty()) {
    // Flink also accepts the unit inside the string: INTERVAL '10 MINUTES'.
    auto space = trimmed.find(' ');
    if (space == std::string::npos) fail();
    ast::Expr copy;
    copy.location = expr.location;
    copy.literal = trimmed.substr(0, space);
    std::string inner_unit = trimmed.substr(space + 1);
    std::transform(inner_unit.begin(), inner_unit.end(), inner_unit.begin(), ::toupper);
    copy.interval_from_unit = inner_unit;
    copy.interval_negative = sign < 0;
    return ParseIntervalMillis(copy);
  }
  static const std::map<std::string, int64_t> unit_millis = {
      {"MILLISECOND", 1},         {"SECOND", 1000},          {"SECONDS", 1000},
      {"MINUTE", 60'000},         {"MINUTES", 60'000},       {"HOUR", 3'600'000},
      {"HOURS", 3'600'000},       {"DAY", 86'400'000},       {"DAYS", 86'400'000},
      {"WEEK", 7 * 86'400'000LL},
  };
  if (!expr.interval_to_unit.empty()) {
    throw NotSupportedError(fmt::format("interval ranges such as {} TO {} are not supported yet",
                                        unit, expr.interval_to_unit),
                            expr.location, "use a single unit, e.g. INTERVAL '90' MINUTE");
  }
  auto it = unit_millis.find(unit);
  if (it == unit_millis.end()) {
    throw NotSupportedError(fmt::format("year-month intervals ({}) are not supported yet", unit),
                            expr.location, "use DAY, HOUR, MINUTE or SECOND");
  }
  char* end = nullptr;
  double amount = std::strtod(trimmed.c_str(), &end);
  if (trimmed.empty() || *end != '\0') fail();
  return sign * static_cast<int64_t>(std::llround(amount * static_cast<double>(it->second)));
}

}  // namespace

int64_t IntervalMillis(const ast::Expr& expr) { return ParseIntervalMillis(expr); }

ExprPtr CoerceTo(ExprPtr expr, const DataType& target, const SourceLocation& location,
                 const std::string& context) {
  if (expr->type.SameShape(target) || expr->type.id == TypeId::kNull) {
    if (expr->type.id == TypeId::kNull) return Expr::Literal(Value::Null(), target.WithNullable(true));
    return expr;
  }
  DataType common = CommonType(expr->type, target);
  bool widening = common.id != TypeId::kNull && common.SameShape(target);
  bool string_to_string = expr->type.IsString() && target.IsString();
  bool timestamp_kinds = expr->type.IsTimestamp() && target.IsTimestamp();
  // Flink casts every exact numeric to any DECIMAL implicitly; a value that
  // does not fit becomes NULL.
  bool exact_to_decimal =
      target.id == TypeId::kDecimal && (expr->type.IsInteger() || expr->type.id == TypeId::kDecimal);
  if (widening || string_to_string || timestamp_kinds || exact_to_decimal) {
    return Expr::Cast(expr, target.WithNullable(expr->type.nullable), false);
  }
  throw SqlError(fmt::format("cannot use a value of type {} as {} in {}", expr->type.ToString(),
                             target.ToString(), context),
                 location, fmt::format("add an explicit CAST(... AS {})", target.ToString()));
}

ExpressionBinder::ExpressionBinder(const Scope& scope) : scope_(scope) {}

ExprPtr ExpressionBinder::Bind(const ast::Expr& expr) {
  switch (expr.kind) {
    case ast::ExprKind::kLiteral: return BindLiteral(expr);
    case ast::ExprKind::kInterval:
      return Expr::Literal(Value::Int(ParseIntervalMillis(expr)),
                           DataType::Of(TypeId::kIntervalDayTime, false));
    case ast::ExprKind::kColumnRef: return BindColumn(expr);
    case ast::ExprKind::kFunction: return BindFunction(expr);
    case ast::ExprKind::kCast: return BindCast(expr);
    case ast::ExprKind::kCase: return BindCase(expr);
    case ast::ExprKind::kUnary: {
      ExprPtr operand = Bind(*expr.children[0]);
      RequireNumeric(*operand, expr.children[0]->location, "unary " + expr.name);
      if (expr.name == "+") return operand;
      return Expr::Call("NEGATE", {operand}, operand->type);
    }
    case ast::ExprKind::kBinary: return BindBinary(expr);
    case ast::ExprKind::kNot: {
      ExprPtr operand = RequireBoolean(Bind(*expr.children[0]), expr.children[0]->location, "NOT");
      return Expr::Call("NOT", {operand}, operand->type);
    }
    case ast::ExprKind::kIsPredicate: {
      ExprPtr operand = Bind(*expr.children[0]);
      if (expr.name.rfind("JSON", 0) == 0) return BindIsJson(expr, operand);
      std::string name = std::string("IS ") + (expr.negated ? "NOT " : "") + expr.name;
      if (expr.name == "UNKNOWN") name = expr.negated ? "IS NOT NULL" : "IS NULL";
      if (expr.name == "TRUE" || expr.name == "FALSE") RequireBoolean(operand, expr.location, name);
      return Expr::Call(name, {operand}, Boolean(false));
    }
    case ast::ExprKind::kInList: return BindInList(expr);
    case ast::ExprKind::kBetween: {
      ExprPtr value = Bind(*expr.children[0]);
      ExprPtr lower = Bind(*expr.children[1]);
      ExprPtr upper = Bind(*expr.children[2]);
      ExprPtr low_check = MakeComparison(">=", value, lower, expr.location);
      ExprPtr high_check = MakeComparison("<=", value, upper, expr.location);
      bool nullable = low_check->type.nullable || high_check->type.nullable;
      ExprPtr both = Expr::Call("AND", {low_check, high_check}, Boolean(nullable));
      return expr.negated ? Expr::Call("NOT", {both}, both->type) : both;
    }
    case ast::ExprKind::kLike: {
      if (expr.similar) return BindSimilarTo(expr);
      ExprPtr value = Bind(*expr.children[0]);
      ExprPtr pattern = Bind(*expr.children[1]);
      RequireString(*value, expr.children[0]->location, "LIKE");
      RequireString(*pattern, expr.children[1]->location, "LIKE");
      std::vector<ExprPtr> args = {value, pattern};
      if (!expr.literal.empty()) {
        args.push_back(Expr::Literal(Value::String(expr.literal), DataType::Of(TypeId::kString, false)));
      }
      return Expr::Call(expr.negated ? "NOT LIKE" : "LIKE", args,
                        Boolean(value->type.nullable || pattern->type.nullable));
    }
    case ast::ExprKind::kSubquery:
      throw NotSupportedError("scalar subqueries are not supported yet", expr.location,
                              "rewrite the subquery as a join");
    case ast::ExprKind::kExists:
    case ast::ExprKind::kInSubquery:
      throw NotSupportedError(fmt::format("{} subqueries are not supported yet",
                                          expr.kind == ast::ExprKind::kExists ? "EXISTS" : "IN"),
                              expr.location, "rewrite the subquery as a join");
    case ast::ExprKind::kItem: return BindItem(expr);
  }
  throw InternalError("unhandled expression kind");
}

ExprPtr ExpressionBinder::BindLiteral(const ast::Expr& expr) {
  switch (expr.literal_kind) {
    case ast::LiteralKind::kNull:
      return Expr::Literal(Value::Null(), DataType::Of(TypeId::kNull));
    case ast::LiteralKind::kBoolean:
      return Expr::Literal(Value::Boolean(expr.literal == "TRUE"), Boolean(false));
    case ast::LiteralKind::kInteger: {
      errno = 0;
      long long value = std::strtoll(expr.literal.c_str(), nullptr, 10);
      if (errno == ERANGE) {
        // Calcite types an integer literal beyond BIGINT as DECIMAL(digits, 0).
        return BindDecimalLiteral(expr);
      }
      bool fits_int = value >= INT32_MIN && value <= INT32_MAX;
      return Expr::Literal(Value::Int(value), DataType::Of(fits_int ? TypeId::kInt : TypeId::kBigInt, false));
    }
    case ast::LiteralKind::kDecimal:
      return BindDecimalLiteral(expr);
    case ast::LiteralKind::kString: {
      DataType type = DataType::Of(TypeId::kString, false);
      type.length = static_cast<int>(expr.literal.size());
      return Expr::Literal(Value::String(expr.literal), DataType::Of(TypeId::kString, false));
    }
    case ast::LiteralKind::kDate:
    case ast::LiteralKind::kTime:
    case ast::LiteralKind::kTimestamp:
      return BindTypedLiteral(expr);
    default:
      throw NotSupportedError(fmt::format("literal {} is not supported yet", expr.text), expr.location);
  }
}

ExprPtr ExpressionBinder::BindDecimalLiteral(const ast::Expr& expr) {
  const std::string& text = expr.literal;
  if (text.find_first_of("eE") != std::string::npos) {
    return Expr::Literal(Value::Double(std::strtod(text.c_str(), nullptr)), DataType::Of(TypeId::kDouble, false));
  }
  // As Calcite types exact literals: every digit counts toward the precision,
  // so 1.25 is DECIMAL(3, 2) and 0.5 is DECIMAL(2, 1).
  size_t point = text.find('.');
  int digits = static_cast<int>(std::count_if(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }));
  int scale = point == std::string::npos ? 0 : static_cast<int>(text.size() - point - 1);
  if (digits > kMaxDecimalPrecision) {
    throw SqlError(fmt::format("numeric literal {} has {} digits, more than DECIMAL's maximum of {}", text, digits,
                               kMaxDecimalPrecision),
                   expr.location, fmt::format("write it as a DOUBLE literal, e.g. {}E0", text));
  }
  DataType type = DataType::Of(TypeId::kDecimal, false);
  type.precision = std::max(digits, 1);
  type.scale = scale;
  Int128 unscaled = 0;
  if (DecimalParse(text, type.precision, type.scale, &unscaled) != DecimalStatus::kOk) {
    throw InternalError(fmt::format("decimal literal {} does not parse as {}", text, type.ToString()));
  }
  return Expr::Literal(Value::Decimal(unscaled, type.scale), type);
}

std::vector<std::string> ExpressionBinder::VisibleNames() const {
  std::vector<std::string> names;
  for (const auto& column : scope_.columns) names.push_back(column.name);
  return names;
}

ExprPtr ExpressionBinder::BindColumn(const ast::Expr& expr) {
  const auto& parts = expr.name_parts;
  // A qualified name first tries the qualifier, as SQL resolves t.col before col.field.
  if (parts.size() >= 2) {
    int found = -1;
    for (size_t i = 0; i < scope_.columns.size(); ++i) {
      const auto& column = scope_.columns[i];
      if (column.qualifier == parts[0] && column.name == parts[1]) {
        if (found >= 0) {
          throw SqlError(fmt::format("column '{}.{}' is ambiguous", parts[0], parts[1]), expr.location);
        }
        found = static_cast<int>(i);
      }
    }
    if (found >= 0) return AccessFields(Expr::InputRef(found, scope_.columns[found].type), parts, 2, expr);
  }
  int found = -1;
  for (size_t i = 0; i < scope_.columns.size(); ++i) {
    if (scope_.columns[i].name == parts[0]) {
      if (found >= 0) {
        throw SqlError(fmt::format("column '{}' is ambiguous", parts[0]), expr.location,
                       fmt::format("qualify it with a table name or alias, e.g. {}.{}",
                                   scope_.columns[found].qualifier.empty() ? "t" : scope_.columns[found].qualifier,
                                   parts[0]));
      }
      found = static_cast<int>(i);
    }
  }
  if (found >= 0) return AccessFields(Expr::InputRef(found, scope_.columns[found].type), parts, 1, expr);

  std::string upper = parts[0];
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  if (parts.size() == 1) {
    if (ExprPtr niladic = BindNiladic(upper, expr.location)) return niladic;
  }
  bool qualifier_exists = std::any_of(scope_.columns.begin(), scope_.columns.end(),
                                      [&](const auto& c) { return c.qualifier == parts[0]; });
  if (parts.size() >= 2 && qualifier_exists) {
    std::vector<std::string> names;
    for (const auto& c : scope_.columns) {
      if (c.qualifier == parts[0]) names.push_back(c.name);
    }
    throw SqlError(fmt::format("column '{}' not found in '{}'", parts[1], parts[0]), expr.location,
                   DidYouMean(parts[1], names));
  }
  if (parts.size() >= 2) {
    // `t.a` where t names neither a table of the query nor a column: usually a
    // misspelt qualifier, or a table name that an alias replaced.
    std::vector<std::string> qualifiers;
    for (const auto& c : scope_.columns) {
      if (!c.qualifier.empty() && std::find(qualifiers.begin(), qualifiers.end(), c.qualifier) == qualifiers.end()) {
        qualifiers.push_back(c.qualifier);
      }
    }
    std::string hint = DidYouMean(parts[0], qualifiers);
    if (hint.empty() && !qualifiers.empty()) {
      hint = fmt::format("the tables of this query are called {}", fmt::join(qualifiers, ", "));
    }
    throw SqlError(fmt::format("column '{}' not found", ast::JoinName(parts)), expr.location, hint);
  }
  std::string hint = DidYouMean(parts[0], VisibleNames());
  if (hint.empty()) {
    std::vector<std::string> names = VisibleNames();
    names.erase(std::remove_if(names.begin(), names.end(), [](const std::string& n) { return n.rfind("$", 0) == 0; }),
                names.end());
    hint = names.size() <= 12 ? fmt::format("available columns: {}", fmt::join(names, ", ")) : "";
  }
  throw SqlError(fmt::format("column '{}' not found", parts[0]), expr.location, hint);
}

ExprPtr ExpressionBinder::AccessFields(ExprPtr base, const std::vector<std::string>& parts, size_t first,
                                       const ast::Expr& expr) {
  for (size_t i = first; i < parts.size(); ++i) {
    if (base->type.id != TypeId::kRow) {
      throw SqlError(fmt::format("'{}' has type {} and no field '{}'",
                                 ast::JoinName(std::vector<std::string>(parts.begin(), parts.begin() + i)),
                                 base->type.ToString(), parts[i]),
                     expr.location);
    }
    int field = base->type.FindField(parts[i]);
    if (field < 0) {
      std::vector<std::string> names;
      for (const auto& f : base->type.fields) names.push_back(f.name);
      throw SqlError(fmt::format("field '{}' not found in {}", parts[i],
                                 ast::JoinName(std::vector<std::string>(parts.begin(), parts.begin() + i))),
                     expr.location, DidYouMean(parts[i], names));
    }
    DataType type = base->type.fields[field].type;
    // A field of a nullable ROW is NULL when the ROW is.
    if (base->type.nullable) type.nullable = true;
    base = Expr::FieldAccess(base, field, type);
  }
  return base;
}

ExprPtr ExpressionBinder::BindCase(const ast::Expr& expr) {
  std::vector<ExprPtr> args;
  size_t i = 0;
  ExprPtr operand;
  if (expr.has_operand) operand = Bind(*expr.children[i++]);
  size_t end = expr.children.size() - (expr.has_else ? 1 : 0);
  // Unset until the first branch: the type kNull stands for a NULL literal,
  // which would make the result nullable when merged.
  std::optional<DataType> result;
  std::vector<size_t> result_positions;
  auto merge = [&](const DataType& type, const SourceLocation& location) {
    result = result ? MergeResult(*result, type, location) : type;
  };
  for (; i + 1 < end + 1 && i < end; i += 2) {
    ExprPtr condition = Bind(*expr.children[i]);
    if (operand) condition = MakeComparison("=", operand, condition, expr.children[i]->location);
    args.push_back(RequireBoolean(condition, expr.children[i]->location, "CASE WHEN"));
    ExprPtr value = Bind(*expr.children[i + 1]);
    merge(value->type, expr.children[i + 1]->location);
    result_positions.push_back(args.size());
    args.push_back(value);
  }
  if (expr.has_else) {
    ExprPtr value = Bind(*expr.children.back());
    merge(value->type, expr.children.back()->location);
    result_positions.push_back(args.size());
    args.push_back(value);
  } else {
    result->nullable = true;
  }
  for (size_t position : result_positions) args[position] = CoerceTo(args[position], *result, expr.location, "CASE");
  return Expr::Call("CASE", std::move(args), *result);
}

DataType ExpressionBinder::MergeResult(const DataType& current, const DataType& next, const SourceLocation& location) {
  DataType merged = CommonType(current, next);
  if (merged.id == TypeId::kNull && next.id != TypeId::kNull && current.id != TypeId::kNull) {
    throw SqlError(fmt::format("CASE branches have incompatible types {} and {}", current.ToString(), next.ToString()),
                   location, "CAST the branches to one type");
  }
  return merged;
}

void ValidateType(const DataType& type, const SourceLocation& location) {
  std::string problem = InvalidTypeParameters(type);
  if (!problem.empty()) {
    throw SqlError(fmt::format("invalid type {}: {}", type.ToString(), problem), location,
                   "DECIMAL precision is 1 to 38 and its scale 0 to the precision");
  }
}

bool CastSupported(const DataType& from, const DataType& to) {
  if (from.id == TypeId::kNull || from.SameShape(to)) return true;
  bool from_collection = from.id == TypeId::kArray || from.id == TypeId::kMap || from.id == TypeId::kMultiset;
  bool to_collection = to.id == TypeId::kArray || to.id == TypeId::kMap || to.id == TypeId::kMultiset;
  if (from_collection && to.IsString()) return true;
  if (!from_collection && !to_collection) return true;
  if (from.id != to.id || from.children.size() != to.children.size()) return false;
  for (size_t i = 0; i < from.children.size(); ++i) {
    if (!CastSupported(from.children[i], to.children[i])) return false;
  }
  return true;
}

ExprPtr ExpressionBinder::BindCast(const ast::Expr& expr) {
  ExprPtr input = Bind(*expr.children[0]);
  DataType target = expr.cast_type;
  ValidateType(target, expr.location);
  // A CAST to DECIMAL yields NULL when the value does not fit, even for a NOT
  // NULL input whose type stays NOT NULL, as in Flink.
  target.nullable = input->type.nullable || expr.try_cast;
  if (!CastSupported(input->type, target)) {
    throw SqlError(fmt::format("cannot CAST {} to {}", input->type.ToString(), target.ToString()), expr.location,
                   "Flink supports casts between numeric, string, boolean and temporal types, and between "
                   "collections of castable element types");
  }
  // Converting between an instant and local time needs the session zone, which
  // casts do not carry yet; they would silently use UTC.
  const std::string& zone = CurrentSessionTimeZone();
  bool utc = zone == "UTC" || zone == "Z" || zone == "GMT" || zone == "Etc/UTC" || zone == "+00:00";
  bool from_instant = input->type.id == TypeId::kTimestampLtz && target.id != TypeId::kTimestampLtz;
  bool to_instant = target.id == TypeId::kTimestampLtz && input->type.id != TypeId::kTimestampLtz &&
                    (input->type.IsString() || input->type.id == TypeId::kTimestamp || input->type.id == TypeId::kDate);
  if (!utc && (from_instant || to_instant) && !target.IsInteger() && !input->type.IsInteger()) {
    throw NotSupportedError(fmt::format("CAST from {} to {} under 'table.local-time-zone' = '{}' is not supported "
                                        "yet: it would convert in UTC",
                                        input->type.ToString(), target.ToString(), zone),
                            expr.location,
                            "keep 'table.local-time-zone' at 'UTC', or format the instant with DATE_FORMAT, which "
                            "uses the session zone");
  }
  return Expr::Cast(input, target, expr.try_cast);
}

ExprPtr ExpressionBinder::BindBinary(const ast::Expr& expr) {
  const std::string& op = expr.name;
  ExprPtr left = Bind(*expr.children[0]);
  ExprPtr right = Bind(*expr.children[1]);
  if (op == "IS DISTINCT FROM" || op == "IS NOT DISTINCT FROM") return BindDistinctFrom(expr, left, right);
  if (op == "AND" || op == "OR") {
    left = RequireBoolean(left, expr.children[0]->location, op);
    right = RequireBoolean(right, expr.children[1]->location, op);
    return Expr::Call(op, {left, right}, Boolean(left->type.nullable || right->type.nullable));
  }
  if (op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=") {
    return MakeComparison(op, left, right, expr.location);
  }
  if (op == "||") {
    RequireString(*left, expr.children[0]->location, "||");
    RequireString(*right, expr.children[1]->location, "||");
    return Expr::Call("||", {left, right}, DataType::Of(TypeId::kString, left->type.nullable || right->type.nullable));
  }
  bool nullable = left->type.nullable || right->type.nullable;
  if ((op == "+" || op == "-") && left->type.id == TypeId::kDate && right->type.id == TypeId::kIntervalDayTime) {
    return BindDateArithmetic(expr, left, right);
  }
  // Timestamp arithmetic with a day-time interval keeps the timestamp type.
  if ((op == "+" || op == "-") && left->type.IsTimestamp() && right->type.id == TypeId::kIntervalDayTime) {
    return Expr::Call(op, {left, right}, left->type.WithNullable(nullable));
  }
  RequireNumeric(*left, expr.children[0]->location, op);
  RequireNumeric(*right, expr.children[1]->location, op);
  if (IsExactDecimalComputation(left->type, right->type)) return MakeDecimalArithmetic(op, left, right, expr.location);
  DataType common = CommonType(left->type, right->type);
  common.nullable = nullable;
  return Expr::Call(op, {CoerceTo(left, common, expr.location, op), CoerceTo(right, common, expr.location, op)},
                    common);
}

bool ExpressionBinder::IsExactDecimalComputation(const DataType& left, const DataType& right) {
  bool exact_left = left.IsInteger() || left.id == TypeId::kDecimal;
  bool exact_right = right.IsInteger() || right.id == TypeId::kDecimal;
  return exact_left && exact_right && (left.id == TypeId::kDecimal || right.id == TypeId::kDecimal);
}

ExprPtr ExpressionBinder::MakeDecimalArithmetic(const std::string& op, ExprPtr left, ExprPtr right,
                                                const SourceLocation& location) {
  // Unlike other arithmetic, the operands keep their own precision and scale.
  // Only integer operands become the DECIMAL(p, 0) that represents them.
  DataType left_type = DecimalOfExactType(left->type).WithNullable(left->type.nullable);
  DataType right_type = DecimalOfExactType(right->type).WithNullable(right->type.nullable);
  DataType divisor_type = right->type;
  left = CoerceTo(left, left_type, location, op);
  right = CoerceTo(right, right_type, location, op);
  int p1 = left_type.precision, s1 = left_type.scale, p2 = right_type.precision, s2 = right_type.scale;
  DataType result;
  bool integer_result = false;
  if (op == "+" || op == "-") {
    result = DecimalAdditionType(p1, s1, p2, s2);
  } else if (op == "*") {
    result = DecimalMultiplicationType(p1, s1, p2, s2);
  } else if (op == "/") {
    result = DecimalDivisionType(p1, s1, p2, s2);
  } else if (s1 == 0 && s2 == 0) {
    // Flink types an integral remainder as the divisor's type.
    result = right_type;
    integer_result = divisor_type.IsInteger();
  } else {
    result = DecimalModuloType(p1, s1, p2, s2);
  }
  // NOTE: as in Flink, an overflowing result is NULL even where the type,
  // derived from the operands' nullability, says NOT NULL.
  result.nullable = left_type.nullable || right_type.nullable;
  ExprPtr call = Expr::Call(op, {left, right}, result);
  if (integer_result) return Expr::Cast(call, divisor_type.WithNullable(result.nullable), false);
  return call;
}

ExprPtr ExpressionBinder::MakeComparison(const std::string& op, ExprPtr left, ExprPtr right,
                                         const SourceLocation& location) {
  auto is_collection = [](const DataType& type) {
    return type.id == TypeId::kArray || type.id == TypeId::kMap || type.id == TypeId::kMultiset;
  };
  if ((is_collection(left->type) || is_collection(right->type)) && op != "=" && op != "<>") {
    throw SqlError(fmt::format("{} values cannot be ordered with {}",
                               (is_collection(left->type) ? left : right)->type.ToString(), op),
                   location, "compare collections with = or <>");
  }
  DataType common = CommonType(left->type, right->type);
  if (common.id == TypeId::kNull && left->type.id != TypeId::kNull && right->type.id != TypeId::kNull) {
    throw SqlError(fmt::format("cannot compare {} with {}", left->type.ToString(), right->type.ToString()), location,
                   "CAST one side to the other's type");
  }
  if (common.id != TypeId::kNull) {
    left = CoerceTo(left, common.WithNullable(left->type.nullable), location, op);
    right = CoerceTo(right, common.WithNullable(right->type.nullable), location, op);
  }
  return Expr::Call(op, {left, right}, Boolean(left->type.nullable || right->type.nullable));
}

ExprPtr ExpressionBinder::BindInList(const ast::Expr& expr) {
  ExprPtr value = Bind(*expr.children[0]);
  std::vector<ExprPtr> args = {value};
  bool nullable = value->type.nullable;
  for (size_t i = 1; i < expr.children.size(); ++i) {
    ExprPtr item = Bind(*expr.children[i]);
    DataType common = CommonType(value->type, item->type);
    if (common.id == TypeId::kNull && item->type.id != TypeId::kNull) {
      throw SqlError(fmt::format("IN list item of type {} cannot be compared with {}", item->type.ToString(),
                                 value->type.ToString()),
                     expr.children[i]->location, "make every item the same type as the tested value");
    }
    nullable = nullable || item->type.nullable;
    args.push_back(item);
  }
  return Expr::Call(expr.negated ? "NOT IN" : "IN", std::move(args), Boolean(nullable));
}

ExprPtr ExpressionBinder::RequireBoolean(ExprPtr expr, const SourceLocation& location, const std::string& context) {
  if (expr->type.id == TypeId::kBoolean) return expr;
  if (expr->type.id == TypeId::kNull) return Expr::Literal(Value::Null(), Boolean(true));
  throw SqlError(fmt::format("{} expects a BOOLEAN, got {}", context, expr->type.ToString()), location,
                 "compare the value, e.g. x <> 0");
}

void ExpressionBinder::RequireNumeric(const Expr& expr, const SourceLocation& location, const std::string& context) {
  if (expr.type.IsNumeric() || expr.type.id == TypeId::kNull) return;
  throw SqlError(fmt::format("{} expects a numeric value, got {}", context, expr.type.ToString()), location,
                 "CAST the value to a numeric type");
}

void ExpressionBinder::RequireString(const Expr& expr, const SourceLocation& location, const std::string& context) {
  if (expr.type.IsString() || expr.type.id == TypeId::kNull) return;
  throw SqlError(fmt::format("{} expects a string, got {}", context, expr.type.ToString()), location,
                 "CAST the value to STRING");
}

ExprPtr BindScalar(const ast::Expr& expr, const Scope& scope) {
  ExpressionBinder binder(scope);
  return binder.Bind(expr);
}

Scope Scope::FromPlan(const PlanNode& plan, const std::string& qualifier) {
  Scope scope;
  for (const auto& field : plan.schema) {
    scope.columns.push_back(
        Entry{qualifier, field.name, field.type, field.hidden, field.rowtime_attribute, field.window_column,
              field.proctime});
  }
  return scope;
}

Scope Scope::Concat(const Scope& left, const Scope& right) {
  Scope scope = left;
  scope.columns.insert(scope.columns.end(), right.columns.begin(), right.columns.end());
  return scope;
}

}  // namespace fsql
