package dev.braid.cql;

import dev.braid.cql.Ast.*;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Recursive-descent parser for one statement of the CQL subset (an optional trailing {@code ;}
 * is allowed). Grammar (keywords case-insensitive):
 *
 * <pre>
 * stmt      := createKs | dropKs | use | createTable | dropTable | insert | update | delete
 *            | select | PAGING (n | OFF)? | TRACING (ON | OFF)? | CONSISTENCY level?
 *            | (DESCRIBE | DESC) (KEYSPACES | TABLES | TABLE name | KEYSPACE ks)
 *            | SHOW CLUSTER | SOURCE 'file' | HELP ... | EXIT | QUIT
 * createKs  := CREATE KEYSPACE [IF NOT EXISTS] ks WITH REPLICATION = { 'k': v, ... }
 * createTable := CREATE TABLE [IF NOT EXISTS] name ( col type [STATIC] [PRIMARY KEY], ...,
 *                [PRIMARY KEY ( pk | (pk, ...) [, ck ...] )] )
 *                [WITH CLUSTERING ORDER BY ( ck [ASC|DESC], ... )]
 * insert    := INSERT INTO name ( cols ) VALUES ( terms ) [using]
 * update    := UPDATE name [using] SET col = term, ... WHERE rels
 * delete    := DELETE [cols] FROM name [USING TIMESTAMP n] [WHERE rels]
 * select    := SELECT (* | sel, ...) FROM name [WHERE rels] [ORDER BY col [ASC|DESC], ...]
 *              [PER PARTITION LIMIT n] [LIMIT n]
 * using     := USING (TIMESTAMP n | TTL n) [AND (TIMESTAMP n | TTL n)]
 * rels      := rel (AND rel)*
 * rel       := col op term | col IN ( terms ) | ( cols ) op tuple | ( cols ) IN ( tuples )
 *            | token ( cols ) op term
 * </pre>
 */
final class Parser {
  private final String in;
  private final List<Token> tokens;
  private int i;

  private Parser(String in) {
    this.in = in;
    this.tokens = Lexer.tokenize(in);
  }

  /** Parses one statement. */
  static Stmt parse(String text) {
    Parser p = new Parser(text);
    if (p.peek().type() == Token.Type.EOF) {
      throw p.error("empty statement", p.peek());
    }
    Stmt s = p.statement();
    p.eatSymbol(";");
    if (p.peek().type() != Token.Type.EOF) {
      throw p.error("unexpected " + p.peek().describe(text) + " after the end of the statement",
          p.peek());
    }
    return s;
  }

  private Stmt statement() {
    Token t = peek();
    if (t.type() != Token.Type.IDENT) {
      throw error("expected a statement (SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, USE, ...)"
          + " but found " + t.describe(in), t);
    }
    switch (t.text()) {
      case "create":
        next();
        if (peekKeyword("keyspace")) {
          next();
          return createKeyspace();
        }
        if (peekKeyword("table") || peekKeyword("columnfamily")) {
          next();
          return createTable();
        }
        throw error("expected KEYSPACE or TABLE after CREATE", peek());
      case "drop": {
        next();
        boolean ks = peekKeyword("keyspace");
        if (!ks && !peekKeyword("table")) {
          throw error("expected KEYSPACE or TABLE after DROP", peek());
        }
        next();
        boolean ifExists = false;
        if (peekKeyword("if")) {
          next();
          expectKeyword("exists");
          ifExists = true;
        }
        if (ks) {
          return new DropKeyspace(ident("a keyspace name"), ifExists);
        }
        return new DropTable(qualifiedName(), ifExists);
      }
      case "use":
        next();
        return new Use(ident("a keyspace name"));
      case "insert":
        next();
        return insert();
      case "update":
        next();
        return update();
      case "delete":
        next();
        return delete();
      case "select":
        next();
        return select();
      case "paging":
        next();
        if (peekKeyword("off")) {
          next();
          return new Paging(null, true, false);
        }
        if (peekKeyword("on")) {
          next();
          return new Paging(null, false, true);
        }
        if (peek().type() == Token.Type.INTEGER) {
          return new Paging(literal(), false, false);
        }
        if (atStatementEnd()) {
          return new Paging(null, false, false);
        }
        throw error("expected a page size, ON or OFF after PAGING", peek());
      case "tracing":
        next();
        if (peekKeyword("on") || peekKeyword("off")) {
          return new Tracing(next().text().equals("on"));
        }
        if (atStatementEnd()) {
          return new Tracing(null);
        }
        throw error("expected ON or OFF after TRACING", peek());
      case "consistency":
        next();
        if (atStatementEnd()) {
          return new ConsistencyStmt(null);
        }
        return new ConsistencyStmt(ident("a consistency level (ONE, QUORUM, ALL)"));
      case "describe":
      case "desc":
        next();
        return describe();
      case "show":
        next();
        expectKeyword("cluster");
        return new ShowCluster();
      case "source": {
        next();
        Token f = next();
        if (f.type() != Token.Type.STRING) {
          throw error("expected a quoted file name after SOURCE, e.g. SOURCE 'file.cql'", f);
        }
        return new Source(f.text());
      }
      case "help":
      case "?":
        next();
        while (!atStatementEnd()) {
          next(); // HELP topic: we list everything anyway
        }
        return new Help();
      case "exit":
      case "quit":
        next();
        return new Exit();
      default:
        throw error("unknown statement " + t.describe(in)
            + " (expected SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, USE, or a shell command;"
            + " try HELP)", t);
    }
  }

