// The DECIMAL arithmetic core, its result types, its row and JSON encodings,
// and ARRAY / MAP / MULTISET values. Expected values follow Flink's typing
// rules and Java BigDecimal's HALF_UP rounding.
#include <gtest/gtest.h>

#include "runtime/common/error.h"
#include "runtime/expr/expr.h"
#include "runtime/formats/json_format.h"
#include "runtime/row/row.h"
#include "runtime/types/decimal.h"

namespace fsql {
namespace {

DataType Decimal(int precision, int scale, bool nullable = true) {
  DataType type = DataType::Of(TypeId::kDecimal, nullable);
  type.precision = precision;
  type.scale = scale;
  return type;
}

DataType ArrayOf(DataType element) {
  DataType type = DataType::Of(TypeId::kArray);
  type.children.push_back(std::move(element));
  return type;
}

DataType MapOf(DataType key, DataType value) {
  DataType type = DataType::Of(TypeId::kMap);
  type.children = {std::move(key), std::move(value)};
  return type;
}

/// Parses `text` at the given type, failing the test when it does not parse.
Int128 Parse(const std::string& text, int precision, int scale) {
  Int128 out = 0;
  EXPECT_EQ(DecimalParse(text, precision, scale, &out), DecimalStatus::kOk) << text;
  return out;
}

struct ParseCase {
  std::string text;
  int precision;
  int scale;
  std::string expected;  // "overflow", "invalid" or the value's text
};

TEST(DecimalTest, ParseRoundsHalfUp) {
  const std::vector<ParseCase> cases = {
      {"1.005", 5, 2, "1.01"},
      {"-1.005", 5, 2, "-1.01"},
      {"1.004999", 5, 2, "1.00"},
      {"0.5", 1, 0, "1"},
      {"-0.5", 1, 0, "-1"},
      {"0.4", 1, 0, "0"},
      {"  42 ", 2, 0, "42"},
      {"+7.", 3, 1, "7.0"},
      {".25", 3, 2, "0.25"},
      {"1.5E3", 6, 1, "1500.0"},
      {"12345e-7", 10, 4, "0.0012"},
      {"1e-40", 38, 38, "0.00000000000000000000000000000000000000"},
      {"000123.4500", 5, 2, "123.45"},
      {"99999999999999999999999999999999999999", 38, 0, "99999999999999999999999999999999999999"},
      {"100000000000000000000000000000000000000", 38, 0, "overflow"},
      {"999.995", 5, 2, "overflow"},
      {"1e100000000", 38, 0, "overflow"},
      {"abc", 5, 2, "invalid"},
      {"1.2.3", 5, 2, "invalid"},
      {"", 5, 2, "invalid"},
      {"1e", 5, 2, "invalid"},
      {"-", 5, 2, "invalid"},
  };
  for (const ParseCase& c : cases) {
    Int128 out = 0;
    DecimalStatus status = DecimalParse(c.text, c.precision, c.scale, &out);
    std::string actual = status == DecimalStatus::kOverflow  ? "overflow"
                         : status == DecimalStatus::kInvalid ? "invalid"
                                                             : DecimalToString(out, c.scale);
    EXPECT_EQ(actual, c.expected) << "'" << c.text << "' as DECIMAL(" << c.precision << ", " << c.scale << ")";
  }
}

struct ArithmeticCase {
  char op;
  std::string a;
  int a_scale;
  std::string b;
  int b_scale;
  int precision;
  int scale;
  std::string expected;  // "overflow", "division by zero" or the result's text
};

TEST(DecimalTest, ArithmeticIsExact) {
  const std::string max38(38, '9');
  const std::vector<ArithmeticCase> cases = {
      {'+', "0.1", 1, "0.2", 1, 3, 1, "0.3"},
      {'+', "1.5", 1, "0.25", 2, 4, 2, "1.75"},
      {'-', "0.01", 2, "1", 0, 13, 2, "-0.99"},
      {'-', "5", 0, "5", 0, 2, 0, "0"},
      {'*', "1.5", 1, "-2.25", 2, 7, 3, "-3.375"},
      {'*', "0.0000005", 10, "1", 10, 38, 6, "0.000001"},
      {'*', "-0.0000005", 10, "1", 10, 38, 6, "-0.000001"},
      {'*', "0.0000004", 10, "1", 10, 38, 6, "0.000000"},
      {'/', "1", 2, "3", 2, 23, 13, "0.3333333333333"},
      {'/', "2", 2, "3", 2, 23, 13, "0.6666666666667"},
      {'/', "-2", 2, "3", 2, 23, 13, "-0.6666666666667"},
      {'/', "1", 0, "0.0000001", 7, 38, 6, "10000000.000000"},
      {'/', "1", 30, "7", 0, 38, 6, "0.142857"},
      {'/', "1", 2, "0", 2, 23, 13, "division by zero"},
      {'%', "-7.5", 1, "2", 0, 2, 1, "-1.5"},
      {'%', "7.5", 1, "-2", 0, 2, 1, "1.5"},
      {'%', "1", 0, "0", 0, 1, 0, "division by zero"},
      {'+', max38, 0, "1", 0, 38, 0, "overflow"},
      {'*', max38, 0, max38, 0, 38, 0, "overflow"},
      {'*', "99999999999999999999", 0, "99999999999999999999", 0, 38, 0, "overflow"},
      {'*', "9999999999999999999", 0, "9999999999999999999", 0, 38, 0, "99999999999999999980000000000000000001"},
      {'/', max38, 0, "0.1", 1, 38, 0, "overflow"},
  };
  for (const ArithmeticCase& c : cases) {
    Int128 a = Parse(c.a, 38, c.a_scale);
    Int128 b = Parse(c.b, 38, c.b_scale);
    Int128 out = 0;
    DecimalStatus status = DecimalArithmetic(c.op, a, c.a_scale, b, c.b_scale, c.precision, c.scale, &out);
    std::string actual = status == DecimalStatus::kOverflow         ? "overflow"
                         : status == DecimalStatus::kDivisionByZero ? "division by zero"
                                                                    : DecimalToString(out, c.scale);
    EXPECT_EQ(actual, c.expected) << c.a << " " << c.op << " " << c.b << " as DECIMAL(" << c.precision << ", "
                                  << c.scale << ")";
  }
}

TEST(DecimalTest, CompareAcrossScales) {
  EXPECT_EQ(DecimalCompare(150, 2, 15, 1), 0);
  EXPECT_EQ(DecimalCompare(-1, 0, 1, 38), -1);
  EXPECT_EQ(DecimalCompare(DecimalPow10(37), 0, DecimalPow10(37), 37), 1);
  EXPECT_EQ(DecimalCompare(-5, 1, -49, 2), -1);
}

TEST(DecimalTest, ConvertsToAndFromDouble) {
  EXPECT_EQ(DecimalToDouble(1, 1), 0.1);
  EXPECT_EQ(DecimalToDouble(-12355, 3), -12.355);
  Int128 out = 0;
  ASSERT_EQ(DecimalFromDouble(0.1, 10, 3, &out), DecimalStatus::kOk);
  EXPECT_EQ(DecimalToString(out, 3), "0.100");
  ASSERT_EQ(DecimalFromDouble(2.675, 10, 2, &out), DecimalStatus::kOk);
  // The shortest text of the double nearest 2.675 is "2.675", which rounds up.
  EXPECT_EQ(DecimalToString(out, 2), "2.68");
  EXPECT_EQ(DecimalFromDouble(1e20, 10, 3, &out), DecimalStatus::kOverflow);
  EXPECT_EQ(DecimalFromDouble(std::nan(""), 10, 3, &out), DecimalStatus::kInvalid);
  EXPECT_EQ(DecimalToInt64(-12999, 3), -12);
}

TEST(DecimalTest, ResultTypesFollowFlink) {
  // Cases from Flink's LogicalTypeMergingTest.
  EXPECT_EQ(DecimalDivisionType(32, 8, 38, 8).ToString(), "DECIMAL(38, 6)");
  EXPECT_EQ(DecimalDivisionType(30, 20, 30, 20).ToString(), "DECIMAL(38, 8)");
  EXPECT_EQ(DecimalMultiplicationType(30, 10, 30, 10).ToString(), "DECIMAL(38, 6)");
  EXPECT_EQ(DecimalMultiplicationType(30, 20, 30, 20).ToString(), "DECIMAL(38, 17)");
  EXPECT_EQ(DecimalAdditionType(10, 2, 5, 3).ToString(), "DECIMAL(12, 3)");
  EXPECT_EQ(DecimalAdditionType(38, 10, 38, 10).ToString(), "DECIMAL(38, 9)");
  EXPECT_EQ(DecimalModuloType(10, 2, 5, 3).ToString(), "DECIMAL(5, 3)");
  EXPECT_EQ(DecimalSumType(2).ToString(), "DECIMAL(38, 2)");
  EXPECT_EQ(DecimalAverageType(2).ToString(), "DECIMAL(38, 6)");
  EXPECT_EQ(DecimalAverageType(10).ToString(), "DECIMAL(38, 10)");
}

TEST(DecimalTest, CommonTypeWidens) {
  EXPECT_EQ(CommonType(Decimal(5, 2, false), DataType::Of(TypeId::kInt, false)).ToString(), "DECIMAL(12, 2) NOT NULL");
  EXPECT_EQ(CommonType(Decimal(5, 2), Decimal(10, 4)).ToString(), "DECIMAL(10, 4)");
  EXPECT_EQ(CommonType(Decimal(38, 2), Decimal(38, 30)).ToString(), "DECIMAL(38, 2)");
  EXPECT_EQ(CommonType(Decimal(5, 2), DataType::Of(TypeId::kDouble)).ToString(), "DOUBLE");
  EXPECT_EQ(CommonType(Decimal(5, 2), DataType::Of(TypeId::kFloat)).ToString(), "DOUBLE");
  EXPECT_EQ(CommonType(DataType::Of(TypeId::kInt), DataType::Of(TypeId::kFloat)).ToString(), "FLOAT");
}

TEST(DecimalTest, RowSlotsRoundTrip) {
  DataType compact = Decimal(18, 4);
  DataType wide = Decimal(38, 4);
  Int128 big = Parse("-1234567890123456789012345678901234.5678", 38, 4);
  RowBuilder builder(3);
  builder.SetValue(0, compact, Value::Decimal(Parse("-99999999999999.9999", 18, 4), 4));
  builder.SetValue(1, wide, Value::Decimal(big, 4));
  builder.SetValue(2, wide, Value::Null());
  Row row = builder.Finish(RowKind::kInsert);
  EXPECT_EQ(RowToString(row.view(), {compact, wide, wide}),
            "+I[-99999999999999.9999, -1234567890123456789012345678901234.5678, NULL]");
  EXPECT_EQ(row.view().GetDecimal(1, 38), big);
}

TEST(DecimalTest, ValuesCompareAndHashAcrossScales) {
  Value a = Value::Decimal(150, 2);
  Value b = Value::Decimal(15, 1);
  EXPECT_TRUE(ValuesEqual(a, b));
  EXPECT_EQ(HashValue(a), HashValue(b));
  EXPECT_TRUE(ValuesEqual(Value::Decimal(200, 2), Value::Int(2)));
  EXPECT_EQ(HashValue(Value::Decimal(200, 2)), HashValue(Value::Int(2)));
  EXPECT_TRUE(ValuesEqual(Value::Decimal(5, 1), Value::Double(0.5)));
  EXPECT_EQ(HashValue(Value::Decimal(5, 1)), HashValue(Value::Double(0.5)));
  EXPECT_LT(CompareValues(Value::Decimal(-1, 38), Value::Decimal(0, 0)), 0);
}

ExprPtr DecimalLiteral(const std::string& text, int precision, int scale) {
  return Expr::Literal(Value::Decimal(Parse(text, precision, scale), scale), Decimal(precision, scale, false));
}

TEST(DecimalInterpreterTest, DivisionByZeroRaises) {
  ExprPtr divide = Expr::Call("/", {DecimalLiteral("1", 3, 2), DecimalLiteral("0", 3, 2)}, Decimal(10, 6));
  Row row = RowBuilder(0).Finish(RowKind::kInsert);
  try {
    Evaluate(*divide, row.view(), EvalContext{});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "division by zero in 1.00 / 0.00");
  }
}

TEST(DecimalInterpreterTest, CastOfTextThatIsNoNumberRaises) {
  ExprPtr text = Expr::Literal(Value::String("1.2.3"), DataType::Of(TypeId::kString, false));
  Row row = RowBuilder(0).Finish(RowKind::kInsert);
  try {
    Evaluate(*Expr::Cast(text, Decimal(5, 2), false), row.view(), EvalContext{});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "CAST of '1.2.3' from STRING NOT NULL to DECIMAL(5, 2) failed: not a number");
  }
  EXPECT_TRUE(Evaluate(*Expr::Cast(text, Decimal(5, 2), true), row.view(), EvalContext{}).is_null());
}

