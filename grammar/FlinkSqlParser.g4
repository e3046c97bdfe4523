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
      (LPAREN identifierList RPAREN)? (COMMENT comment=stringLiteral)? AS query # createViewStatement
  | insertInto                                                            # insertStatement
  | EXECUTE? STATEMENT SET BEGIN (insertInto SEMI+)+ END                  # statementSet
  | BEGIN STATEMENT SET                                                   # beginStatementSet
  | END                                                                   # endStatementSet
  | query                                                                 # queryStatement
  | ALTER TABLE (IF EXISTS)? tableName alterTableAction                   # alterTableStatement
  | DROP TEMPORARY? SYSTEM?
      object=(TABLE | VIEW | FUNCTION | DATABASE | CATALOG | MODEL)
      (IF EXISTS)? tableName behavior=(RESTRICT | CASCADE)?               # dropStatement
  | SHOW showTarget                                                       # showStatement
  | (DESCRIBE | DESC) describeTarget                                      # describeStatement
  | EXPLAIN (PLAN FOR | explainDetail (COMMA explainDetail)*)? statement  # explainStatement
  | USE CATALOG identifier                                                # useCatalog
  | USE MODULES identifier (COMMA identifier)*                            # useModules
  | USE tableName                                                         # useDatabase
  | CREATE TEMPORARY? SYSTEM? FUNCTION (IF NOT EXISTS)? tableName
      AS className=stringLiteral (LANGUAGE language=identifier)?
      (USING JAR stringLiteral (COMMA JAR stringLiteral)*)?               # createFunction
  | CREATE object=(CATALOG | DATABASE) (IF NOT EXISTS)? tableName
      (COMMENT comment=stringLiteral)? (WITH tableOptions)?               # createCatalogObject
  | ALTER object=(CATALOG | DATABASE) tableName
      (SET tableOptions | RESET LPAREN stringLiteral (COMMA stringLiteral)* RPAREN
       | COMMENT comment=stringLiteral)                                   # alterCatalogObject
  | ALTER TEMPORARY? VIEW tableName
      (RENAME TO newName=tableName | AS query)                            # alterView
  | ALTER TEMPORARY? SYSTEM? FUNCTION (IF EXISTS)? tableName
      AS className=stringLiteral (LANGUAGE language=identifier)?          # alterFunction
  | LOAD MODULE identifier (WITH tableOptions)?                           # loadModule
  | UNLOAD MODULE identifier                                              # unloadModule
  | unsupportedStatement                                                  # otherStatement
  ;

// Statements fsql parses so that scripts written for Flink or Confluent Cloud
// read correctly, and rejects when planning. The AST keeps their tokens only.
unsupportedStatement
  : CREATE TEMPORARY? MATERIALIZED TABLE (IF NOT EXISTS)? tableName
      (LPAREN tableElement (COMMA tableElement)* RPAREN)? (COMMENT stringLiteral)?
      distribution? (PARTITIONED BY LPAREN identifierList RPAREN)? (WITH tableOptions)?
      (FRESHNESS EQ? literal)? (REFRESH_MODE EQ? (FULL | CONTINUOUS))? AS query
  | DROP MATERIALIZED TABLE (IF EXISTS)? tableName
  | ALTER MATERIALIZED TABLE tableName
      (SUSPEND | RESUME (WITH tableOptions)? | REFRESH partitionSpec? | AS query)
  | CREATE TEMPORARY? MODEL (IF NOT EXISTS)? tableName
      (INPUT LPAREN tableElement (COMMA tableElement)* RPAREN)?
      (OUTPUT LPAREN tableElement (COMMA tableElement)* RPAREN)?
      (COMMENT stringLiteral)? (WITH tableOptions)?
  | ALTER MODEL (IF EXISTS)? tableName (SET tableOptions | RENAME TO tableName)
  | ALTER TABLE (IF EXISTS)? tableName ADD (IF NOT EXISTS)?
      (partitionSpec (WITH tableOptions)?)+
  | ALTER TABLE (IF EXISTS)? tableName DROP (IF EXISTS)? partitionSpec (COMMA partitionSpec)*
  | COMPILE PLAN stringLiteral (IF NOT EXISTS)? FOR (insertInto | statementSetBody)
  | COMPILE AND EXECUTE PLAN stringLiteral FOR (insertInto | statementSetBody)
  | EXECUTE PLAN stringLiteral
  | ADD JAR stringLiteral
  | REMOVE JAR stringLiteral
  | STOP JOB stringLiteral (WITH SAVEPOINT)? (WITH DRAIN)?
  | CALL primaryExpression
  | ANALYZE TABLE tableName partitionSpec? COMPUTE STATISTICS
      (FOR (ALL COLUMNS | COLUMNS identifierList))?
  | TRUNCATE TABLE tableName
  | UPDATE tableName SET identifier EQ expression (COMMA identifier EQ expression)*
      (WHERE expression)?
  | DELETE FROM tableName (WHERE expression)?
  ;

