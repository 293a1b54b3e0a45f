package dev.braid.protoc;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Java names protoc's {@code java_out} gives to the types of a set of .proto files, so the
 * generated stubs can refer to the message classes: Java package ({@code java_package}, else
 * the proto package), outer class ({@code java_outer_classname}, else the file name in
 * CamelCase, with {@code OuterClass} appended when a type of the file has that name) and
 * nesting ({@code java_multiple_files}).
 */
final class JavaNames {
  static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte",
      "case", "catch", "char", "class", "const", "continue", "default", "do", "double", "else",
      "enum", "extends", "final", "finally", "float", "for", "goto", "if", "implements",
      "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
      "protected", "public", "return", "short", "static", "strictfp", "super", "switch",
      "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while",
      "true", "false", "null", "_", "var", "yield", "record", "sealed", "permits",
      "non-sealed");

  /** Proto full name with a leading dot (".pkg.Outer.Inner") to the Java class name. */
  private final Map<String, String> messageClasses = new HashMap<>();
  /** Proto full names of messages defined in files that use the lite runtime. */
  private final Set<String> liteTypes = new HashSet<>();
  /** Proto full names of messages and enums marked deprecated. */
  private final Set<String> deprecatedTypes = new HashSet<>();
  /** Java package to the top-level class names protoc's java_out puts there. */
  private final Map<String, Set<String>> topLevelClasses = new HashMap<>();
  private final Map<String, FileDescriptorProto> files = new HashMap<>();

  JavaNames(List<FileDescriptorProto> allFiles) {
    for (FileDescriptorProto f : allFiles) {
      files.put(f.getName(), f);
      String pkg = javaPackage(f);
      String outer = outerClassName(f);
      boolean multiple = f.getOptions().getJavaMultipleFiles();
      Set<String> top = topLevelClasses.computeIfAbsent(pkg, k -> new HashSet<>());
      top.add(outer);
      String protoPrefix = f.getPackage().isEmpty() ? "." : "." + f.getPackage() + ".";
      String javaPrefix = pkg.isEmpty() ? "" : pkg + ".";
      if (!multiple) {
        javaPrefix += outer + ".";
      }
      for (DescriptorProto m : f.getMessageTypeList()) {
        if (multiple) {
          top.add(m.getName());
        }
        index(m, protoPrefix, javaPrefix, isLite(f));
      }
      for (EnumDescriptorProto e : f.getEnumTypeList()) {
        if (multiple) {
          top.add(e.getName());
        }
      }
    }
  }

  private void index(DescriptorProto m, String protoPrefix, String javaPrefix, boolean lite) {
    String protoName = protoPrefix + m.getName();
    String javaName = javaPrefix + m.getName();
    messageClasses.put(protoName, javaName);
    if (lite) {
      liteTypes.add(protoName);
    }
    if (m.getOptions().getDeprecated()) {
      deprecatedTypes.add(protoName);
    }
    for (DescriptorProto n : m.getNestedTypeList()) {
      index(n, protoName + ".", javaName + ".", lite);
    }
  }

  /** The Java class of the message with the proto full name {@code protoType}. */
  String messageClass(String protoType) {
    String name = protoType.startsWith(".") ? protoType : "." + protoType;
    String c = messageClasses.get(name);
    if (c == null) {
      throw new IllegalArgumentException("unknown message type " + protoType);
    }
    return c;
  }

  boolean isDeprecated(String protoType) {
    return deprecatedTypes.contains(protoType.startsWith(".") ? protoType : "." + protoType);
  }

  /** Whether the message {@code protoType} is generated for the lite runtime. */
  boolean isLiteType(String protoType) {
    return liteTypes.contains(protoType.startsWith(".") ? protoType : "." + protoType);
  }

  private static boolean isLite(FileDescriptorProto file) {
    return file.getOptions().getOptimizeFor()
        == com.google.protobuf.DescriptorProtos.FileOptions.OptimizeMode.LITE_RUNTIME;
  }

  /** The top-level Java class names protoc's java_out writes into {@code javaPackage}. */
  Set<String> topLevelClasses(String javaPackage) {
    return topLevelClasses.computeIfAbsent(javaPackage, k -> new HashSet<>());
  }

  static String javaPackage(FileDescriptorProto f) {
    if (f.getOptions().hasJavaPackage()) {
      return f.getOptions().getJavaPackage();
    }
    return f.getPackage();
  }

  static String outerClassName(FileDescriptorProto f) {
    if (f.getOptions().hasJavaOuterClassname()) {
      return f.getOptions().getJavaOuterClassname();
    }
    String base = f.getName();
    int slash = base.lastIndexOf('/');
    if (slash >= 0) {
      base = base.substring(slash + 1);
    }
    if (base.endsWith(".protodevel")) {
      base = base.substring(0, base.length() - ".protodevel".length());
    } else if (base.endsWith(".proto")) {
      base = base.substring(0, base.length() - ".proto".length());
    }
    String name = camelCase(base, true);
    if (typeNamed(f, name)) {
      name += "OuterClass";
    }
    return name;
  }

  private static boolean typeNamed(FileDescriptorProto f, String name) {
    for (EnumDescriptorProto e : f.getEnumTypeList()) {
      if (e.getName().equals(name)) {
        return true;
      }
    }
    for (ServiceDescriptorProto s : f.getServiceList()) {
      if (s.getName().equals(name)) {
        return true;
      }
    }
    for (DescriptorProto m : f.getMessageTypeList()) {
      if (messageNamed(m, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean messageNamed(DescriptorProto m, String name) {
    if (m.getName().equals(name)) {
      return true;
    }
    for (DescriptorProto n : m.getNestedTypeList()) {
      if (messageNamed(n, name)) {
        return true;
      }
    }
    for (EnumDescriptorProto e : m.getEnumTypeList()) {
      if (e.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * protobuf's underscores-to-CamelCase: letters after a digit, an underscore or any other
   * non-alphanumeric character are capitalized and the separators dropped; the first letter
   * is upper-cased if {@code capitalizeFirst}, else lower-cased.
   */
  static String camelCase(String input, boolean capitalizeFirst) {
    StringBuilder sb = new StringBuilder(input.length());
    boolean capNext = capitalizeFirst;
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c >= 'a' && c <= 'z') {
        sb.append(capNext ? Character.toUpperCase(c) : c);
        capNext = false;
      } else if (c >= 'A' && c <= 'Z') {
        sb.append(i == 0 && !capNext ? Character.toLowerCase(c) : c);
        capNext = false;
      } else if (c >= '0' && c <= '9') {
        sb.append(c);
        capNext = true;
      } else {
        capNext = true;
      }
    }
    return sb.toString();
  }

  /** {@code sayHello} to {@code SAY_HELLO}; a trailing {@code _} is kept. */
  static String upperSnake(String lowerCamel) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lowerCamel.length(); i++) {
      char c = lowerCamel.charAt(i);
      if (Character.isUpperCase(c) && i > 0) {
        sb.append('_');
      }
      sb.append(Character.toUpperCase(c));
    }
    return sb.toString().toUpperCase(Locale.ROOT);
  }

  /** The first segment of a qualified name: {@code com} for {@code com.example.Foo}. */
  static String firstSegment(String qualified) {
    int dot = qualified.indexOf('.');
    return dot < 0 ? qualified : qualified.substring(0, dot);
  }

  FileDescriptorProto file(String name) {
    return files.get(name);
  }
}
