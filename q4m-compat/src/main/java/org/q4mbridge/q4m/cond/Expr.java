package org.q4mbridge.q4m.cond;

/**
 * Syntax tree of a parsed condition. Every node records the 0-based offset of the token it came
 * from, so later stages can point at the offending part of the text.
 */
sealed interface Expr {

  /** Offset in the condition text of the token that produced this node. */
  int position();

  /** A column reference; {@code name} is lower-cased. */
  record Column(String name, int position) implements Expr {}

  /** An integer literal; always in {@code 0..Long.MAX_VALUE} because minus is an operator. */
  record IntLiteral(long value, int position) implements Expr {}

  /** The {@code NULL} keyword. */
  record NullLiteral(int position) implements Expr {}

  /** Prefix operators. */
  enum UnaryOp {
    /** {@code -x} */
    NEG,
    /** {@code ~x} */
    BIT_NOT,
    /** {@code NOT x} */
    NOT
  }

  /** A prefix operator applied to an operand. */
  record Unary(UnaryOp op, Expr operand, int position) implements Expr {}

  /** The six {@code IS [NOT] TRUE|FALSE|NULL} tests. */
  enum IsKind {
    TRUE("IS TRUE"),
    NOT_TRUE("IS NOT TRUE"),
    FALSE("IS FALSE"),
    NOT_FALSE("IS NOT FALSE"),
    NULL("IS NULL"),
    NOT_NULL("IS NOT NULL");

    final String sql;

    IsKind(String sql) {
      this.sql = sql;
    }
  }

  /** {@code operand IS ...}; never NULL itself. */
  record IsTest(Expr operand, IsKind kind, int position) implements Expr {}

  /** Binary operators and {@code pow}. */
  enum BinaryOp {
    OR,
    XOR,
    AND,
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE,
    BIT_OR,
    BIT_AND,
    SHL,
    SHR,
    ADD,
    SUB,
    MUL,
    DIV,
    MOD,
    BIT_XOR,
    POW;

    boolean isComparison() {
      return this == EQ || this == NE || this == LT || this == LE || this == GT || this == GE;
    }
  }

  /** A binary operation (or {@code pow(left, right)}). */
  record Binary(BinaryOp op, Expr left, Expr right, int position) implements Expr {}
}
