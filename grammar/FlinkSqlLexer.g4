// Lexer for the Flink SQL dialect fsql accepts.
//
// Keywords are case-insensitive through the letter fragments at the end, because
// the antlr4 4.7.2 tool in Debian 12 predates the caseInsensitive option.
lexer grammar FlinkSqlLexer;

ALL: A L L;
AND: A N D;
ARRAY: A R R A Y;
AS: A S;
ASC: A S C;
BEGIN: B E G I N;
BETWEEN: B E T W E E N;
BIGINT: B I G I N T;
BINARY: B I N A R Y;
BOOLEAN: B O O L E A N;
BUCKETS: B U C K E T S;
BY: B Y;
BYTES: B Y T E S;
CASE: C A S E;
CAST: C A S T;
CHAR: C H A R;
CHARACTER: C H A R A C T E R;
COMMENT: C O M M E N T;
CONSTRAINT: C O N S T R A I N T;
CREATE: C R E A T E;
CROSS: C R O S S;
CURRENT: C U R R E N T;
DATE: D A T E;
DAY: D A Y;
DAYS: D A Y S;
DECIMAL: D E C I M A L;
DEC: D E C;
DESC: D E S C;
DESCRIPTOR: D E S C R I P T O R;
DISTINCT: D I S T I N C T;
DISTRIBUTED: D I S T R I B U T E D;
DOUBLE: D O U B L E;
ELSE: E L S E;
END: E N D;
ENFORCED: E N F O R C E D;
ESCAPE: E S C A P E;
EXECUTE: E X E C U T E;
EXISTS: E X I S T S;
FALSE: F A L S E;
FILTER: F I L T E R;
FIRST: F I R S T;
FLOAT: F L O A T;
FOLLOWING: F O L L O W I N G;
FOR: F O R;
FROM: F R O M;
FULL: F U L L;
GROUP: G R O U P;
HASH: H A S H;
HAVING: H A V I N G;
HOUR: H O U R;
HOURS: H O U R S;
IF: I F;
IN: I N;
INNER: I N N E R;
INSERT: I N S E R T;
INT: I N T;
INTEGER: I N T E G E R;
INTERVAL: I N T E R V A L;
INTO: I N T O;
IS: I S;
JOIN: J O I N;
KEY: K E Y;
LAST: L A S T;
LEFT: L E F T;
LIKE: L I K E;
LIMIT: L I M I T;
LOCAL: L O C A L;
MAP: M A P;
METADATA: M E T A D A T A;
MILLISECOND: M I L L I S E C O N D;
MINUTE: M I N U T E;
MINUTES: M I N U T E S;
MONTH: M O N T H;
MONTHS: M O N T H S;
MULTISET: M U L T I S E T;
NOT: N O T;
NULL_: N U L L;
NULLS: N U L L S;
NUMERIC: N U M E R I C;
ON: O N;
OR: O R;
ORDER: O R D E R;
OUTER: O U T E R;
OVER: O V E R;
OVERWRITE: O V E R W R I T E;
PARTITION: P A R T I T I O N;
PARTITIONED: P A R T I T I O N E D;
PRECEDING: P R E C E D I N G;
PRECISION: P R E C I S I O N;
PRIMARY: P R I M A R Y;
RANGE: R A N G E;
RESET: R E S E T;
RIGHT: R I G H T;
ROW: R O W;
ROWS: R O W S;
SECOND: S E C O N D;
SECONDS: S E C O N D S;
SELECT: S E L E C T;
SET: S E T;
SMALLINT: S M A L L I N T;
STATEMENT: S T A T E M E N T;
STRING: S T R I N G;
TABLE: T A B L E;
TEMPORARY: T E M P O R A R Y;
THEN: T H E N;
TIME: T I M E;
TIMESTAMP: T I M E S T A M P;
TIMESTAMP_LTZ: T I M E S T A M P '_' L T Z;
TINYINT: T I N Y I N T;
TO: T O;
TRUE: T R U E;
TRY_CAST: T R Y '_' C A S T;
UNBOUNDED: U N B O U N D E D;
UNION: U N I O N;
UNKNOWN: U N K N O W N;
USING: U S I N G;
VALUES: V A L U E S;
VARBINARY: V A R B I N A R Y;
VARCHAR: V A R C H A R;
VIEW: V I E W;
VIRTUAL: V I R T U A L;
WATERMARK: W A T E R M A R K;
WEEK: W E E K;
WHEN: W H E N;
WHERE: W H E R E;
WINDOW: W I N D O W;
WITH: W I T H;
WITHOUT: W I T H O U T;
YEAR: Y E A R;
YEARS: Y E A R S;
ZONE: Z O N E;

EQ: '=';
NEQ: '<>' | '!=';
LT: '<';
LTE: '<=';
GT: '>';
GTE: '>=';
PLUS: '+';
MINUS: '-';
STAR: '*';
SLASH: '/';
PERCENT: '%';
CONCAT: '||';
ARROW: '=>';
LPAREN: '(';
RPAREN: ')';
COMMA: ',';
DOT: '.';
SEMI: ';';

// A string literal; two quotes inside stand for one.
STRING_LITERAL: '\'' ( ~'\'' | '\'\'' )* '\'';
BINARY_LITERAL: X '\'' [0-9a-fA-F]* '\'';
INTEGER_VALUE: DIGIT+;
DECIMAL_VALUE
  : DIGIT+ '.' DIGIT* EXPONENT?
  | '.' DIGIT+ EXPONENT?
  | DIGIT+ EXPONENT
  ;
IDENTIFIER: (LETTER | '_') (LETTER | DIGIT | '_' | '$')*;
// Backquoted identifiers may contain anything, such as `$rowtime` or `fd.USER_TRANSACTION`;
// two backquotes inside stand for one.
QUOTED_IDENTIFIER: '`' ( ~'`' | '``' )* '`';

LINE_COMMENT: '--' ~[\r\n]* -> channel(HIDDEN);
BLOCK_COMMENT: '/*' .*? '*/' -> channel(HIDDEN);
WS: [ \t\r\n\f]+ -> channel(HIDDEN);

// Anything else becomes a token the parser rejects, so the error names it.
UNRECOGNIZED: .;

fragment EXPONENT: [eE] [+-]? DIGIT+;
fragment DIGIT: [0-9];
fragment LETTER: [a-zA-Z] | '\u0080'..'\uFFFE';

fragment A: [aA]; fragment B: [bB]; fragment C: [cC]; fragment D: [dD];
fragment E: [eE]; fragment F: [fF]; fragment G: [gG]; fragment H: [hH];
fragment I: [iI]; fragment J: [jJ]; fragment K: [kK]; fragment L: [lL];
fragment M: [mM]; fragment N: [nN]; fragment O: [oO]; fragment P: [pP];
fragment Q: [qQ]; fragment R: [rR]; fragment S: [sS]; fragment T: [tT];
fragment U: [uU]; fragment V: [vV]; fragment W: [wW]; fragment X: [xX];
fragment Y: [yY]; fragment Z: [zZ];