statementSetBody: EXECUTE? STATEMENT SET BEGIN (insertInto SEMI+)+ END;

// ---- DDL ----

insertInto
  : INSERT (INTO | OVERWRITE) tableName hint? partitionSpec?
    (LPAREN identifierList RPAREN)? query
  ;

partitionSpec: PARTITION LPAREN partitionValue (COMMA partitionValue)* RPAREN;
// ANALYZE TABLE may name a partition column without a value; INSERT needs one.
partitionValue: identifier (EQ expression)?;

createTable
  : (CREATE (OR REPLACE)? | REPLACE) TEMPORARY? TABLE (IF NOT EXISTS)? tableName
    (LPAREN tableElement (COMMA tableElement)* RPAREN)?
    (COMMENT comment=stringLiteral)?
    distribution?
    (PARTITIONED BY LPAREN identifierList RPAREN)?
    (WITH tableOptions)?
    likeClause?
    (AS query)?
  ;

tableElement
  : identifier dataType (METADATA (FROM stringLiteral)? VIRTUAL?)?
      columnConstraint? (COMMENT stringLiteral)?                          # physicalColumn
  | identifier AS expression (COMMENT stringLiteral)?                     # computedColumn
  | WATERMARK FOR identifier AS expression                                # watermarkDefinition
  | (CONSTRAINT identifier)? PRIMARY KEY LPAREN identifierList RPAREN
      NOT ENFORCED                                                        # primaryKeyDefinition
  ;

// A primary key written on its column: `id BIGINT PRIMARY KEY NOT ENFORCED`.
columnConstraint: (CONSTRAINT identifier)? PRIMARY KEY NOT ENFORCED;

distribution
  : DISTRIBUTED BY kind=(HASH | RANGE)? LPAREN identifierList RPAREN (INTO buckets=INTEGER_VALUE BUCKETS)?
  | DISTRIBUTED INTO buckets=INTEGER_VALUE BUCKETS
  ;

likeClause: LIKE tableName (LPAREN likeOption (COMMA? likeOption)* RPAREN)?;
likeOption
  : strategy=(INCLUDING | EXCLUDING | OVERWRITING)
    feature=(ALL | CONSTRAINTS | DISTRIBUTION | GENERATED | METADATA | OPTIONS | PARTITIONS | WATERMARKS)
  ;

tableOptions: LPAREN tableOption (COMMA tableOption)* RPAREN;
tableOption: key=stringLiteral EQ value=stringLiteral;

alterTableAction
  : SET tableOptions                                                      # alterSetOptions
  | RESET LPAREN stringLiteral (COMMA stringLiteral)* RPAREN              # alterResetOptions
  | RENAME TO tableName                                                   # alterRename
  | RENAME from=identifier TO to=identifier                               # alterRenameColumn
  | verb=(ADD | MODIFY) alterSchemaPart                                   # alterAddOrModify
  | verb=(ADD | MODIFY) LPAREN alterSchemaPart (COMMA alterSchemaPart)* RPAREN # alterAddOrModify
  | DROP PRIMARY KEY                                                      # alterDropPrimaryKey
  | DROP CONSTRAINT identifier                                            # alterDropPrimaryKey
  | DROP WATERMARK                                                        # alterDropWatermark
  | DROP DISTRIBUTION                                                     # alterDropDistribution
  | DROP identifier                                                       # alterDropColumns
  | DROP LPAREN identifierList RPAREN                                     # alterDropColumns
  ;

