package dev.braid.rpc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named set of methods with their handlers, registered on a server as a unit. Generated
 * code produces these; tests and tools build them by hand.
 */
public final class ServiceDefinition {
  /** One method and its handler: exactly one of the two handlers is set. */
  public record Entry(MethodDescriptor<?, ?> method, UnaryHandler<?, ?> unary,
      StreamHandler<?, ?> stream) {
    public Entry {
      Objects.requireNonNull(method, "method");
      if ((unary == null) == (stream == null)) {
        throw new IllegalArgumentException("exactly one handler must be given");
      }
      if (unary != null && method.type() != MethodType.UNARY) {
        throw new IllegalArgumentException(method + " is not unary");
      }
      if (stream != null && method.type() == MethodType.UNARY) {
        throw new IllegalArgumentException(method + " is unary: give a UnaryHandler");
      }
    }
  }

  private final String name;
  private final List<Entry> entries;

  private ServiceDefinition(String name, List<Entry> entries) {
    this.name = name;
    this.entries = entries;
  }

  /** A builder for the service {@code name} (e.g. {@code pkg.Service}). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  public List<Entry> entries() {
    return entries;
  }

  /** Builds a {@link ServiceDefinition}; rejects duplicate method names. */
  public static final class Builder {
    private final String name;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public <Q, R> Builder unary(MethodDescriptor<Q, R> method, UnaryHandler<Q, R> handler) {
      return add(new Entry(method, Objects.requireNonNull(handler, "handler"), null));
    }

    public <Q, R> Builder stream(MethodDescriptor<Q, R> method, StreamHandler<Q, R> handler) {
      return add(new Entry(method, null, Objects.requireNonNull(handler, "handler")));
    }

    private Builder add(Entry e) {
      if (entries.putIfAbsent(e.method().fullName(), e) != null) {
        throw new IllegalArgumentException("duplicate method " + e.method().fullName());
      }
      return this;
    }

    public ServiceDefinition build() {
      return new ServiceDefinition(name,
          Collections.unmodifiableList(new ArrayList<>(entries.values())));
    }
  }
}