  private Describe describe() {
    Token t = peek();
    if (peekKeyword("keyspaces")) {
      next();
      return new Describe(DescribeKind.KEYSPACES, null);
    }
    if (peekKeyword("tables")) {
      next();
      return new Describe(DescribeKind.TABLES, null);
    }
    if (peekKeyword("table") || peekKeyword("columnfamily")) {
      next();
      return new Describe(DescribeKind.TABLE, qualifiedName());
    }
    if (peekKeyword("keyspace")) {
      next();
      if (atStatementEnd()) {
        return new Describe(DescribeKind.KEYSPACE, null);
      }
      return new Describe(DescribeKind.KEYSPACE, new QualifiedName(null, ident("a keyspace")));
    }
    throw error("expected KEYSPACES, TABLES, TABLE name or KEYSPACE name after DESCRIBE", t);
  }

  private CreateKeyspace createKeyspace() {
    boolean ifNotExists = ifNotExists();
    Ident ks = ident("a keyspace name");
    expectKeyword("with");
    Token at = expectKeyword("replication");
    expectSymbol("=");
    expectSymbol("{");
    List<MapEntry> entries = new ArrayList<>();
    if (!peekSymbol("}")) {
      do {
        Literal k = literal();
        expectSymbol(":");
        Literal v = literal();
        entries.add(new MapEntry(k, v));
      } while (eatSymbol(","));
    }
    expectSymbol("}");
    if (peekKeyword("and")) {
      throw error("only the replication option is supported in CREATE KEYSPACE", peek());
    }
    return new CreateKeyspace(ks, ifNotExists, entries, at);
  }

  private boolean ifNotExists() {
    if (peekKeyword("if")) {
      next();
      expectKeyword("not");
      expectKeyword("exists");
      return true;
    }
    return false;
  }

  private CreateTable createTable() {
    boolean ifNotExists = ifNotExists();
    QualifiedName name = qualifiedName();
    expectSymbol("(");
    List<ColumnDef> cols = new ArrayList<>();
    List<Ident> pk = new ArrayList<>();
    List<Ident> ck = new ArrayList<>();
    Token pkAt = null;
    do {
      if (peekKeyword("primary")) {
        if (pkAt != null) {
          throw error("the PRIMARY KEY is declared twice", peek());
        }
        pkAt = next();
        expectKeyword("key");
        expectSymbol("(");
        if (eatSymbol("(")) {
          do {
            pk.add(ident("a partition key column"));
          } while (eatSymbol(","));
          expectSymbol(")");
        } else {
          pk.add(ident("a partition key column"));
        }
        while (eatSymbol(",")) {
          ck.add(ident("a clustering column"));
        }
        expectSymbol(")");
      } else {
        Ident col = ident("a column name or PRIMARY KEY");
        Ident type = ident("a column type");
        boolean isStatic = false;
        if (peekKeyword("static")) {
          next();
          isStatic = true;
        }
        if (peekKeyword("primary")) {
          Token at = next();
          expectKeyword("key");
          if (pkAt != null) {
            throw error("the PRIMARY KEY is declared twice", at);
          }
          pkAt = at;
          pk.add(col);
        }
        cols.add(new ColumnDef(col, type, isStatic));
      }
    } while (eatSymbol(","));
    expectSymbol(")");
    List<Ordering> order = new ArrayList<>();
    if (peekKeyword("with")) {
      next();
      expectKeyword("clustering");
      expectKeyword("order");
      expectKeyword("by");
      expectSymbol("(");
      do {
        order.add(ordering());
      } while (eatSymbol(","));
      expectSymbol(")");
      if (peekKeyword("and")) {
        throw error("only CLUSTERING ORDER BY is supported in WITH", peek());
      }
    }
    if (pkAt == null) {
      throw error("no PRIMARY KEY specified (exactly one required)", peek());
    }
    return new CreateTable(name, ifNotExists, cols, pk, ck, order, pkAt);
  }