alterSchemaPart
  : tableElement columnPosition?
  | DISTRIBUTION BY kind=(HASH | RANGE)? LPAREN identifierList RPAREN (INTO buckets=INTEGER_VALUE BUCKETS)?
  | DISTRIBUTION INTO buckets=INTEGER_VALUE BUCKETS
  ;

columnPosition: FIRST | AFTER identifier;

showTarget
  : FULL? TABLES showFrom? likePattern?                                   # showObjects
  | VIEWS showFrom? likePattern?                                          # showObjects
  | USER? FUNCTIONS showFrom? likePattern?                                # showObjects
  | CATALOGS likePattern?                                                 # showObjects
  | DATABASES showFrom? likePattern?                                      # showObjects
  | MODELS showFrom? likePattern?                                         # showObjects
  | PROCEDURES showFrom? likePattern?                                     # showObjects
  | FULL? MODULES                                                         # showObjects
  | JOBS                                                                  # showObjects
  | JARS                                                                  # showObjects
  | COLUMNS showFrom likePattern?                                         # showObjects
  | PARTITIONS tableName partitionSpec?                                   # showPartitions
  | CURRENT object=(CATALOG | DATABASE)                                   # showCurrent
  | CREATE object=(TABLE | VIEW | CATALOG | MODEL) tableName              # showCreate
  ;

showFrom: (FROM | IN) tableName;
likePattern: NOT? (LIKE | ILIKE) stringLiteral;

describeTarget
  : JOB stringLiteral                                                     # describeJob
  | object=(CATALOG | DATABASE | FUNCTION | MODEL | TABLE)? EXTENDED? tableName # describeObject
  ;

// ESTIMATED_COST, CHANGELOG_MODE, JSON_EXECUTION_PLAN or PLAN_ADVICE; the builder checks the name.
explainDetail: IDENTIFIER;

// ---- Queries ----

query: withClause? queryExpression orderByClause? limitClause?;

withClause: WITH commonTableExpression (COMMA commonTableExpression)*;
commonTableExpression: identifier (LPAREN identifierList RPAREN)? AS LPAREN query RPAREN;

// INTERSECT binds tighter than UNION and EXCEPT, which are left-associative.
queryExpression
  : queryPrimary                                                          # primaryQuery
  | left=queryExpression op=INTERSECT setQuantifier? right=queryExpression # setOperation
  | left=queryExpression op=(UNION | EXCEPT) setQuantifier? right=queryExpression # setOperation
  ;

queryPrimary
  : querySpecification                                                    # selectQuery
  | LPAREN query RPAREN                                                   # parenthesizedQuery
  | VALUES rowConstructor (COMMA rowConstructor)*                         # valuesQuery
  ;

setQuantifier: ALL | DISTINCT;

// A row of VALUES; a bare expression is a row of one column, as in VALUES 1, 2.
rowConstructor: ROW? LPAREN expression (COMMA expression)* RPAREN | expression;

querySpecification
  : SELECT hint? setQuantifier? selectItem (COMMA selectItem)*
    (FROM relation (COMMA relation)*)?
    (WHERE where=expression)?
    (GROUP BY groupingElement (COMMA groupingElement)*)?
    (HAVING having=expression)?
    (WINDOW namedWindow (COMMA namedWindow)*)?
  ;

groupingElement
  : GROUPING SETS LPAREN groupingElement (COMMA groupingElement)* RPAREN # groupingSets
  | kind=(ROLLUP | CUBE) LPAREN groupingItem (COMMA groupingItem)* RPAREN # rollupOrCube
  | LPAREN RPAREN                                                         # emptyGroupingSet
  | groupingItem                                                          # plainGrouping
  ;

// One expression, or a parenthesized list of several that group together.
groupingItem
  : expression
  | LPAREN expression (COMMA expression)+ RPAREN
  ;

selectItem
  : (qualifiedName DOT)? STAR                                             # selectAll
  | expression (AS? identifier)?                                          # selectExpression
  ;

namedWindow: identifier AS windowSpecification;

relation: relationPrimary joinClause*;

joinClause
  : NATURAL? joinType JOIN relationPrimary joinCondition?
  | CROSS JOIN relationPrimary
  ;

joinType: INNER? | LEFT OUTER? | RIGHT OUTER? | FULL OUTER?;

joinCondition
  : ON expression
  | USING LPAREN identifierList RPAREN
  ;

