package io.schemagate.runner.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.schemagate.runner.sql.SqlToken.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlLexerTest {

  private static List<SqlToken> significant(String sql) {
    return SqlLexer.tokenize(sql).stream().filter(SqlToken::significant).toList();
  }

  private static List<Type> types(String sql) {
    return significant(sql).stream().map(SqlToken::type).toList();
  }

  @Test
  void tokensConcatenateBackToTheInput() {
    String sql =
        "SELECT E'a\\'b', U&'d\\0061t', \"x\"\"y\", $f$ ; $f$, 1.5e3, $1 -- c\n/* a /* b */ */ ;";
    StringBuilder joined = new StringBuilder();
    SqlLexer.tokenize(sql).forEach(t -> joined.append(t.text()));
    assertThat(joined.toString()).isEqualTo(sql);
  }

  @Test
  void recognisesEachKindOfToken() {
    assertThat(types("select 'a''b' \"q\" $$x$$ 42 $1 + ( ; -- c"))
        .containsExactly(
            Type.WORD,
            Type.STRING,
            Type.QUOTED_IDENTIFIER,
            Type.DOLLAR_STRING,
            Type.NUMBER,
            Type.PARAMETER,
            Type.OPERATOR,
            Type.PUNCT,
            Type.SEMICOLON);
  }

  @Test
  void doubledQuoteStaysInsideString() {
    assertThat(significant("'it''s; fine' x"))
        .extracting(SqlToken::text)
        .containsExactly("'it''s; fine'", "x");
  }

  @Test
  void backslashEscapesQuoteOnlyInEscapeStrings() {
    assertThat(significant("E'a\\'; b' c"))
        .extracting(SqlToken::text)
        .containsExactly("E'a\\'; b'", "c");
    // With standard_conforming_strings a backslash is an ordinary character in '...'.
    assertThat(significant("'a\\' b")).extracting(SqlToken::text).containsExactly("'a\\'", "b");
  }

  @Test
  void escapeStringContinuesAcrossNewlineWithItsEscapeRules() {
    List<SqlToken> tokens = significant("E'a'\n  'b\\';c' x");
    assertThat(tokens).extracting(SqlToken::type).containsExactly(Type.STRING, Type.WORD);
    assertThat(tokens.get(1).text()).isEqualTo("x");
  }

  @Test
  void unicodeStringAndIdentifierAreSingleTokens() {
    assertThat(significant("U&'d\\0061t;a' U&\"d;\" u"))
        .extracting(SqlToken::type)
        .containsExactly(Type.STRING, Type.QUOTED_IDENTIFIER, Type.WORD);
  }

  @Test
  void prefixLetterInsideLongerWordIsNotAStringPrefix() {
    assertThat(significant("some'x'")).extracting(SqlToken::text).containsExactly("some", "'x'");
  }

  @Test
  void quotedIdentifierKeepsDoubledQuotesAndNameUnquotesThem() {
    SqlToken token = significant("\"a \"\"b\"\"\"").get(0);
    assertThat(token.type()).isEqualTo(Type.QUOTED_IDENTIFIER);
    assertThat(token.name()).isEqualTo("a \"b\"");
  }

  @Test
  void unquotedNameFoldsToLowerCase() {
    assertThat(significant("Orders").get(0).name()).isEqualTo("orders");
  }

  @Test
  void nestedBlockCommentIsOneToken() {
    List<SqlToken> tokens = SqlLexer.tokenize("/* a /* b; */ c; */x");
    assertThat(tokens).extracting(SqlToken::type).containsExactly(Type.COMMENT, Type.WORD);
  }

  @Test
  void taggedDollarQuoteEndsOnlyAtTheSameTag() {
    List<SqlToken> tokens = significant("$body$ a $$ ; $x$ $body$ y");
    assertThat(tokens).extracting(SqlToken::type).containsExactly(Type.DOLLAR_STRING, Type.WORD);
  }

  @Test
  void positionalParameterIsNotADollarQuote() {
    assertThat(significant("$1 + $2"))
        .extracting(SqlToken::type)
        .containsExactly(Type.PARAMETER, Type.OPERATOR, Type.PARAMETER);
  }

  @Test
  void dollarInsideIdentifierDoesNotStartAQuote() {
    assertThat(significant("a$$b ; c"))
        .extracting(SqlToken::text)
        .containsExactly("a$$b", ";", "c");
  }

  @Test
  void doubleColonIsOneCastOperator() {
    assertThat(significant("x::timestamptz"))
        .extracting(SqlToken::text)
        .containsExactly("x", "::", "timestamptz");
  }

  @Test
  void operatorStopsWhereACommentStarts() {
    assertThat(SqlLexer.tokenize("1*--c\n2"))
        .extracting(SqlToken::type)
        .containsExactly(Type.NUMBER, Type.OPERATOR, Type.COMMENT, Type.WHITESPACE, Type.NUMBER);
  }

  @Test
  void numbersWithFractionsExponentsAndUnderscores() {
    assertThat(significant("1_000 .5 1.5e-3 0x1F 2.e"))
        .extracting(SqlToken::text)
        .containsExactly("1_000", ".5", "1.5e-3", "0x1F", "2.", "e");
  }

  @Test
  void tokensCarryTheLineWhereTheyStart() {
    List<SqlToken> tokens = significant("a\n'multi\nline'\n  b");
    assertThat(tokens).extracting(SqlToken::line).containsExactly(1, 2, 4);
  }

  @Test
  void linesCanStartAtAGivenNumber() {
    assertThat(SqlLexer.tokenize("a\nb", 10).get(2).line()).isEqualTo(11);
  }

  @Test
  void unterminatedStringReportsTheLineItStartsOn() {
    assertThatThrownBy(() -> SqlLexer.tokenize("select 1;\nselect 'abc;\n\n"))
        .isInstanceOfSatisfying(
            SqlSyntaxException.class,
            e -> {
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.reason()).isEqualTo("unterminated quoted string");
            });
  }

  @Test
  void unterminatedEscapeStringEndingInBackslashIsReported() {
    assertThatThrownBy(() -> SqlLexer.tokenize("E'abc\\'")).isInstanceOf(SqlSyntaxException.class);
  }

  @Test
  void unterminatedQuotedIdentifierIsReported() {
    assertThatThrownBy(() -> SqlLexer.tokenize("\n\"abc"))
        .isInstanceOfSatisfying(SqlSyntaxException.class, e -> assertThat(e.line()).isEqualTo(2));
  }

  @Test
  void unterminatedNestedCommentIsReported() {
    assertThatThrownBy(() -> SqlLexer.tokenize("x\n/* a /* b */ still open"))
        .isInstanceOfSatisfying(
            SqlSyntaxException.class,
            e -> {
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.reason()).contains("comment");
            });
  }

  @Test
  void unterminatedDollarQuoteIsReportedWithItsTag() {
    assertThatThrownBy(() -> SqlLexer.tokenize("\n\nAS $fn$ begin end $other$"))
        .isInstanceOfSatisfying(
            SqlSyntaxException.class,
            e -> {
              assertThat(e.line()).isEqualTo(3);
              assertThat(e.reason()).contains("$fn$");
            });
  }
}