  private Ordering ordering() {
    Ident c = ident("a column name");
    boolean desc = false;
    if (peekKeyword("asc")) {
      next();
    } else if (peekKeyword("desc")) {
      next();
      desc = true;
    }
    return new Ordering(c, desc);
  }

  private Insert insert() {
    expectKeyword("into");
    QualifiedName name = qualifiedName();
    expectSymbol("(");
    List<Ident> cols = new ArrayList<>();
    do {
      cols.add(ident("a column name"));
    } while (eatSymbol(","));
    expectSymbol(")");
    Token valuesAt = expectKeyword("values");
    expectSymbol("(");
    List<Term> values = new ArrayList<>();
    do {
      values.add(term());
    } while (eatSymbol(","));
    expectSymbol(")");
    rejectConditional();
    Using using = using(true);
    return new Insert(name, cols, values, using, valuesAt);
  }

  private Using using(boolean ttlAllowed) {
    if (!peekKeyword("using")) {
      return Using.NONE;
    }
    next();
    Literal ts = null;
    Literal ttl = null;
    do {
      Token t = peek();
      if (peekKeyword("timestamp")) {
        next();
        if (ts != null) {
          throw error("TIMESTAMP is given twice", t);
        }
        ts = literal();
      } else if (peekKeyword("ttl")) {
        if (!ttlAllowed) {
          throw error("TTL is not allowed in DELETE statements", t);
        }
        next();
        if (ttl != null) {
          throw error("TTL is given twice", t);
        }
        ttl = literal();
      } else {
        throw error("expected TIMESTAMP or TTL after " + (ts == null && ttl == null ? "USING"
            : "AND"), t);
      }
    } while (peekKeyword("and") && next() != null);
    return new Using(ts, ttl);
  }

  private Update update() {
    QualifiedName name = qualifiedName();
    Using using = using(true);
    expectKeyword("set");
    List<Assignment> as = new ArrayList<>();
    do {
      Ident c = ident("a column name");
      expectSymbol("=");
      as.add(new Assignment(c, term()));
    } while (eatSymbol(","));
    Token whereAt = expectKeyword("where");
    List<Relation> where = relations();
    rejectConditional();
    return new Update(name, using, as, where, whereAt);
  }

  private Delete delete() {
    List<Ident> cols = new ArrayList<>();
    if (!peekKeyword("from")) {
      do {
        cols.add(ident("a column name or FROM"));
      } while (eatSymbol(","));
    }
    expectKeyword("from");
    QualifiedName name = qualifiedName();
    Using using = using(false);
    Token whereAt = expectKeyword("where");
    List<Relation> where = relations();
    rejectConditional();
    return new Delete(cols, name, using, where, whereAt);
  }