relationPrimary
  : tableName hint? (FOR SYSTEM_TIME AS OF asOf=expression)?
      matchRecognize? tableAlias?                                         # tableRelation
  | LATERAL? LPAREN query RPAREN matchRecognize? tableAlias?              # subqueryRelation
  | LPAREN relation RPAREN                                                # parenthesizedRelation
  | TABLE LPAREN functionName LPAREN (tableFunctionArgument
      (COMMA tableFunctionArgument)*)? RPAREN RPAREN tableAlias?          # tableFunctionRelation
  | functionName LPAREN (tableFunctionArgument
      (COMMA tableFunctionArgument)*)? RPAREN tableAlias?                 # tableFunctionRelation
  | UNNEST LPAREN expression (COMMA expression)* RPAREN
      (WITH ORDINALITY)? tableAlias?                                      # unnestRelation
  | LATERAL TABLE LPAREN primaryExpression RPAREN tableAlias?             # lateralTableRelation
  ;

// An argument of a table function such as TUMBLE, positional or named (name => value).
tableFunctionArgument: (identifier ARROW)? tableFunctionArgumentValue;
tableFunctionArgumentValue
  : TABLE tableName (PARTITION BY (identifierList | LPAREN identifierList RPAREN))?
      orderByClause?                                                      # tableArgument
  | MODEL tableName                                                       # modelArgument
  | DESCRIPTOR LPAREN identifierList RPAREN                               # descriptorArgument
  | expression                                                            # expressionArgument
  ;

tableAlias: AS? identifier (LPAREN identifierList RPAREN)?;

matchRecognize
  : MATCH_RECOGNIZE LPAREN
    (PARTITION BY expression (COMMA expression)*)?
    orderByClause?
    (MEASURES measure (COMMA measure)*)?
    rowsPerMatch?
    (AFTER MATCH SKIP_ skipTo)?
    PATTERN LPAREN patternAlternation RPAREN
    (WITHIN within=literal)?
    DEFINE patternDefinition (COMMA patternDefinition)*
    RPAREN
  ;

measure: expression AS identifier;
rowsPerMatch: ONE ROW PER MATCH | ALL ROWS PER MATCH;
skipTo
  : PAST LAST ROW                                                         # skipPastLastRow
  | TO NEXT ROW                                                           # skipToNextRow
  | TO position=(FIRST | LAST)? identifier                                # skipToVariable
  ;

patternAlternation: patternSequence (PIPE patternSequence)*;
patternSequence: patternFactor+;
patternFactor: patternPrimary patternQuantifier?;
patternPrimary
  : identifier
  | LPAREN patternAlternation RPAREN
  ;
patternQuantifier
  : (STAR | PLUS | QUESTION) reluctant=QUESTION?
  | LBRACE min=INTEGER_VALUE? (comma=COMMA max=INTEGER_VALUE?)? RBRACE reluctant=QUESTION?
  ;
patternDefinition: identifier AS expression;

orderByClause: ORDER BY sortItem (COMMA sortItem)*;
sortItem: expression ordering=(ASC | DESC)? (NULLS nullOrder=(FIRST | LAST))?;

limitClause
  : LIMIT limit=INTEGER_VALUE (OFFSET offset=INTEGER_VALUE (ROW | ROWS)?)?
  | OFFSET offset=INTEGER_VALUE (ROW | ROWS)? fetchClause?
  | fetchClause
  ;
fetchClause: FETCH (FIRST | NEXT) limit=INTEGER_VALUE? (ROW | ROWS) ONLY;

// ---- Hints ----

hint: HINT_START hintItem (HINT_COMMA? hintItem)* HINT_END;
hintItem: name=HINT_NAME (HINT_LPAREN (hintOptions | hintArguments)? HINT_RPAREN)?;
hintOptions: hintOption (HINT_COMMA hintOption)*;
hintOption: key=hintValue HINT_EQ value=hintValue;
hintArguments: hintArgument (HINT_COMMA hintArgument)*;
hintArgument: hintValue (HINT_DOT hintValue)*;
hintValue: HINT_STRING | HINT_NAME | HINT_QUOTED_NAME | HINT_NUMBER;

// ---- Expressions, loosest binding last ----

