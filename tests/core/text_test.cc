#include "magent/text.h"

#include <gtest/gtest.h>

namespace magent {
namespace {

TEST(TextTest, PlainSentenceIsItsOwnEnglish) {
  Text t("Find a copy under $8.");
  EXPECT_FALSE(t.empty());
  EXPECT_TRUE(t.message_id().empty());
  EXPECT_TRUE(t.args().empty());
  EXPECT_EQ(t.English(), "Find a copy under $8.");
}

TEST(TextTest, DefaultTextIsEmpty) {
  Text t;
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.English(), "");
}

TEST(TextTest, EnglishPutsArgumentsInTheirPlaceholders) {
  Text t("shop.find", "Find {0} under {1}.", {"Java in a Nutshell", "$8"});
  EXPECT_EQ(t.message_id(), "shop.find");
  EXPECT_EQ(t.english_template(), "Find {0} under {1}.");
  EXPECT_EQ(t.English(), "Find Java in a Nutshell under $8.");
}

TEST(TextTest, PlaceholdersMayRepeatAndComeInAnyOrder) {
  Text t("x", "{1}-{0}-{1}", {"a", "b"});
  EXPECT_EQ(t.English(), "b-a-b");
}

TEST(TextTest, PlaceholdersAboveNineUseAllDigits) {
  Text t("x", "{10}/{1}", {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "ten"});
  EXPECT_EQ(t.English(), "ten/1");
}

TEST(TextTest, DoubledBracesAreLiteralBraces) {
  Text t("x", "{{0}} is {0}; }} closes", {"zero"});
  EXPECT_EQ(t.English(), "{0} is zero; } closes");
}

TEST(TextTest, PlaceholderWithoutArgumentStaysVisible) {
  Text t("x", "Hello {0}, you owe {1}.", {"Ann"});
  EXPECT_EQ(t.English(), "Hello Ann, you owe {1}.");
}

TEST(TextTest, MalformedPlaceholdersStayAsWritten) {
  Text t("x", "{} {a} {0 {", {"zero"});
  EXPECT_EQ(t.English(), "{} {a} {0 {");
}

TEST(TextTest, ArgumentsAreNotRescannedForPlaceholders) {
  Text t("x", "{0} {1}", {"{1}", "b"});
  EXPECT_EQ(t.English(), "{1} b");
}

TEST(TextTest, RenderUsesATranslatedTemplateWithTheSameArguments) {
  Text t("shop.find", "Find {0} under {1}.", {"the book", "8 EUR"});
  EXPECT_EQ(t.Render("Trouver {0} pour moins de {1}."), "Trouver the book pour moins de 8 EUR.");
  EXPECT_EQ(t.Render("{1}: {0}"), "8 EUR: the book");
  EXPECT_EQ(t.Render("{2}"), "{2}");
  // English() is unchanged by rendering a translation.
  EXPECT_EQ(t.English(), "Find the book under 8 EUR.");
}

TEST(TextTest, EqualityComparesIdTemplateAndArguments) {
  EXPECT_EQ(Text("a", "{0}", {"x"}), Text("a", "{0}", {"x"}));
  EXPECT_NE(Text("a", "{0}", {"x"}), Text("b", "{0}", {"x"}));
  EXPECT_NE(Text("a", "{0}", {"x"}), Text("a", "{0}", {"y"}));
  EXPECT_NE(Text("a", "{0}", {"x"}), Text("a", "{0}!", {"x"}));
}

}  // namespace
}  // namespace magent
