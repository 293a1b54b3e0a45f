package dev.braid.protoc;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo.Location;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The comments of a .proto file, by element path, rendered as safe javadoc. */
final class Comments {
  /** FileDescriptorProto.service and ServiceDescriptorProto.method field numbers. */
  static final int SERVICE = 6;
  static final int METHOD = 2;

  private final Map<List<Integer>, String> byPath = new HashMap<>();

  Comments(FileDescriptorProto file) {
    for (Location l : file.getSourceCodeInfo().getLocationList()) {
      StringBuilder text = new StringBuilder();
      if (l.hasLeadingComments()) {
        text.append(l.getLeadingComments());
      }
      if (l.hasTrailingComments()) {
        if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
          text.append('\n');
        }
        text.append(l.getTrailingComments());
      }
      if (text.toString().isBlank()) {
        continue;
      }
      byPath.putIfAbsent(List.copyOf(l.getPathList()), text.toString());
    }
  }

  String service(int service) {
    return byPath.get(List.of(SERVICE, service));
  }

  String method(int service, int method) {
    return byPath.get(List.of(SERVICE, service, METHOD, method));
  }

  /**
   * A proto comment as javadoc lines (without the comment markers): HTML-escaped and inside
   * {@code <pre>}, with every character that javac or javadoc would interpret escaped
   * ({@code *}{@code /}, {@code @}, backslashes that could start a Unicode escape).
   */
  static List<String> javadocLines(String comment) {
    List<String> out = new ArrayList<>();
    if (comment == null) {
      return out;
    }
    String[] lines = comment.split("\n", -1);
    int end = lines.length;
    while (end > 0 && lines[end - 1].isBlank()) {
      end--;
    }
    int start = 0;
    while (start < end && lines[start].isBlank()) {
      start++;
    }
    if (start == end) {
      return out;
    }
    int common = Integer.MAX_VALUE;
    for (int i = start; i < end; i++) {
      String l = lines[i];
      if (!l.isBlank()) {
        int n = 0;
        while (n < l.length() && l.charAt(n) == ' ') {
          n++;
        }
        common = Math.min(common, n);
      }
    }
    out.add("<pre>");
    for (int i = start; i < end; i++) {
      String l = stripTrailing(lines[i]);
      out.add(escape(l.length() >= common ? l.substring(common) : l));
    }
    out.add("</pre>");
    return out;
  }

  private static String stripTrailing(String s) {
    int e = s.length();
    while (e > 0 && Character.isWhitespace(s.charAt(e - 1))) {
      e--;
    }
    return s.substring(0, e);
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '@' -> sb.append("&#64;");
        case '\\' -> sb.append("&#92;");
        case '/' -> sb.append(i > 0 && s.charAt(i - 1) == '*' ? "&#47;" : "/");
        case '*' -> sb.append(i + 1 < s.length() && s.charAt(i + 1) == '/' ? "&#42;" : "*");
        case '\r' -> { }
        default -> {
          if (c < 0x20 && c != '\t') {
            sb.append("&#").append((int) c).append(';');
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }
}