expression
  : primaryExpression                                                     # primary
  | op=(MINUS | PLUS) expression                                          # unary
  | left=expression op=(STAR | SLASH | PERCENT) right=expression          # arithmetic
  | left=expression op=(PLUS | MINUS) right=expression                    # arithmetic
  | left=expression op=CONCAT right=expression                            # arithmetic
  | left=expression comparisonOperator right=expression                   # comparison
  | expression comparisonOperator quantifier=(ALL | ANY | SOME)
      LPAREN query RPAREN                                                 # quantifiedComparison
  | left=expression OVERLAPS right=expression                             # overlaps
  | left=expression IS NOT? DISTINCT FROM right=expression                # distinctFrom
  | expression IS NOT? (NULL_ | TRUE | FALSE | UNKNOWN)                   # isPredicate
  | expression IS NOT? JSON jsonType=(VALUE | SCALAR | ARRAY | OBJECT)?   # isJson
  | expression NOT? IN LPAREN query RPAREN                                # inSubquery
  | expression NOT? IN LPAREN expression (COMMA expression)* RPAREN       # inList
  | expression NOT? BETWEEN symmetry=(ASYMMETRIC | SYMMETRIC)?
      lower=betweenBound AND upper=betweenBound                           # between
  | expression NOT? LIKE pattern=expression (ESCAPE escape=stringLiteral)? # like
  | expression NOT? SIMILAR TO pattern=expression (ESCAPE escape=stringLiteral)? # similarTo
  | NOT expression                                                        # logicalNot
  | left=expression op=AND right=expression                               # logical
  | left=expression op=OR right=expression                                # logical
  ;

comparisonOperator: EQ | NEQ | LT | LTE | GT | GTE;

// A bound of BETWEEN: a value, not a predicate, so that the AND after the
// lower bound is BETWEEN's own and an AND after the upper bound ends it, as
// in SQL. Parenthesize a bound to use anything else.
betweenBound
  : primaryExpression                                                     # boundPrimary
  | op=(MINUS | PLUS) betweenBound                                        # boundUnary
  | left=betweenBound op=(STAR | SLASH | PERCENT) right=betweenBound      # boundArithmetic
  | left=betweenBound op=(PLUS | MINUS) right=betweenBound                # boundArithmetic
  | left=betweenBound op=CONCAT right=betweenBound                        # boundArithmetic
  ;

primaryExpression
  : literal                                                               # literalExpression
  | CAST LPAREN expression AS dataType RPAREN                             # cast
  | TRY_CAST LPAREN expression AS dataType RPAREN                         # cast
  | CASE operand=expression? whenClause+ (ELSE elseValue=expression)? END # caseExpression
  | EXISTS LPAREN query RPAREN                                            # exists
  | EXTRACT LPAREN extractUnit FROM expression RPAREN                     # extract
  | name=(FLOOR | CEIL | CEILING) LPAREN expression TO extractUnit RPAREN # floorCeil
  | POSITION LPAREN needle=expression IN haystack=expression RPAREN       # position
  | SUBSTRING LPAREN expression FROM expression (FOR expression)? RPAREN  # substring
  | OVERLAY LPAREN expression PLACING expression FROM expression
      (FOR expression)? RPAREN                                            # overlay
  | TRIM LPAREN side=(BOTH | LEADING | TRAILING)? chars=expression?
      FROM source=expression RPAREN                                       # trim
  | name=(TIMESTAMPADD | TIMESTAMPDIFF) LPAREN extractUnit COMMA expression
      (COMMA expression)* RPAREN                                          # timeUnitCall
  | JSON_VALUE LPAREN expression COMMA expression
      (RETURNING dataType)? jsonEmptyClause? jsonErrorClause? RPAREN      # jsonValue
  | JSON_QUERY LPAREN expression COMMA expression (RETURNING dataType)?
      jsonWrapper? jsonEmptyClause? jsonErrorClause? RPAREN               # jsonQuery
  | JSON_EXISTS LPAREN expression COMMA expression
      (onError=(TRUE | FALSE | UNKNOWN | ERROR) ON ERROR)? RPAREN         # jsonExists
  | name=(JSON_OBJECT | JSON_OBJECTAGG) LPAREN
      (jsonKeyValue (COMMA jsonKeyValue)*)? jsonNullClause? RPAREN        # jsonObject
  | name=(JSON_ARRAY | JSON_ARRAYAGG) LPAREN
      (expression (COMMA expression)*)? jsonNullClause? RPAREN            # jsonArray
  | ARRAY LBRACKET (expression (COMMA expression)*)? RBRACKET             # arrayConstructor
  | MAP LBRACKET (expression (COMMA expression)*)? RBRACKET               # mapConstructor
  | ROW LPAREN (expression (COMMA expression)*)? RPAREN                   # rowConstructorExpression
  | functionName LPAREN (setQuantifier? functionArgument (COMMA functionArgument)*)? RPAREN
      filterClause? overClause?                                           # functionCall
  | functionName LPAREN STAR RPAREN filterClause? overClause?             # countStar
  | name=(CURRENT_DATE | CURRENT_TIME | CURRENT_TIMESTAMP | LOCALTIME
      | LOCALTIMESTAMP)                                                   # niladicCall
  | qualifiedName                                                         # columnReference
  | LPAREN expression RPAREN                                              # parenthesized
  | LPAREN expression (COMMA expression)+ RPAREN                          # implicitRow
  | LPAREN query RPAREN                                                   # scalarSubquery
  | collection=primaryExpression LBRACKET index=expression RBRACKET
      (DOT identifier)*                                                   # item
  ;

