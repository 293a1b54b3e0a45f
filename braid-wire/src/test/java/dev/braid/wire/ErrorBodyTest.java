package dev.braid.wire;

import static dev.braid.wire.TestBytes.hex;
import static dev.braid.wire.TestBytes.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrorBodyTest {
  @Test
  void upstreamTestErrorRoundTrip() {
    ErrorBody e = ErrorBody.decode(ErrorBody.encode(5, "test"));
    assertThat(e.code()).isEqualTo(5);
    assertThat(e.message()).isEqualTo("test");
  }

  @Test
  void layoutIsEightByteBigEndianCodeThenText() {
    byte[] body = ErrorBody.encode(0x0102030405060708L, "x");
    assertThat(body).isEqualTo(hex("01 02 03 04 05 06 07 08 78"));
  }

  @Test
  void codeWithTheHighBitSetRoundTripsAsUnsigned() {
    long code = 0x8000_0000_0000_0001L;
    byte[] body = ErrorBody.encode(code, "big");
    assertThat(Arrays.copyOf(body, 8)).isEqualTo(hex("80 00 00 00 00 00 00 01"));
    ErrorBody e = ErrorBody.decode(body);
    assertThat(e.code()).isEqualTo(code);
    assertThat(Long.toUnsignedString(e.code())).isEqualTo("9223372036854775809");

    assertThat(ErrorBody.decode(ErrorBody.encode(-1L, "")).code()).isEqualTo(-1L);
  }

  @Test
  void codeZeroMeansNoCode() {
    ErrorBody e = ErrorBody.decode(ErrorBody.encode(0, "plain"));
    assertThat(e).isEqualTo(new ErrorBody(0, "plain"));
  }

  @Test
  void bodyShorterThanEightBytesIsTextWithTheInvalidNoteAndCodeZero() {
    ErrorBody e = ErrorBody.decode(utf8("oops"));
    assertThat(e.code()).isZero();
    assertThat(e.message()).isEqualTo("oops (drpcwire note: invalid error data)");
    assertThat(ErrorBody.INVALID_NOTE).isEqualTo(" (drpcwire note: invalid error data)");

    for (int n = 0; n < 8; n++) {
      byte[] body = new byte[n];
      Arrays.fill(body, (byte) 'a');
      ErrorBody d = ErrorBody.decode(body);
      assertThat(d.code()).as("%d bytes", n).isZero();
      assertThat(d.message()).isEqualTo("a".repeat(n) + ErrorBody.INVALID_NOTE);
    }
  }

  @Test
  void exactlyEightBytesIsACodeWithEmptyText() {
    ErrorBody e = ErrorBody.decode(hex("00 00 00 00 00 00 00 07"));
    assertThat(e).isEqualTo(new ErrorBody(7, ""));
  }

  @Test
  void nonAsciiTextRoundTrips() {
    String text = "échec — 失敗 🚫";
    byte[] body = ErrorBody.encode(3, text);
    assertThat(body).hasSize(8 + utf8(text).length);
    assertThat(ErrorBody.decode(body)).isEqualTo(new ErrorBody(3, text));
  }

  @Test
  void invalidUtf8TextDecodesWithoutThrowing() {
    byte[] body = hex("00 00 00 00 00 00 00 01 ff fe c3");
    ErrorBody e = ErrorBody.decode(body);
    assertThat(e.code()).isEqualTo(1);
    assertThat(e.message()).isNotNull();
  }

  @Test
  void nullMessageIsRejected() {
    assertThatThrownBy(() -> new ErrorBody(1, null)).isInstanceOf(NullPointerException.class);
  }
}
