package io.schemagate.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {

  @Test
  void userAndPasswordAreStrippedFromUrls() {
    assertThat(SafeText.of("cannot reach jdbc:postgresql://app:s3cr%40t@db.shop:5432/orders"))
        .isEqualTo("cannot reach jdbc:postgresql://db.shop:5432/orders");
  }

  @Test
  void secretQueryParametersAreMasked() {
    assertThat(SafeText.of("jdbc:postgresql://db/x?ssl=true&password=s3cret&sslpassword=k"))
        .isEqualTo("jdbc:postgresql://db/x?ssl=true&password=***&sslpassword=***");
  }

  @Test
  void messageIsOneLine() {
    assertThat(SafeText.of("  first\n\tsecond\r\nthird  ")).isEqualTo("first second third");
  }

  @Test
  void longMessageIsCappedAndMarked() {
    String capped = SafeText.of("x".repeat(1000));

    assertThat(capped).hasSize(300).endsWith("...");
  }

  @Test
  void capNeverSplitsACharacter() {
    String capped = SafeText.of("a".repeat(296) + "😀".repeat(10));

    assertThat(capped).endsWith("a...").hasSize(299);
  }

  @Test
  void shortMessageIsUnchangedAndNullStaysNull() {
    assertThat(SafeText.of("relation \"x\" does not exist"))
        .isEqualTo("relation \"x\" does not exist");
    assertThat(SafeText.of(null)).isNull();
  }
}
