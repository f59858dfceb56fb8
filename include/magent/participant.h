// Activants, Passivants and weighted sources: who and what an event involves.
//
// An Activant is something an agent or event *uses* to do its work (a card, a bank, a
// warehouse). A Passivant is what the work *targets* (the book bought, the address shipped
// to). They are kept in two separate lists everywhere, never merged.
//
// Thread safety: plain values.
#ifndef MAGENT_PARTICIPANT_H_
#define MAGENT_PARTICIPANT_H_

#include <string>

#include "magent/ids.h"

namespace magent {

// Something used by the work.
struct Activant {
  std::string id;     // Stable identifier within the host application, e.g. "card:visa-1".
  std::string kind;   // What sort of thing it is, e.g. "card", "bank", "warehouse".
  std::string label;  // Human-readable name, e.g. "Laurent's Visa card".
  // Private data (a card number, an address): viewers the Sentinel does not admit see
  // it masked (privacy.h). Default: false.
  bool is_private = false;
  friend bool operator==(const Activant&, const Activant&) = default;
};

// Something targeted by the work.
struct Passivant {
  std::string id;           // e.g. "book:isbn-0596007736".
  std::string kind;         // e.g. "book", "address".
  std::string label;        // e.g. "Java in a Nutshell, 5th edition".
  bool is_private = false;  // As Activant::is_private. Default: false.
  friend bool operator==(const Passivant&, const Passivant&) = default;
};

// One source of an event and the weight its approval carries (see the Sentinel).
struct SourceWeight {
  SourceId source;
  double weight = 1.0;  // Default: 1.0.
  friend bool operator==(const SourceWeight&, const SourceWeight&) = default;
};

}  // namespace magent

#endif  // MAGENT_PARTICIPANT_H_
