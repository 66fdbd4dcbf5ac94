package io.schemagate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactorTest {
  private final Redactor noPassword = new Redactor(null);

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "jdbc:postgresql://user:pw@host/db|jdbc:postgresql://host/db",
        "jdbc:postgresql://user:pw@host:5432/db?ssl=true|jdbc:postgresql://host:5432/db?ssl=true",
        "postgres://alice:s3cret@db.internal:5432/app|postgres://db.internal:5432/app",
        "JDBC:POSTGRESQL://Admin:X@h/db|JDBC:POSTGRESQL://h/db",
        "jdbc:postgresql://user@host/db|jdbc:postgresql://host/db",
        "jdbc:postgresql://user:p%40ss@host/db|jdbc:postgresql://host/db",
      })
  void credentialsInTheUrlAreRemoved(String text, String expected) {
    assertThat(noPassword.redact(text)).isEqualTo(expected);
  }

  @Test
  void secretQueryParametersAreMasked() {
    String redacted =
        noPassword.redact(
            "cannot connect to jdbc:postgresql://host/db?password=hunter2&user=bob&ssl=true"
                + ";sslpassword=keypw");

    assertThat(redacted)
        .doesNotContain("hunter2")
        .doesNotContain("bob")
        .doesNotContain("keypw")
        .contains("jdbc:postgresql://host/db?password=***&user=***&ssl=true")
        .contains("sslpassword=***");
  }

  @Test
  void parameterNamesAreMatchedCaseInsensitively() {
    assertThat(noPassword.redact("jdbc:postgresql://h/db?PASSWORD=Zz9&User=x"))
        .isEqualTo("jdbc:postgresql://h/db?PASSWORD=***&User=***");
  }

  @Test
  void thePasswordItselfIsRemovedAnywhere() {
    Redactor r = new Redactor("Tr0ub4dor&3");

    String redacted =
        r.redact(
            "FATAL: role \"app\" with password Tr0ub4dor&3 rejected\n"
                + "at \"Tr0ub4dor&3\" (and again:Tr0ub4dor&3Tr0ub4dor&3)");

    assertThat(redacted).doesNotContain("Tr0ub4dor").contains("password *** rejected");
  }

  @Test
  void passwordWithUrlSpecialCharactersLeavesNoFragmentInAUrl() {
    Redactor r = new Redactor("p@ss/w&rd");

    String userinfo = r.redact("cannot connect to jdbc:postgresql://app:p@ss/w&rd@host/db");
    String query = r.redact("cannot connect to jdbc:postgresql://host/db?password=p@ss/w&rd&x=1");

    assertThat(userinfo).isEqualTo("cannot connect to jdbc:postgresql://host/db");
    assertThat(query).isEqualTo("cannot connect to jdbc:postgresql://host/db?password=***&x=1");
  }

  @Test
  void passwordWithRegexCharactersIsTakenLiterally() {
    Redactor r = new Redactor("a.b*c$1\\");

    assertThat(r.redact("x a.b*c$1\\ y axbbc z")).isEqualTo("x *** y axbbc z");
  }

  @Test
  void nullAndEmptyAreHandled() {
    assertThat(noPassword.redact(null)).isNull();
    assertThat(new Redactor("").redact("plain text")).isEqualTo("plain text");
    assertThat(noPassword.redact("no secrets here: user=bob"))
        .isEqualTo("no secrets here: user=bob");
  }

  @Test
  void redactedResultNeverCarriesThePassword() {
    RunResult result = new RunResult("migrate");
    result.fail(
        Reason.AuthenticationFailed,
        "password authentication failed for jdbc:postgresql://u:sekrit@h/db (sekrit)",
        FailureDetail.NONE);
    result.warn("retrying with sekrit");

    result.redact(new Redactor("sekrit"));

    assertThat(result.toJson()).doesNotContain("sekrit");
    assertThat(result.toCompactJson()).doesNotContain("sekrit");
  }
}
