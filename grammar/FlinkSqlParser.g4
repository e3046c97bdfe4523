// Parser for the Flink SQL dialect fsql accepts. The AST builder
// (compiler/parser) turns these parse trees into compiler/ast.h nodes at once;
// nothing else sees ANTLR types.
parser grammar FlinkSqlParser;

options { tokenVocab = FlinkSqlLexer; }

script: SEMI* (statement (SEMI+ statement)* SEMI*)? EOF;

// A single statement, as the REPL and `fsql check -e` read it.
singleStatement: statement SEMI* EOF;

statement
  : SET (key=stringLiteral EQ value=stringLiteral)?                       # setStatement
  | RESET key=stringLiteral?                                              # resetStatement
  | createTable                                                           # createTableStatement
  | CREATE TEMPORARY? VIEW (IF NOT EXISTS)? tableName
      (LPAREN identifierList RPAREN)? AS query                            # createViewStatement
  | insertInto                                                            # insertStatement
  | EXECUTE STATEMENT SET BEGIN (insertInto SEMI+)+ END                   # statementSet
  | BEGIN STATEMENT SET                                                   # beginStatementSet
  | END                                                                   # endStatementSet
  | query                                                                 # queryStatement
  ;

insertInto: INSERT (INTO | OVERWRITE) tableName (LPAREN identifierList RPAREN)? query;

createTable
  : CREATE TEMPORARY? TABLE (IF NOT EXISTS)? tableName
    (LPAREN tableElement (COMMA tableElement)* RPAREN)?
    (COMMENT comment=stringLiteral)?
    distribution?
    (PARTITIONED BY LPAREN identifierList RPAREN)?
    (WITH tableOptions)?
    (AS query)?
  ;

tableElement
  : identifier dataType (METADATA (FROM stringLiteral)? VIRTUAL?)?
      (COMMENT stringLiteral)?                                            # physicalColumn
  | identifier AS expression (COMMENT stringLiteral)?                     # computedColumn
  | WATERMARK FOR identifier AS expression                                # watermarkDefinition
  | (CONSTRAINT identifier)? PRIMARY KEY LPAREN identifierList RPAREN
      NOT ENFORCED                                                        # primaryKeyDefinition
  ;

distribution
  : DISTRIBUTED BY HASH? LPAREN identifierList RPAREN (INTO buckets=INTEGER_VALUE BUCKETS)?
  | DISTRIBUTED INTO buckets=INTEGER_VALUE BUCKETS
  ;

tableOptions: LPAREN tableOption (COMMA tableOption)* RPAREN;
tableOption: key=stringLiteral EQ value=stringLiteral;

// ---- Queries ----

query: withClause? queryExpression orderByClause? limitClause?;

withClause: WITH commonTableExpression (COMMA commonTableExpression)*;
commonTableExpression: identifier (LPAREN identifierList RPAREN)? AS LPAREN query RPAREN;

queryExpression
  : queryPrimary                                                          # primaryQuery
  | left=queryExpression UNION setQuantifier? right=queryExpression       # unionQuery
  ;

queryPrimary
  : querySpecification                                                    # selectQuery
  | LPAREN query RPAREN                                                   # parenthesizedQuery
  | VALUES rowConstructor (COMMA rowConstructor)*                         # valuesQuery
  ;

setQuantifier: ALL | DISTINCT;

rowConstructor: LPAREN expression (COMMA expression)* RPAREN;

querySpecification
  : SELECT setQuantifier? selectItem (COMMA selectItem)*
    (FROM relation (COMMA relation)*)?
    (WHERE where=expression)?
    (GROUP BY expression (COMMA expression)*)?
    (HAVING having=expression)?
    (WINDOW namedWindow (COMMA namedWindow)*)?
  ;

selectItem
  : (qualifiedName DOT)? STAR                                             # selectAll
  | expression (AS? identifier)?                                          # selectExpression
  ;

namedWindow: identifier AS windowSpecification;

relation: relationPrimary joinClause*;

joinClause
  : joinType JOIN relationPrimary joinCondition?
  | CROSS JOIN relationPrimary
  ;