// A call argument, positional or named (name => value) as Flink 1.19 allows for
// user-defined functions and procedures.
functionArgument: (identifier ARROW)? expression;

jsonKeyValue: KEY? key=expression VALUE value=expression;
jsonNullClause: (NULL_ | ABSENT) ON NULL_;
jsonBehavior
  : NULL_
  | ERROR
  | EMPTY (ARRAY | OBJECT)
  | DEFAULT expression
  ;
jsonEmptyClause: jsonBehavior ON EMPTY;
jsonErrorClause: jsonBehavior ON ERROR;
jsonWrapper
  : WITHOUT ARRAY? WRAPPER
  | WITH (CONDITIONAL | UNCONDITIONAL)? ARRAY? WRAPPER
  ;

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
  | UNKNOWN                                                               # unknownLiteral
  | INTEGER_VALUE                                                         # integerLiteral
  | DECIMAL_VALUE                                                         # decimalLiteral
  | stringLiteral                                                         # stringLiteralValue
  | BINARY_LITERAL                                                        # binaryLiteral
  | INTERVAL sign=(PLUS | MINUS)? stringLiteral
      (from=timeUnit (LPAREN INTEGER_VALUE RPAREN)?
       (TO to=timeUnit (LPAREN INTEGER_VALUE RPAREN)?)?)?                 # intervalLiteral
  | (DATE | TIME | TIMESTAMP) stringLiteral                                # typedLiteral
  ;

timeUnit
  : YEAR | YEARS | MONTH | MONTHS | WEEK | DAY | DAYS | HOUR | HOURS
  | MINUTE | MINUTES | SECOND | SECONDS | MILLISECOND
  ;

// The units EXTRACT, TIMESTAMPADD and TIMESTAMPDIFF take.
extractUnit
  : timeUnit | QUARTER | MICROSECOND | NANOSECOND | DOW | DOY | EPOCH | ISODOW | ISOYEAR
  | DECADE | CENTURY | MILLENNIUM
  ;

// ---- Types ----

dataType: baseType (ARRAY | MULTISET)* (NOT NULL_ | NULL_)?;

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
  | (VARCHAR | CHAR VARYING? | CHARACTER VARYING? | BINARY VARYING? | VARBINARY)
      (LPAREN length=INTEGER_VALUE RPAREN)?                               # lengthType
  | TIME (LPAREN precision=INTEGER_VALUE RPAREN)? (WITHOUT TIME ZONE)?    # timeType
  | TIMESTAMP (LPAREN precision=INTEGER_VALUE RPAREN)? (WITHOUT TIME ZONE)? # timestampType
  | TIMESTAMP (LPAREN precision=INTEGER_VALUE RPAREN)? WITH LOCAL TIME ZONE # timestampLtzType
  | TIMESTAMP_LTZ (LPAREN precision=INTEGER_VALUE RPAREN)?                # timestampLtzType
  | INTERVAL from=timeUnit (LPAREN fromPrecision=INTEGER_VALUE RPAREN)?
      (TO to=timeUnit (LPAREN toPrecision=INTEGER_VALUE RPAREN)?)?        # intervalType
  | ARRAY LT dataType GT                                                  # arrayType
  | MULTISET LT dataType GT                                               # multisetType
  | MAP LT keyType=dataType COMMA valueType=dataType GT                   # mapType
  | RAW LPAREN className=stringLiteral (COMMA stringLiteral)? RPAREN      # rawType
  | VARIANT                                                               # variantType
  | ROW LT (rowField (COMMA rowField)*)? GT                               # rowType
  | ROW LPAREN (rowField (COMMA rowField)*)? RPAREN                       # rowType
  ;

