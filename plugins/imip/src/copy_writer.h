// Writes parts of a parsed calendar exactly as libical writes a copy of them
// (icalproperty_new_clone or icalcomponent_new_clone, then *_as_ical_string_r), without
// making the copy and with less of libical's per-line work: a whole event's REPLY writes
// most of the request's lines, so this is most of what building one costs.
//
// Why "a copy": libical writes a parsed TEXT or X- value's ';' and ',' unescaped when the
// value's property is a CATEGORIES, RESOURCES or X- property (the parsed value knows its
// property; a copied value does not, so its escapes stay). The copy's text is the correct
// one, and the one these functions write. (A copy also loses the X- name of a STATUS,
// TRANSP or CLASS value; such lines are left to a libical copy, so they stay as they were.)
//
// Thread-safety: like libical's writers, safe on distinct calendars from distinct threads.
#ifndef MAGENT_IMIP_COPY_WRITER_H_
#define MAGENT_IMIP_COPY_WRITER_H_

#include <libical/ical.h>

#include <string>

namespace magent::imip::internal {

// Appends `p` as libical writes a copy of it, content line folded, CRLF included.
// Kinds and values it does not write itself go through a libical copy.
void AppendPropertyAsCopy(icalproperty* p, std::string& out);

// Appends `c` (its properties, then its components) as libical writes a copy of it.
void AppendComponentAsCopy(icalcomponent* c, std::string& out);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_COPY_WRITER_H_
