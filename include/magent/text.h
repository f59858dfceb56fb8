// Text: a sentence for people, in English, that can be translated later.
//
// A Text keeps an English template with positional placeholders ({0}, {1}, ...), an
// optional message id that a translation catalogue looks up, and the arguments. Goals and
// results of events and the reports agents send are Texts, so a monitor can show them in
// the viewer's language while the English stays the reference.
//
// Thread safety: a Text is a value; const methods are safe from several threads.
#ifndef MAGENT_TEXT_H_
#define MAGENT_TEXT_H_

#include <string>
#include <utility>
#include <vector>

namespace magent {

class Text {
 public:
  Text() = default;
  // A plain English sentence with no placeholders and no message id.
  explicit Text(std::string english) : template_(std::move(english)) {}
  // A translatable sentence: `message_id` names it in catalogues; `english_template`
  // uses {0}, {1}, ... for `args`. "{{" stands for a literal brace.
  Text(std::string message_id, std::string english_template, std::vector<std::string> args)
      : message_id_(std::move(message_id)),
        template_(std::move(english_template)),
        args_(std::move(args)) {}

  bool empty() const { return template_.empty(); }
  const std::string& message_id() const { return message_id_; }
  const std::string& english_template() const { return template_; }
  const std::vector<std::string>& args() const { return args_; }

  // The English sentence with the arguments put in. A placeholder without an argument
  // stays as written, so a bad catalogue entry is visible rather than silently empty.
  std::string English() const;
  // Renders `translated_template` (from a catalogue) with this Text's arguments.
  std::string Render(const std::string& translated_template) const;

  friend bool operator==(const Text&, const Text&) = default;

 private:
  std::string message_id_;
  std::string template_;
  std::vector<std::string> args_;
};

}  // namespace magent

#endif  // MAGENT_TEXT_H_