joinType: INNER? | LEFT OUTER? | RIGHT OUTER? | FULL OUTER?;

joinCondition
  : ON expression
  | USING LPAREN identifierList RPAREN
  ;

relationPrimary
  : tableName (FOR SYSTEM_TIME AS OF asOf=expression)? tableAlias?         # tableRelation
  | LPAREN query RPAREN tableAlias?                                       # subqueryRelation
  | LPAREN relation RPAREN                                                # parenthesizedRelation
  | TABLE LPAREN functionName LPAREN tableFunctionArgument
      (COMMA tableFunctionArgument)* RPAREN RPAREN tableAlias?            # tableFunctionRelation
  ;

// An argument of a table function such as TUMBLE, positional or named (name => value).
tableFunctionArgument: (identifier ARROW)? tableFunctionArgumentValue;
tableFunctionArgumentValue
  : TABLE tableName                                                       # tableArgument
  | DESCRIPTOR LPAREN identifier RPAREN                                   # descriptorArgument
  | expression                                                            # expressionArgument
  ;

tableAlias: AS? identifier (LPAREN identifierList RPAREN)?;

orderByClause: ORDER BY sortItem (COMMA sortItem)*;
sortItem: expression ordering=(ASC | DESC)? (NULLS nullOrder=(FIRST | LAST))?;
limitClause: LIMIT INTEGER_VALUE;

// ---- Expressions, loosest binding last ----

expression
  : primaryExpression                                                     # primary
  | op=(MINUS | PLUS) expression                                    # unary
  | left=expression op=(STAR | SLASH | PERCENT) right=expression    # arithmetic
  | left=expression op=(PLUS | MINUS) right=expression              # arithmetic
  | left=expression op=CONCAT right=expression                      # arithmetic
  | left=expression comparisonOperator right=expression                   # comparison
  | expression IS NOT? (NULL_ | TRUE | FALSE | UNKNOWN)                     # isPredicate
  | expression NOT? IN LPAREN expression (COMMA expression)* RPAREN       # inList
  | expression NOT? BETWEEN lower=expression AND upper=expression        # between
  | expression NOT? LIKE pattern=expression (ESCAPE escape=stringLiteral)? # like
  | NOT expression                                                        # logicalNot
  | left=expression op=AND right=expression                         # logical
  | left=expression op=OR right=expression                          # logical
  ;

comparisonOperator: EQ | NEQ | LT | LTE | GT | GTE;

primaryExpression
  : literal                                                               # literalExpression
  | CAST LPAREN expression AS dataType RPAREN                             # cast
  | TRY_CAST LPAREN expression AS dataType RPAREN                         # cast
  | CASE operand=expression? whenClause+ (ELSE elseValue=expression)? END # caseExpression
  | functionName LPAREN (setQuantifier? expression (COMMA expression)*)? RPAREN
      filterClause? overClause?                                           # functionCall
  | functionName LPAREN STAR RPAREN filterClause? overClause?             # countStar
  | timeUnitFunction LPAREN timeUnit COMMA expression (COMMA expression)* RPAREN # timeUnitCall
  | qualifiedName                                                         # columnReference
  | LPAREN expression RPAREN                                              # parenthesized
  | LPAREN query RPAREN                                                   # scalarSubquery
  ;

// Functions whose first argument is a bare time unit, e.g. TIMESTAMPDIFF(SECOND, a, b).
timeUnitFunction: IDENTIFIER;

whenClause: WHEN condition=expression THEN result=expression;
filterClause: FILTER LPAREN WHERE expression RPAREN;

overClause: OVER (identifier | windowSpecification);

windowSpecification
  : LPAREN baseWindow=identifier?
    (PARTITION BY expression (COMMA expression)*)?
    orderByClause?
    windowFrame?
    RPAREN
  ;

windowFrame
  : frameType=(ROWS | RANGE) BETWEEN start=frameBound AND end=frameBound
  | frameType=(ROWS | RANGE) start=frameBound
  ;