TEST(DecimalInterpreterTest, CastOverflowIsNull) {
  Row row = RowBuilder(0).Finish(RowKind::kInsert);
  Value value = Evaluate(*Expr::Cast(DecimalLiteral("123.45", 5, 2), Decimal(4, 2), false), row.view(), EvalContext{});
  EXPECT_TRUE(value.is_null());
}

/// Builds a table of physical columns, for the JSON decoder and encoder.
TableDefinition TableOf(const std::vector<std::pair<std::string, DataType>>& columns) {
  TableDefinition table;
  table.name = "t";
  for (const auto& [name, type] : columns) {
    CatalogColumn column;
    column.name = name;
    column.type = type;
    table.columns.push_back(column);
  }
  return table;
}

std::vector<Row> DecodeJson(const TableDefinition& table, const std::string& json) {
  JsonRowDecoder decoder(table);
  std::string topic = "t";
  std::optional<std::string> key;
  std::optional<std::string> value = json;
  std::vector<Row> rows;
  decoder.Decode(RecordRef{&topic, 0, 0, 0, &key, &value}, rows);
  return rows;
}

TEST(JsonTypesTest, DecimalTooLargeFailsTheRecord) {
  TableDefinition table = TableOf({{"a", Decimal(4, 2)}});
  try {
    DecodeJson(table, R"({"a":123.4})");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("field 'a' value 123.4 does not fit DECIMAL(4, 2)"), std::string::npos)
        << error.what();
  }
}