  private Select select() {
    List<Selector> sels = new ArrayList<>();
    if (peekKeyword("distinct") || peekKeyword("json")) {
      throw error("SELECT " + peek().text().toUpperCase() + " is not supported", peek());
    }
    if (eatSymbol("*")) {
      sels = null;
    } else {
      do {
        Token t = peek();
        if (peekTokenCall()) {
          sels.add(new TokenSelector(tokenColumns(), t));
        } else {
          Ident c = ident("a column name, token(...) or *");
          if (peekSymbol("(")) {
            throw error("function " + c.name() + "() is not supported (only token())", c.at());
          }
          sels.add(new ColumnSelector(c));
        }
        if (peekKeyword("as")) {
          throw error("aliases (AS) are not supported", peek());
        }
      } while (eatSymbol(","));
    }
    expectKeyword("from");
    QualifiedName name = qualifiedName();
    List<Relation> where = List.of();
    if (peekKeyword("where")) {
      next();
      where = relations();
    }
    List<Ordering> orderBy = new ArrayList<>();
    Token orderAt = null;
    if (peekKeyword("order")) {
      orderAt = next();
      expectKeyword("by");
      do {
        orderBy.add(ordering());
      } while (eatSymbol(","));
    }
    Literal ppl = null;
    Literal limit = null;
    if (peekKeyword("per")) {
      next();
      expectKeyword("partition");
      expectKeyword("limit");
      ppl = literal();
    }
    if (peekKeyword("limit")) {
      next();
      limit = literal();
    }
    if (peekKeyword("allow")) {
      throw error("ALLOW FILTERING is not supported by braid", peek());
    }
    return new Select(sels, name, where, orderBy, ppl, limit, orderAt);
  }

  private List<Relation> relations() {
    List<Relation> rels = new ArrayList<>();
    do {
      rels.add(relation());
    } while (peekKeyword("and") && next() != null);
    return rels;
  }

  private Relation relation() {
    Token at = peek();
    if (peekSymbol("(")) {
      next();
      List<Ident> cols = new ArrayList<>();
      do {
        cols.add(ident("a clustering column"));
      } while (eatSymbol(","));
      expectSymbol(")");
      Op op = op();
      if (op == Op.IN) {
        List<TupleTerm> tuples = inList(this::tuple);
        return new MultiRelation(cols, op, null, tuples, at, in.substring(at.start(),
            tokens.get(i - 1).end()));
      }
      TupleTerm value = tuple();
      return new MultiRelation(cols, op, value, null, at, in.substring(at.start(),
          tokens.get(i - 1).end()));
    }
    if (peekTokenCall()) {
      List<Ident> cols = tokenColumns();
      Op op = op();
      return new TokenRelation(cols, op, term(), at);
    }
    Ident col = ident("a column name");
    Op op = op();
    if (op == Op.IN) {
      List<Term> vals = inList(this::term);
      return new SingleRelation(col, op, null, vals, at);
    }
    return new SingleRelation(col, op, term(), null, at);
  }

  /** Whether a {@code token(} call starts here. */
  private boolean peekTokenCall() {
    return peekKeyword("token") && peekAt(1).isSymbol("(");
  }

  /** Consumes {@code token ( column {, column} )} and returns the partition key columns. */
  private List<Ident> tokenColumns() {
    next();
    next();
    List<Ident> cols = new ArrayList<>();
    do {
      cols.add(ident("a partition key column"));
    } while (eatSymbol(","));
    expectSymbol(")");
    return cols;
  }

  /** An IN list: {@code ( [element {, element}] )}, possibly empty. */
  private <T> List<T> inList(Supplier<T> element) {
    expectSymbol("(");
    List<T> out = new ArrayList<>();
    if (!peekSymbol(")")) {
      do {
        out.add(element.get());
      } while (eatSymbol(","));
    }
    expectSymbol(")");
    return out;
  }

  private TupleTerm tuple() {
    Token at = expectSymbol("(");
    List<Term> els = new ArrayList<>();
    do {
      els.add(term());
    } while (eatSymbol(","));
    expectSymbol(")");
    return new TupleTerm(els, at);
  }

  private Op op() {
    Token t = next();
    if (t.type() == Token.Type.SYMBOL) {
      switch (t.text()) {
        case "=":
          return Op.EQ;
        case "<":
          return Op.LT;
        case "<=":
          return Op.LTE;
        case ">":
          return Op.GT;
        case ">=":
          return Op.GTE;
        case "!=":
          throw error("the != operator is not supported", t);
        default:
          break;
      }
    }
    if (t.isKeyword("in")) {
      return Op.IN;
    }
    if (t.isKeyword("contains") || t.isKeyword("like")) {
      throw error(t.text().toUpperCase() + " is not supported", t);
    }
    throw error("expected an operator (=, <, <=, >, >=, IN) but found " + t.describe(in), t);
  }

