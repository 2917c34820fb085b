#include "ledger/bytes.h"

#include <gtest/gtest.h>

namespace joet {
namespace {

TEST(Hex, RoundTripsEveryByteValue) {
  Bytes all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<uint8_t>(i));
  auto back = from_hex(to_hex(all));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, all);
}

TEST(Hex, AcceptsUpperCaseAsInTheBip340Vectors) {
  auto b = from_hex("00FFaB");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, (Bytes{0x00, 0xff, 0xab}));
}

TEST(Hex, RefusesOddLengthAndNonDigitsWithATypedError) {
  EXPECT_EQ(from_hex("abc").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(from_hex("zz").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(hash32_from_hex("00").error().code, ErrorCode::kMalformed);
}

TEST(Base64, DecodesTheRfc4648Examples) {
  EXPECT_EQ(to_string(*from_base64("")), "");
  EXPECT_EQ(to_string(*from_base64("Zg==")), "f");
  EXPECT_EQ(to_string(*from_base64("Zm8=")), "fo");
  EXPECT_EQ(to_string(*from_base64("Zm9v")), "foo");
  EXPECT_EQ(to_string(*from_base64("Zm9vYmFy")), "foobar");
  EXPECT_EQ(to_base64(as_bytes("foob")), "Zm9vYg==");
}

TEST(Base64, RefusesMalformedInput) {
  EXPECT_FALSE(from_base64("Zm9").ok());
  EXPECT_FALSE(from_base64("Z!==").ok());
}

TEST(BigEndian, KeysSortByNumber) {
  Bytes a, b;
  put_u64_be(a, 255);
  put_u64_be(b, 256);
  EXPECT_LT(a, b);
  EXPECT_EQ(get_u64_be(b.data()), 256u);
}

TEST(Decimal, OnlyPlainDigitsThatFit64BitsParse) {
  EXPECT_EQ(parse_decimal_u64("0"), 0u);
  EXPECT_EQ(parse_decimal_u64("1795419617749"), 1795419617749u);
  EXPECT_EQ(parse_decimal_u64("18446744073709551615"), UINT64_MAX);
  for (const char* bad : {"", "-1", "+1", " 1", "1 ", "0x10", "1e3", "18446744073709551616", "123456789012345678901"}) {
    EXPECT_FALSE(parse_decimal_u64(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace joet
