package dev.braid.protobuf.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link JsonCall#parseRequest} is strict where protobuf's JSON parser is lenient. */
class StrictJsonTest {
  static final String HELLO = "braid.tools.test.Tools/Hello";
  static JsonCall calls;

  @BeforeAll
  static void load() throws Exception {
    System.setProperty(Protoc.PROPERTY, JsonCallTest.protoc().toString());
    calls = JsonCall.fromProtoFiles(List.of(Path.of("src/test/proto").toAbsolutePath()),
        List.of("tools/tools_test.proto"));
  }

  @Test
  void everyJsonFormOfTheMappingStillParses() throws Exception {
    DynamicMessage m = calls.parseRequest(HELLO, "{\"name\":\"a\",\"count\":\"5\",\"at\":"
        + "\"2024-01-02T03:04:05Z\",\"tags\":[\"x\",\"y\"],\"kind\":\"KIND_LOUD\",\"big\":"
        + "\"9007199254740993\",\"any\":{\"@type\":\"type.googleapis.com/braid.tools.test.Resp\","
        + "\"greeting\":\"g\"}}");
    assertThat(JsonCallTest.get(m, "count")).isEqualTo(5);
    assertThat(JsonCallTest.get(m, "big")).isEqualTo(9007199254740993L);
    assertThat(calls.parseRequest(HELLO, " {\"kind\": 1, \"count\": 7, \"name\": null}\n"))
        .isNotNull();
    assertThat(calls.toJson(calls.parseRequest(HELLO, "{\"tags\":[]}"))).isEqualTo("{}");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"name\":5}|field 'name' is a string: expected a JSON string, got the number 5",
      "{\"name\":[\"a\"]}|field 'name' is a string: expected a JSON string, got an array",
      "{\"name\":true}|field 'name' is a string: expected a JSON string, got true",
      "{\"tags\":\"a\"}|field 'tags' is a repeated string (a JSON array), not the string \"a\"",
      "{\"tags\":[\"a\",1]}|field 'tags[1]' is a string: expected a JSON string, got the number 1",
      "{\"kind\":true}|field 'kind' is an enum braid.tools.test.Kind: expected an enum value",
      "{\"count\":{}}|field 'count' is an int32: expected an integer",
      "{\"nope\":1}|unknown field 'nope' in braid.tools.test.Req (its fields: name, count, at,"
          + " tags, kind, big, any)",
      "{} {}|invalid JSON at line 1, column 4: unexpected '{' after the JSON value",
      "{\"name\":\"a\"}x|invalid JSON at line 1, column 13: unexpected 'x' after the JSON value",
      "{/* c */}|invalid JSON at line 1, column 2: expected a field name in double quotes",
      "{'name':'a'}|invalid JSON at line 1, column 2: expected a field name in double quotes",
      "{\"count\":NaN}|invalid JSON at line 1, column 10: expected a JSON value, got 'NaN'",
      "{\"count\":01}|invalid JSON at line 1, column 11: bad number",
      "{\"name\":\"a\",\"name\":\"b\"}|invalid JSON at line 1, column 13: field \"name\" appears twice",
      "{\"name\":\"\uD83D\uDE00\" x}|invalid JSON at line 1, column 13: expected ',' or '}'",
      "[]|the request must be a JSON object ({...}) for braid.tools.test.Req, not an array",
      "|invalid JSON at line 1, column 1: expected a JSON value but the input is empty",
  })
  void rejectsWithTheFieldAndType(String json, String message) {
    assertThatThrownBy(() -> calls.parseRequest(HELLO, json == null ? "" : json))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Exception", "com.google"));
  }

  @Test
  void syntaxErrorsGiveLineAndColumn() {
    assertThatThrownBy(() -> calls.parseRequest(HELLO, "{\n  \"name\": \"a\",\n  \"count\": x\n}"))
        .hasMessage("invalid JSON at line 3, column 12: expected a JSON value, got 'x'");
  }

  @Test
  void valueErrorsFromProtobufCarryNoClassNames() {
    for (String json : List.of("{\"at\":5}", "{\"at\":\"yesterday\"}", "{\"count\":1e20}",
        "{\"count\":\"x\"}", "{\"kind\":\"KIND_NONE\"}", "{\"any\":{\"@type\":\"nope\"}}")) {
      assertThatThrownBy(() -> calls.parseRequest(HELLO, json)).as(json)
          .isInstanceOf(InvalidProtocolBufferException.class)
          .satisfies(e -> assertThat(e.getMessage()).as(json).isNotBlank()
              .doesNotContain("Exception", "com.google.gson"));
    }
  }

  @Test
  void unknownFieldsCanBeAllowedAndNestingIsBounded() throws Exception {
    assertThat(JsonCallTest.get(calls.allowingUnknownFields(true).parseRequest(HELLO,
        "{\"name\":\"n\",\"extra\":{\"deep\":[1,2]}}"), "name")).isEqualTo("n");
    String deep = "{\"tags\":" + "[".repeat(150) + "]".repeat(150) + "}";
    assertThatThrownBy(() -> calls.parseRequest(HELLO, deep))
        .hasMessageContaining("nested deeper than 100 levels");
  }

  @Test
  void classNamesAreStripped() {
    assertThat(JsonCall.withoutClassNames("com.google.gson.JsonSyntaxException: bad thing"))
        .isEqualTo("bad thing");
    assertThat(JsonCall.withoutClassNames("Not an int32 value: 1e20"))
        .isEqualTo("Not an int32 value: 1e20");
  }
}
