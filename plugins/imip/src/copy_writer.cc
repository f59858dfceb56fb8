#include "copy_writer.h"

#include <array>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "ical_writing.h"
#include "parsed_calendar.h"

namespace magent::imip::internal {
namespace {

// libical's MAX_LINE_LEN: a folded line's octets, its leading space included.
constexpr std::size_t kMaxLine = 75;

// Where libical's fold_property_line starts the line after the one at `start` of `line`
// (its CRLF included): after the last ';', ':' or ' ' of the first 74 octets, else before
// the last octet that starts a UTF-8 character, else after 74 octets.
std::size_t NextLineStart(std::string_view line, std::size_t start) {
  if (line.size() - start < kMaxLine) return line.size();
  for (std::size_t pos = start + kMaxLine - 2; pos > start; --pos) {
    if (line[pos] == ';' || line[pos] == ':' || line[pos] == ' ') return pos + 1;
  }
  for (std::size_t pos = start + kMaxLine - 1; pos > start; --pos) {
    const auto octet = static_cast<unsigned char>(line[pos]);
    if ((octet & 0x80) == 0 || (octet & 0xC0) == 0xC0) return pos;
  }
  return start + kMaxLine - 1;
}

void AppendFolded(std::string_view line, std::string& out) {
  for (std::size_t start = 0; start < line.size();) {
    const std::size_t next = NextLineStart(line, start);
    if (start != 0) out += "\r\n ";
    out.append(line, start, next - start);
    start = next;
  }
}

// A copied TEXT or X- value as libical escapes it: its property unknown to it, every ';'
// and ',' escaped; a newline as "\n", a tab as is, CR, BS and FF dropped.
void AppendEscaped(const char* text, std::string& out) {
  for (const char* p = text; *p != '\0'; ++p) {
    switch (*p) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
      case '\b':
      case '\f':
        break;
      case ';':
      case ',':
      case '\\':
        out += '\\';
        out += *p;
        break;
      default:
        out += *p;
    }
  }
}

inline void AppendTwoDigits(int n, std::string& out) {
  out += static_cast<char>('0' + n / 10);
  out += static_cast<char>('0' + n % 10);
}

// A DATE-TIME as libical prints it ("%04d%02d%02dT%02d%02d%02d", then Z in UTC); false
// for fields that print wider than that, which libical truncates.
bool AppendDateTime(const icaltimetype& t, std::string& out) {
  const auto two = [](int n) { return n >= 0 && n <= 99; };
  if (t.is_date || t.year < 0 || t.year > 9999 || !two(t.month) || !two(t.day) || !two(t.hour) ||
      !two(t.minute) || !two(t.second)) {
    return false;
  }
  AppendTwoDigits(t.year / 100, out);
  AppendTwoDigits(t.year % 100, out);
  AppendTwoDigits(t.month, out);
  AppendTwoDigits(t.day, out);
  out += 'T';
  AppendTwoDigits(t.hour, out);
  AppendTwoDigits(t.minute, out);
  AppendTwoDigits(t.second, out);
  if (icaltime_is_utc(t)) out += 'Z';
  return true;
}

// The value of `p` as libical writes a copy of it; false where this writer leaves it to
// libical. Only TEXT and X- values depend on whether the value is a copy (see the header);
// the others are libical's own text, or printed as it prints them.
bool AppendValue(icalvalue* value, std::string& out) {
  switch (icalvalue_isa(value)) {
    case ICAL_TEXT_VALUE:
    case ICAL_X_VALUE: {
      const char* text = icalvalue_isa(value) == ICAL_TEXT_VALUE ? icalvalue_get_text(value)
                                                                 : icalvalue_get_x(value);
      if (text == nullptr) return false;
      AppendEscaped(text, out);
      return true;
    }
    case ICAL_DATETIME_VALUE:
      return AppendDateTime(icalvalue_get_datetime(value), out);
    case ICAL_CALADDRESS_VALUE:
    case ICAL_URI_VALUE: {  // Written as they are.
      const char* text = icalvalue_isa(value) == ICAL_URI_VALUE ? icalvalue_get_uri(value)
                                                                : icalvalue_get_caladdress(value);
      if (text == nullptr) return false;
      out += text;
      return true;
    }
    case ICAL_INTEGER_VALUE:  // "%d".
      out += std::to_string(icalvalue_get_integer(value));
      return true;
    case ICAL_STATUS_VALUE:
    case ICAL_TRANSP_VALUE:
    case ICAL_CLASS_VALUE:
      // A copy loses an X- name of these (CLASS:X-INTERNAL is written "CLASS:").
      if (icalvalue_get_x(value) != nullptr) return false;
      [[fallthrough]];
    case ICAL_RECUR_VALUE:
    case ICAL_UTCOFFSET_VALUE:
    case ICAL_DURATION_VALUE:
    case ICAL_REQUESTSTATUS_VALUE: {
      char* text = icalvalue_as_ical_string_r(value);
      if (text == nullptr) return false;
      out += text;
      free(text);
      return true;
    }
    default:
      return false;
  }
}

// The kinds written here (what scheduling objects and their time zones carry), with
// libical's name and default value kind for each, looked up once: libical searches a
// table of every kind for them on every line.
struct KindInfo {
  const char* name = nullptr;  // Null for a kind left to libical.
  icalvalue_kind value = ICAL_NO_VALUE;
};

const KindInfo& Info(icalproperty_kind kind) {
  static const auto table = [] {
    std::array<KindInfo, ICAL_NO_PROPERTY + 1> info;
    for (icalproperty_kind k :
         {ICAL_UID_PROPERTY,
          ICAL_SUMMARY_PROPERTY,
          ICAL_DESCRIPTION_PROPERTY,
          ICAL_LOCATION_PROPERTY,
          ICAL_COMMENT_PROPERTY,
          ICAL_CONTACT_PROPERTY,
          ICAL_CATEGORIES_PROPERTY,
          ICAL_RESOURCES_PROPERTY,
          ICAL_TZID_PROPERTY,
          ICAL_TZNAME_PROPERTY,
          ICAL_DTSTART_PROPERTY,
          ICAL_DTEND_PROPERTY,
          ICAL_DTSTAMP_PROPERTY,
          ICAL_CREATED_PROPERTY,
          ICAL_LASTMODIFIED_PROPERTY,
          ICAL_RECURRENCEID_PROPERTY,
          ICAL_EXDATE_PROPERTY,
          ICAL_SEQUENCE_PROPERTY,
          ICAL_PRIORITY_PROPERTY,
          ICAL_ORGANIZER_PROPERTY,
          ICAL_ATTENDEE_PROPERTY,
          ICAL_URL_PROPERTY,
          ICAL_TZURL_PROPERTY,
          ICAL_RRULE_PROPERTY,
          ICAL_TZOFFSETFROM_PROPERTY,
          ICAL_TZOFFSETTO_PROPERTY,
          ICAL_DURATION_PROPERTY,
          ICAL_STATUS_PROPERTY,
          ICAL_TRANSP_PROPERTY,
          ICAL_CLASS_PROPERTY,
          ICAL_REQUESTSTATUS_PROPERTY,
          ICAL_XLICERROR_PROPERTY,  // libical's note of what it could not read.
          ICAL_X_PROPERTY}) {
      info[k] = {icalproperty_kind_to_string(k), icalproperty_kind_to_value_kind(k)};
    }
    return info;
  }();
  static const KindInfo kNone;
  return kind >= 0 && kind <= ICAL_NO_PROPERTY ? table[kind] : kNone;
}

// Appends the content line of `p`, unfolded, CRLF included; false (with some of it
// appended) where libical must write it. libical writes NAME, a VALUE parameter first
// when the value is not of the property's default kind (never here: no VALUE parameter,
// default kind only), the other parameters in order, ':' and the value.
bool AppendContentLine(icalproperty* p, std::string& out) {
  const icalproperty_kind kind = icalproperty_isa(p);
  const KindInfo& info = Info(kind);
  icalvalue* value = icalproperty_get_value(p);
  if (info.name == nullptr || value == nullptr || icalvalue_isa(value) != info.value ||
      icalproperty_get_first_parameter(p, ICAL_VALUE_PARAMETER) != nullptr) {
    return false;
  }
  const char* name = kind == ICAL_X_PROPERTY ? icalproperty_get_x_name(p) : info.name;
  if (name == nullptr) return false;
  out += name;
  for (icalparameter* param = icalproperty_get_first_parameter(p, ICAL_ANY_PARAMETER);
       param != nullptr; param = icalproperty_get_next_parameter(p, ICAL_ANY_PARAMETER)) {
    char* text = icalparameter_as_ical_string_r(param);
    if (text == nullptr) return false;
    out += ';';
    out += text;
    free(text);
  }
  out += ':';
  if (!AppendValue(value, out)) return false;
  out += "\r\n";
  return true;
}

struct PropertyFree {
  void operator()(icalproperty* p) const { icalproperty_free(p); }
};

}  // namespace

