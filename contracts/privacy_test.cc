#include "contracts/privacy.h"

#include <string>

#include <gtest/gtest.h>

namespace joet {
namespace {

TEST(Privacy, ElfproefAcceptsNineDigitsWhoseWeightedSumIsDivisibleByEleven) {
  // 1*9+1*8+1*7+2*6+2*5+2*4+3*3+3*2 - 3 = 66 = 6 * 11.
  EXPECT_TRUE(passes_bsn_elfproef("111222333"));
  // 1*9+2*8+3*7+4*6+5*5+6*4+7*3+8*2 - 2 = 154 = 14 * 11.
  EXPECT_TRUE(passes_bsn_elfproef("123456782"));
}

TEST(Privacy, ElfproefRejectsOtherNumbersAndShapes) {
  EXPECT_FALSE(passes_bsn_elfproef("123456789"));  // 156 - 9 = 147 = 13 * 11 + 4
  EXPECT_FALSE(passes_bsn_elfproef("11122233"));   // 8 digits
  EXPECT_FALSE(passes_bsn_elfproef("1112223334"));
  EXPECT_FALSE(passes_bsn_elfproef("11122233a"));
}

TEST(Privacy, CodesAreShortAndFromTheAllowedCharacters) {
  EXPECT_TRUE(is_allowed_code("case-001"));
  EXPECT_TRUE(is_allowed_code("2026-03-15"));
  EXPECT_TRUE(is_allowed_code("A.b_c:d-9"));
  EXPECT_TRUE(is_allowed_code(std::string(64, 'x')));
  EXPECT_FALSE(is_allowed_code(std::string(65, 'x')));
  EXPECT_FALSE(is_allowed_code(""));
  EXPECT_FALSE(is_allowed_code("Jan Jansen"));
  EXPECT_FALSE(is_allowed_code("a/b"));
  EXPECT_FALSE(is_allowed_code("caf\xc3\xa9"));
  EXPECT_FALSE(is_allowed_code("111222333"));
  EXPECT_TRUE(is_allowed_code("123456789"));  // nine digits that are no BSN
}

TEST(Privacy, ABsnEmbeddedAnywhereInACodeIsFound) {
  EXPECT_TRUE(contains_bsn_like_run("c123456782"));    // behind a prefix (issue 11: accepted by version 1)
  EXPECT_TRUE(contains_bsn_like_run("123456782-x"));   // in front of a suffix
  EXPECT_TRUE(contains_bsn_like_run("x:111222333:y"));  // in the middle
  EXPECT_TRUE(contains_bsn_like_run("0123456782"));    // the last 9 of a longer run
  EXPECT_TRUE(contains_bsn_like_run("1234567820"));    // the first 9 of a longer run
  EXPECT_FALSE(contains_bsn_like_run("c123456789"));   // 9 digits that fail the elfproef
  EXPECT_FALSE(contains_bsn_like_run("12345678-2"));   // digits split by a separator are no run
  EXPECT_FALSE(contains_bsn_like_run("case-001"));
  EXPECT_FALSE(contains_bsn_like_run(""));
}

TEST(Privacy, VersionOneCodesMayHideABsnAndVersionTwoCodesMayNot) {
  EXPECT_TRUE(is_allowed_code("c123456782"));
  EXPECT_FALSE(is_code_without_bsn("c123456782"));
  EXPECT_FALSE(is_code_without_bsn("111222333"));
  EXPECT_FALSE(is_code_without_bsn("a/b"));
  EXPECT_TRUE(is_code_without_bsn("case-001"));
  EXPECT_TRUE(is_code_without_bsn("c123456789"));
}

}  // namespace
}  // namespace joet