frameBound
  : UNBOUNDED PRECEDING                                                   # unboundedPreceding
  | UNBOUNDED FOLLOWING                                                   # unboundedFollowing
  | CURRENT ROW                                                           # currentRow
  | expression PRECEDING                                                  # boundedPreceding
  | expression FOLLOWING                                                  # boundedFollowing
  ;

literal
  : NULL_                                                                  # nullLiteral
  | (TRUE | FALSE)                                                        # booleanLiteral
  | INTEGER_VALUE                                                         # integerLiteral
  | DECIMAL_VALUE                                                         # decimalLiteral
  | stringLiteral                                                         # stringLiteralValue
  | BINARY_LITERAL                                                        # binaryLiteral
  | INTERVAL sign=(PLUS | MINUS)? stringLiteral
      (from=timeUnit (TO to=timeUnit)?)?                                  # intervalLiteral
  | (DATE | TIME | TIMESTAMP) stringLiteral                                # typedLiteral
  ;

timeUnit
  : YEAR | YEARS | MONTH | MONTHS | WEEK | DAY | DAYS | HOUR | HOURS
  | MINUTE | MINUTES | SECOND | SECONDS | MILLISECOND
  ;

// ---- Types ----

dataType: baseType (NOT NULL_ | NULL_)?;

baseType
  : BOOLEAN                                                               # simpleType
  | TINYINT                                                               # simpleType
  | SMALLINT                                                              # simpleType
  | (INT | INTEGER)                                                       # simpleType
  | BIGINT                                                                # simpleType
  | FLOAT                                                                 # simpleType
  | DOUBLE PRECISION?                                                     # simpleType
  | STRING                                                                # simpleType
  | BYTES                                                                 # simpleType
  | DATE                                                                  # simpleType
  | (DECIMAL | DEC | NUMERIC) (LPAREN precision=INTEGER_VALUE (COMMA scale=INTEGER_VALUE)? RPAREN)? # decimalType
  | (VARCHAR | CHAR | CHARACTER | BINARY | VARBINARY)
      (LPAREN length=INTEGER_VALUE RPAREN)?                               # lengthType
  | TIME (LPAREN precision=INTEGER_VALUE RPAREN)?                         # timeType
  | TIMESTAMP (LPAREN precision=INTEGER_VALUE RPAREN)? (WITHOUT TIME ZONE)? # timestampType
  | TIMESTAMP (LPAREN precision=INTEGER_VALUE RPAREN)? WITH LOCAL TIME ZONE # timestampLtzType
  | TIMESTAMP_LTZ (LPAREN precision=INTEGER_VALUE RPAREN)?                # timestampLtzType
  | ARRAY LT dataType GT                                                  # arrayType
  | MULTISET LT dataType GT                                               # multisetType
  | MAP LT keyType=dataType COMMA valueType=dataType GT                   # mapType
  | ROW LT rowField (COMMA rowField)* GT                                  # rowType
  | ROW LPAREN rowField (COMMA rowField)* RPAREN                          # rowType
  ;

rowField: identifier dataType (stringLiteral)?;

// ---- Names ----

functionName: identifier | LEFT | RIGHT | IF | INSERT | TIMESTAMP | DATE | TIME;
tableName: identifier (DOT identifier)*;
qualifiedName: identifier (DOT identifier)*;
identifierList: identifier (COMMA identifier)*;
stringLiteral: STRING_LITERAL;

identifier
  : IDENTIFIER
  | QUOTED_IDENTIFIER
  | nonReservedKeyword
  ;

// Keywords Flink lets users write as plain names.
nonReservedKeyword
  : BUCKETS | BYTES | COMMENT | DAYS | DISTRIBUTED | ENFORCED | FIRST | FILTER | HASH | HOURS
  | KEY | LAST | METADATA | MILLISECOND | MINUTES | MONTHS | NULLS | OVERWRITE | PARTITIONED
  | PRECEDING | FOLLOWING | SECONDS | STRING | TEMPORARY | UNBOUNDED | VIEW | VIRTUAL
  | WATERMARK | WEEK | YEARS | ZONE | TIMESTAMP_LTZ | DESCRIPTOR | STATEMENT | EXECUTE
  ;
