package io.schemagate.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Reads a SchemaMigration's spec or status so that a value it cannot read never fails the whole
 * object, and with it every list of SchemaMigrations that holds it: a spec becomes an {@link
 * UnreadableSpec}, a status none (the operator writes a new one).
 */
abstract class TolerantReader<T> extends JsonDeserializer<T> {
  private final Class<T> type;
  private final String root;

  TolerantReader(Class<T> type, String root) {
    this.type = type;
    this.root = root;
  }

  @Override
  public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    JsonNode json = context.readTree(parser);
    try {
      return context.readTreeAsValue(json, type);
    } catch (JsonMappingException e) {
      return unreadable(json, path(e), problem(e));
    }
  }

  abstract T unreadable(JsonNode json, String field, String problem);

  /** The spec of a SchemaMigration. */
  static final class Spec extends TolerantReader<SchemaMigrationSpec> {
    Spec() {
      super(SchemaMigrationSpec.class, "spec");
    }

    @Override
    SchemaMigrationSpec unreadable(JsonNode json, String field, String problem) {
      return new UnreadableSpec(json, field, problem);
    }
  }

  /** The status of a SchemaMigration: only the operator writes it, and writes it anew. */
  static final class Status extends TolerantReader<SchemaMigrationStatus> {
    Status() {
      super(SchemaMigrationStatus.class, "status");
    }

    @Override
    SchemaMigrationStatus unreadable(JsonNode json, String field, String problem) {
      return null;
    }
  }

  private String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder(root);
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        path.append('.').append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** What the field should have been; never the value, which may be anything a user pasted. */
  static String problem(JsonMappingException e) {
    Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
    if (target == null) {
      return "cannot be read";
    }
    if (target.isEnum()) {
      return "must be one of "
          + Arrays.stream(target.getEnumConstants())
              .map(c -> ((Enum<?>) c).name())
              .collect(Collectors.joining(", "));
    }
    if (target == String.class) {
      return "must be a string";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "must be true or false";
    }
    if (target == Integer.class
        || target == int.class
        || target == Long.class
        || target == long.class) {
      return "must be an integer";
    }
    if (Number.class.isAssignableFrom(target) || target.isPrimitive()) {
      return "must be a number";
    }
    if (Collection.class.isAssignableFrom(target) || target.isArray()) {
      return "must be a list";
    }
    return "must be an object";
  }
}