void AppendPropertyAsCopy(icalproperty* p, std::string& out) {
  const std::size_t start = out.size();
  if (!AppendContentLine(p, out)) {
    out.resize(start);
    out += AsString(std::unique_ptr<icalproperty, PropertyFree>(icalproperty_new_clone(p)).get());
  } else if (out.size() - start >= kMaxLine) {  // Most lines need no folding.
    const std::string line = out.substr(start);
    out.resize(start);
    AppendFolded(line, out);
  }
}

void AppendComponentAsCopy(icalcomponent* c, std::string& out) {
  const icalcomponent_kind kind = icalcomponent_isa(c);
  if (kind != ICAL_VTIMEZONE_COMPONENT && kind != ICAL_XSTANDARD_COMPONENT &&
      kind != ICAL_XDAYLIGHT_COMPONENT) {
    out += AsString(ComponentPtr(icalcomponent_new_clone(c)).get());
    return;
  }
  const std::string_view name = icalcomponent_kind_to_string(kind);
  out.append("BEGIN:").append(name).append("\r\n");
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
    AppendPropertyAsCopy(p, out);
  }
  for (icalcomponent* sub = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
       sub != nullptr; sub = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT)) {
    AppendComponentAsCopy(sub, out);
  }
  out.append("END:").append(name).append("\r\n");
}

}  // namespace magent::imip::internal