  private Term term() {
    if (peekSymbol("(")) {
      return tuple();
    }
    return literal();
  }

  private Literal literal() {
    Token t = next();
    switch (t.type()) {
      case STRING:
        return new Literal(LiteralKind.STRING, t.text(), t);
      case INTEGER:
        return new Literal(LiteralKind.INTEGER, t.text(), t);
      case FLOAT:
        return new Literal(LiteralKind.FLOAT, t.text(), t);
      case HEX:
        return new Literal(LiteralKind.HEX, t.text(), t);
      case UUID:
        return new Literal(LiteralKind.UUID, t.text(), t);
      case IDENT:
        switch (t.text()) {
          case "true":
          case "false":
            return new Literal(LiteralKind.BOOLEAN, t.text(), t);
          case "null":
            return new Literal(LiteralKind.NULL, "null", t);
          case "nan":
            return new Literal(LiteralKind.FLOAT, "NaN", t);
          case "infinity":
            return new Literal(LiteralKind.FLOAT, "Infinity", t);
          default:
            break;
        }
        break;
      case SYMBOL:
        if (t.text().equals("-") && (peekKeyword("infinity") || peekKeyword("nan"))) {
          Token n = next();
          return new Literal(LiteralKind.FLOAT, n.text().equals("nan") ? "NaN" : "-Infinity",
              new Token(Token.Type.FLOAT, "-" + n.text(), t.start(), n.end()));
        }
        if (t.text().equals("?")) {
          throw error("bind markers are not supported", t);
        }
        break;
      default:
        break;
    }
    if (t.type() == Token.Type.EOF) {
      throw error("expected a value but the statement ended", t);
    }
    throw error("expected a value (a number, 'text', 0x.., true/false, a uuid or null) but found "
        + t.describe(in), t);
  }

  private QualifiedName qualifiedName() {
    Ident first = ident("a table name");
    if (eatSymbol(".")) {
      return new QualifiedName(first, ident("a table name"));
    }
    return new QualifiedName(null, first);
  }

  private Ident ident(String what) {
    Token t = next();
    if (t.type() == Token.Type.IDENT || t.type() == Token.Type.QUOTED_IDENT) {
      return new Ident(t.text(), t);
    }
    if (t.type() == Token.Type.EOF) {
      throw error("expected " + what + " but the statement ended", t);
    }
    throw error("expected " + what + " but found " + t.describe(in), t);
  }

  private boolean atStatementEnd() {
    return peek().type() == Token.Type.EOF || peekSymbol(";");
  }

  private Token peek() {
    return tokens.get(i);
  }

  private Token peekAt(int k) {
    return tokens.get(Math.min(i + k, tokens.size() - 1));
  }

  private Token next() {
    Token t = tokens.get(i);
    if (t.type() != Token.Type.EOF) {
      i++;
    }
    return t;
  }

  private boolean peekKeyword(String kw) {
    return peek().isKeyword(kw);
  }

  private boolean peekSymbol(String s) {
    return peek().isSymbol(s);
  }

  private boolean eatSymbol(String s) {
    if (peekSymbol(s)) {
      next();
      return true;
    }
    return false;
  }

  private Token expectSymbol(String s) {
    Token t = peek();
    if (!t.isSymbol(s)) {
      throw error("expected '" + s + "' but " + (t.type() == Token.Type.EOF ? "the statement ended"
          : "found " + t.describe(in)), t);
    }
    return next();
  }

  /** Lightweight transactions ({@code IF ...}) are not supported: a clear error at the IF. */
  private void rejectConditional() {
    if (peekKeyword("if")) {
      throw error("conditional statements (IF ...) are not supported", peek());
    }
  }

  private Token expectKeyword(String kw) {
    Token t = peek();
    if (!t.isKeyword(kw)) {
      throw error("expected " + kw.toUpperCase() + " but " + (t.type() == Token.Type.EOF
          ? "the statement ended" : "found " + t.describe(in)), t);
    }
    return next();
  }

  private CqlException error(String reason, Token at) {
    return new CqlException(CqlException.Kind.SYNTAX, reason, in, at.start());
  }
}
