// A case's message or file as written in the case: literal text with `{{...}}` directives
// that make bytes no editor keeps (`{{x00}}`), dates relative to today (`{{day 3}}`), and
// giant inputs from a few lines (`{{repeat 10000}}...{{end}}`). The grammar is in
// tests/hostile/README.md.
#ifndef MAGENT_TESTS_HOSTILE_MESSAGE_RECIPE_H_
#define MAGENT_TESTS_HOSTILE_MESSAGE_RECIPE_H_

#include <chrono>
#include <optional>
#include <string>

namespace magent::hostile {

struct RecipeOptions {
  bool crlf = true;             // Each line end of the literal text becomes CRLF.
  std::chrono::sys_days today;  // What {{day N}} and {{minute N}} count from.
};

// The bytes `recipe` makes; on a grammar error, nullopt and *error says why.
std::optional<std::string> ExpandRecipe(const std::string& recipe, const RecipeOptions& options,
                                        std::string* error);

}  // namespace magent::hostile

#endif  // MAGENT_TESTS_HOSTILE_MESSAGE_RECIPE_H_
