package io.schemagate.runner.cli;

/**
 * One {@code --option} a command accepts: a flag when {@code label} is null, else it takes a value
 * ({@code --name VALUE} or {@code --name=VALUE}); hidden ones are accepted but not listed.
 */
record OptionSpec(
    String name,
    String label,
    String description,
    String defaultValue,
    boolean repeatable,
    boolean required,
    boolean hidden) {

  static OptionSpec flag(String name, String description) {
    return new OptionSpec(name, null, description, null, false, false, false);
  }

  static OptionSpec value(String name, String label, String description) {
    return new OptionSpec(name, label, description, null, false, false, false);
  }

  OptionSpec withDefault(String value) {
    return new OptionSpec(name, label, description, value, repeatable, required, hidden);
  }

  OptionSpec asRequired() {
    return new OptionSpec(name, label, description, defaultValue, repeatable, true, hidden);
  }

  OptionSpec asRepeatable() {
    return new OptionSpec(name, label, description, defaultValue, true, required, hidden);
  }

  OptionSpec asHidden() {
    return new OptionSpec(name, label, description, defaultValue, repeatable, required, true);
  }

  boolean isFlag() {
    return label == null;
  }
}