TEST(JsonTypesTest, DecimalRoundTripsExactly) {
  TableDefinition table = TableOf({{"a", Decimal(38, 18)}, {"b", Decimal(5, 2)}});
  std::vector<Row> rows = DecodeJson(table, R"({"a":-12345678901234567890.123456789012345678,"b":"1.5"})");
  ASSERT_EQ(rows.size(), 1u);
  JsonRowEncoder encoder(table);
  EXPECT_EQ(encoder.EncodeValue(rows[0].view()), R"({"a":-12345678901234567890.123456789012345678,"b":1.50})");
}

TEST(JsonTypesTest, CollectionsRoundTrip) {
  DataType multiset = DataType::Of(TypeId::kMultiset);
  multiset.children.push_back(DataType::Of(TypeId::kString));
  TableDefinition table = TableOf({{"a", ArrayOf(DataType::Of(TypeId::kBigInt))},
                                   {"m", MapOf(DataType::Of(TypeId::kString), Decimal(5, 2))},
                                   {"n", MapOf(DataType::Of(TypeId::kInt), ArrayOf(DataType::Of(TypeId::kString)))},
                                   {"s", multiset}});
  std::vector<Row> rows =
      DecodeJson(table, R"({"a":[1,null,3],"m":{"x":1.5,"y":null},"n":{"7":["p"]},"s":{"u":2}})");
  ASSERT_EQ(rows.size(), 1u);
  std::vector<DataType> types;
  for (const auto& column : table.columns) types.push_back(column.type);
  EXPECT_EQ(RowToString(rows[0].view(), types), "+I[[1, NULL, 3], {x=1.50, y=NULL}, {7=[p]}, {u=2}]");
  JsonRowEncoder encoder(table);
  EXPECT_EQ(encoder.EncodeValue(rows[0].view()),
            R"({"a":[1,null,3],"m":{"x":1.50,"y":null},"n":{"7":["p"]},"s":{"u":2}})");
}

