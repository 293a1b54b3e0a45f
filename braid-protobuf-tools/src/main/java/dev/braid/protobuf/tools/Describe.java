package dev.braid.protobuf.tools;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Proto-like text for the symbols of a set of files, as {@code grpcurl describe} prints. */
final class Describe {
  private Describe() {}

  static Optional<String> describe(List<FileDescriptor> files, String symbol) {
    String name = symbol.startsWith("/") ? symbol.substring(1) : symbol;
    name = name.replace('/', '.');
    for (FileDescriptor f : files) {
      for (ServiceDescriptor s : f.getServices()) {
        if (s.getFullName().equals(name)) {
          return Optional.of(service(s));
        }
        for (MethodDescriptor m : s.getMethods()) {
          if (m.getFullName().equals(name)) {
            return Optional.of(m.getFullName() + " is a method ("
                + JsonCall.type(m).toString().toLowerCase(Locale.ROOT).replace('_', '-')
                + "):\n" + rpc(m));
          }
        }
      }
      Optional<String> t = findType(f.getMessageTypes(), f.getEnumTypes(), name);
      if (t.isPresent()) {
        return t;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> findType(List<Descriptor> messages, List<EnumDescriptor> enums,
      String name) {
    for (EnumDescriptor e : enums) {
      if (e.getFullName().equals(name)) {
        return Optional.of(e.getFullName() + " is an enum:\n" + enumText(e, ""));
      }
    }
    for (Descriptor d : messages) {
      if (d.getFullName().equals(name)) {
        return Optional.of(d.getFullName() + " is a message:\n" + message(d, ""));
      }
      Optional<String> nested = findType(d.getNestedTypes(), d.getEnumTypes(), name);
      if (nested.isPresent()) {
        return nested;
      }
    }
    return Optional.empty();
  }

  private static String service(ServiceDescriptor s) {
    StringBuilder b = new StringBuilder(s.getFullName()).append(" is a service:\n");
    b.append("service ").append(s.getName()).append(" {\n");
    for (MethodDescriptor m : s.getMethods()) {
      b.append("  ").append(rpc(m)).append('\n');
    }
    return b.append('}').toString();
  }

  private static String rpc(MethodDescriptor m) {
    return "rpc " + m.getName() + "(" + (m.isClientStreaming() ? "stream " : "")
        + "." + m.getInputType().getFullName() + ") returns ("
        + (m.isServerStreaming() ? "stream " : "") + "." + m.getOutputType().getFullName()
        + ");";
  }

  private static String message(Descriptor d, String indent) {
    StringBuilder b = new StringBuilder(indent).append("message ").append(d.getName())
        .append(" {\n");
    for (FieldDescriptor f : d.getFields()) {
      b.append(indent).append("  ");
      if (f.getRealContainingOneof() != null) {
        b.append("/* oneof ").append(f.getRealContainingOneof().getName()).append(" */ ");
      }
      if (f.isMapField()) {
        Descriptor entry = f.getMessageType();
        b.append("map<").append(type(entry.findFieldByName("key"))).append(", ")
            .append(type(entry.findFieldByName("value"))).append('>');
      } else {
        if (f.isRepeated()) {
          b.append("repeated ");
        } else if (f.hasPresence() && f.getRealContainingOneof() == null
            && f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
          b.append("optional ");
        }
        b.append(type(f));
      }
      b.append(' ').append(f.getName()).append(" = ").append(f.getNumber()).append(";\n");
    }
    for (Descriptor nested : d.getNestedTypes()) {
      if (!nested.getOptions().getMapEntry()) {
        b.append(message(nested, indent + "  ")).append('\n');
      }
    }
    for (EnumDescriptor e : d.getEnumTypes()) {
      b.append(enumText(e, indent + "  ")).append('\n');
    }
    return b.append(indent).append('}').toString();
  }

  private static String enumText(EnumDescriptor e, String indent) {
    StringBuilder b = new StringBuilder(indent).append("enum ").append(e.getName())
        .append(" {\n");
    for (EnumValueDescriptor v : e.getValues()) {
      b.append(indent).append("  ").append(v.getName()).append(" = ").append(v.getNumber())
          .append(";\n");
    }
    return b.append(indent).append('}').toString();
  }

  private static String type(FieldDescriptor f) {
    return switch (f.getType()) {
      case MESSAGE, GROUP -> "." + f.getMessageType().getFullName();
      case ENUM -> "." + f.getEnumType().getFullName();
      default -> f.getType().name().toLowerCase(Locale.ROOT);
    };
  }
}