rowField: identifier dataType (stringLiteral)?;

// ---- Names ----

functionName
  : qualifiedName | LEFT | RIGHT | IF | INSERT | SUBSTRING | TRIM
  | FLOOR | CEIL | CEILING | GROUPING
  ;
tableName: identifier (DOT identifier)*;
qualifiedName: identifier (DOT identifier)*;
identifierList: identifier (COMMA identifier)*;
// Adjacent string literals are one literal, as in Calcite: 'a' 'b' is 'ab'.
stringLiteral
  : STRING_LITERAL+
  | UNICODE_STRING_LITERAL (UESCAPE escape=STRING_LITERAL)?
  ;

identifier
  : IDENTIFIER
  | QUOTED_IDENTIFIER
  | nonReservedKeyword
  ;

// Keywords usable as plain names. fsql accepts more than Flink does (DATE, TIME,
// TIMESTAMP, VALUE, OFFSET, PARTITION, USER and the time units such as DAY),
// because Kafka tables often have columns with these names and HOUR(ts) or
// YEAR(d) are function calls; Flink needs such names in backquotes.
nonReservedKeyword
  : ABSENT | ADD | AFTER | ANALYZE | ASYMMETRIC | BUCKETS | BYTES | CASCADE | CATALOG | CATALOGS | CENTURY | COLUMNS
  | COMMENT | COMPILE | COMPUTE | CONDITIONAL | CONSTRAINTS | CONTINUOUS | DRAIN | FRESHNESS | INPUT
  | MATERIALIZED | OUTPUT | RAW | REFRESH | REFRESH_MODE | REMOVE | RESUME | SAVEPOINT | STATISTICS | STOP
  | SUSPEND | TRUNCATE | DATABASE | DATABASES | DATE | DAYS | DECADE | DEFAULT
  | DAY | DEFINE | DESCRIPTOR | DISTRIBUTED | DISTRIBUTION | DOW | DOY | EMPTY | ENFORCED | EPOCH
  | ERROR | EXCLUDING | EXECUTE | EXTENDED | FILTER | FIRST | FOLLOWING | FUNCTIONS | GENERATED
  | HASH | HOUR | HOURS | ILIKE | INCLUDING | ISODOW | ISOYEAR | JAR | JARS | JOB | JOBS | JSON | KEY
  | LANGUAGE | LAST | LOAD | MATCH | MEASURES | METADATA | MICROSECOND | MILLENNIUM
  | MILLISECOND | MINUTE | MINUTES | MODEL | MONTH | MODELS | MODIFY | MODULE | MODULES | MONTHS | NANOSECOND
  | NEXT | NULLS | OBJECT | OFFSET | ONE | ONLY | OPTIONS | ORDINALITY | OVERWRITE
  | OVERWRITING | PARTITION | PARTITIONED | PARTITIONS | PAST | PATTERN | PER | PLACING | PLAN
  | PRECEDING | PROCEDURES | QUARTER | RENAME | REPLACE | RESTRICT | RETURNING | SCALAR | SECOND | SECONDS | SETS
  | SKIP_ | STATEMENT | STRING | SYMMETRIC | SYSTEM | TABLES | TEMPORARY | TIME | TIMESTAMP | TIMESTAMP_LTZ
  | UESCAPE | UNBOUNDED | VARIANT | UNCONDITIONAL | UNLOAD | USER | VALUE | VIEW | VIEWS | VIRTUAL | WATERMARK
  | WATERMARKS | WEEK | WITHIN | WRAPPER | YEAR | YEARS | ZONE
  ;