TEST(JsonTypesTest, ArrayElementOfWrongTypeNamesThePath) {
  TableDefinition table = TableOf({{"a", ArrayOf(DataType::Of(TypeId::kBigInt))}});
  try {
    DecodeJson(table, R"({"a":[1,"x"]})");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("field 'a[1]' is a string"), std::string::npos) << error.what();
  }
}

TEST(CollectionValueTest, MapEqualityIgnoresOrder) {
  Value a = Value::Map({Value::String("x"), Value::String("y")}, {Value::Int(1), Value::Int(2)});
  Value b = Value::Map({Value::String("y"), Value::String("x")}, {Value::Int(2), Value::Int(1)});
  EXPECT_TRUE(ValuesEqual(a, b));
  EXPECT_EQ(HashValue(a), HashValue(b));
  Value c = Value::Map({Value::String("x")}, {Value::Int(1)});
  EXPECT_FALSE(ValuesEqual(a, c));
}

TEST(CollectionValueTest, ArraysCompareElementwise) {
  Value a = Value::Array({Value::Int(1), Value::Int(2)});
  Value b = Value::Array({Value::Int(1), Value::Int(3)});
  EXPECT_LT(CompareValues(a, b), 0);
  EXPECT_TRUE(ValuesEqual(a, Value::Array({Value::Int(1), Value::Int(2)})));
}

TEST(ParseTimestampMillis, AcceptedAndRejectedText) {
  struct Case {
    const char* text;
    std::optional<int64_t> millis;
  };
  const Case cases[] = {
      {"1970-01-01 00:00:00", 0},
      {"2026-01-01 00:00:00.000", 1'767'225'600'000},
      {"2026-01-01T00:00:01.5Z", 1'767'225'601'500},
      {"2024-02-29 12:34:56.789", 1'709'210'096'789},
      {"1969-12-31 23:59:59.999", -1},
      {"1900-03-01 00:00:00", -2'203'891'200'000},
      {"2024-1-5 1:2:3", 1'704'416'523'000},
      {"2024-01-31 12:00:00.123456", 1'706'702'400'123},
      {"2023-02-30 00:00:00", 1'677'715'200'000},  // rolls into March, as timegm does
      {"2024-01-31", std::nullopt},
      {"2024-13-01 00:00:00", std::nullopt},
      {"2024-01-01 24:00:00", std::nullopt},
      {"2024-01-01 00:00:00.", std::nullopt},
      {"2024-01-01 00:00:00 ", std::nullopt},
      {"2024-01-01X00:00:00", std::nullopt},
      {"24-01-01 00:00:00", std::nullopt},
      {"", std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ParseTimestampMillis(c.text), c.millis) << c.text;
  }
}

}  // namespace
}  // namespace fsql
