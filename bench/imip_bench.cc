// magent_bench_imip: what a resource's decision costs beyond reading the message.
//
// BM_ParseOnly reads each message (GMime) and its calendar (libical) and does nothing
// else: the baseline. BM_ResourceDecide does what imip_resource does for the same
// messages: reads them, decides against a resource that holds 10,000 booked events (a
// year of them, so most requests conflict), builds and renders the reply, and commits the
// store. Args: sync 1 = commits synced to disk (as deployed), 0 = not synced; clients
// 1 = messages shaped as real clients send them, 0 = bare ones (see Messages below).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "magent/imip/itip.h"
#include "magent/imip/mail.h"
#include "magent/imip/reply.h"
#include "magent/imip/resource.h"
#include "magent/imip/store.h"

namespace {

using namespace magent;
using namespace magent::imip;
using namespace std::chrono;

const UtcTime kNow = sys_days{year{2026} / 1 / 1};
constexpr int kBooked = 10'000;
constexpr int kMessages = 2'000;

// --- What the messages look like ---------------------------------------------------
//
// Two sets, chosen by the benchmarks' `clients` argument:
// 0: a bare request (multipart/alternative: a line of text and a short calendar, no
//    time zone, no description): the least a message can carry, so parsing is cheapest
//    and the decision's fixed costs weigh most.
// 1: requests shaped like those the clients of the interop corpus send, in turn:
//    Google Calendar (text, HTML and the calendar inline, the same calendar again as
//    invite.ics, base64), Outlook/Exchange (text and HTML, a base64 calendar with a
//    Windows time zone and Microsoft's properties) and Thunderbird (text, the calendar with
//    an Olson VTIMEZONE, and invite.ics). Written for this benchmark, not copied: each
//    carries what its client always sends (parts, encodings, the properties it adds), with
//    descriptions and HTML of typical length.

std::string Stamp(UtcTime t, bool utc = true) {
  const auto secs = floor<seconds>(t);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss hms{secs - day};
  char out[64];  // -Wformat-truncation reckons with any int year.
  std::snprintf(out, sizeof out, "%04d%02u%02uT%02ld%02ld00%s", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()), utc ? "Z" : "");
  return out;
}

// RFC 5545 folding: content lines of at most 75 octets, continued after CRLF and a space.
std::string Fold(const std::string& line) {
  std::string out;
  for (std::size_t at = 0; at < line.size(); at += at == 0 ? 75 : 74) {
    if (at > 0) out += "\r\n ";
    out += line.substr(at, at == 0 ? 75 : 74);
  }
  return out + "\r\n";
}

std::string Base64(const std::string& in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t column = 0;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    std::uint32_t n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[n & 63] : '=';
    if ((column += 4) == 76) {
      out += "\r\n";
      column = 0;
    }
  }
  return out + "\r\n";
}

// Quoted-printable as mailers write it: CRLF line breaks kept, '=' and non-ASCII bytes
// escaped, soft line breaks before 76 characters.
std::string QuotedPrintable(const std::string& in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size() + in.size() / 8);
  std::size_t column = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == '\r' && i + 1 < in.size() && in[i + 1] == '\n') {
      out += "\r\n";
      column = 0;
      ++i;
      continue;
    }
    const bool escaped = c == '=' || c >= 127 || (c < 32 && c != '\t');
    const std::size_t width = escaped ? 3 : 1;
    if (column + width > 75) {
      out += "=\r\n";
      column = 0;
    }
    if (escaped) {
      out += '=';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
    column += width;
  }
  return out + "\r\n";
}

struct Request {
  std::string uid;
  int number;
  UtcTime start;
};

const std::string kDescription =
    "Quarterly planning for the room bookings of the second floor. Agenda: 1. what was "
    "booked and not used\\, 2. the projector in room 1\\, 3. cleaning times\\, 4. any other "
    "business. Please bring the figures of your team. Join online: "
    "https://meet.example.com/abc-defg-hij\\nOr dial in: +49 30 1234567 PIN 987654#"
    "\\n\\nInvitation from the calendar of Alice Example. You are receiving this because "
    "you are an attendee of the event. Forwarding this invitation could allow any "
    "recipient to send a response to the organizer and be added to the guest list.";

std::string HtmlBody(const std::string& summary) {
  std::string html =
      "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">"
      "<style>p.MsoNormal,li.MsoNormal,div.MsoNormal{margin:0cm;font-size:11.0pt;"
      "font-family:\"Calibri\",sans-serif;}a:link{color:#0563C1;text-decoration:underline;}"
      "</style></head>\r\n<body lang=\"EN-US\" link=\"#0563C1\">\r\n"
      "<div itemscope itemtype=\"http://schema.org/Event\"><meta itemprop=\"eventStatus\" "
      "content=\"http://schema.org/EventScheduled\"/>\r\n<h2 class=\"summary\" "
      "style=\"font-family:Roboto,Helvetica,Arial,sans-serif;font-size:20px;color:#3c4043\">" +
      summary + "</h2>\r\n";
  for (int row = 0; row < 24; ++row) {
    html +=
        "<tr><td style=\"padding:0 8px 4px 0;color:#70757a;font-size:14px;line-height:20px\">"
        "Row " +
        std::to_string(row) +
        "</td><td style=\"font-family:Roboto,Helvetica,Arial,sans-serif;font-size:14px;"
        "color:#3c4043\"><a href=\"https://calendar.example.com/event?action=VIEW&amp;eid=" +
        std::to_string(row * 7919) + "\">Quarterly planning of the room bookings</a></td></tr>\r\n";
  }
  return html + "</div></body></html>\r\n";
}

std::string PlainBody(const std::string& summary) {
  return "You have been invited to the following event.\r\n\r\nTitle: " + summary +
         "\r\nWhen: see the attached invitation\r\nJoin online: https://meet.example.com/"
         "abc-defg-hij\r\nCalendar: room1@example.com\r\nWho:\r\n    * Alice Example - organizer"
         "\r\n    * Bob Example\r\n    * Room 1\r\n\r\nInvitation from the calendar of Alice "
         "Example.\r\nYou are receiving this because you are an attendee of the event.\r\n";
}

std::string Headers(const Request& r, const std::string& content_type) {
  return "From: Alice Example <alice@example.com>\r\nTo: Room 1 <room1@example.com>, Bob "
         "Example <bob@example.com>\r\nSubject: Invitation: Meeting " +
         std::to_string(r.number) + "\r\nDate: Mon, 1 Dec 2025 07:00:00 +0000\r\nMessage-ID: <" +
         r.uid + ">\r\nMIME-Version: 1.0\r\nContent-Type: " + content_type + "\r\n\r\n";
}

std::string Minimal(const Request& r) {
  return Headers(r, "multipart/alternative; boundary=b") +
         "--b\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nYou are invited.\r\n"
         "--b\r\nContent-Type: text/calendar; method=REQUEST; charset=UTF-8\r\n"
         "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
         QuotedPrintable(
             "BEGIN:VCALENDAR\r\nPRODID:-//bench//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
             "BEGIN:VEVENT\r\nUID:" +
             r.uid + "\r\nDTSTAMP:20251201T070000Z\r\nDTSTART:" + Stamp(r.start) + "\r\nDTEND:" +
             Stamp(r.start + hours(1)) + "\r\nSUMMARY:Meeting " + std::to_string(r.number) +
             "\r\nORGANIZER;CN=Alice:mailto:alice@example.com\r\n"
             "ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com\r\n"
             "ATTENDEE;CUTYPE=ROOM;RSVP=TRUE:mailto:room1@example.com\r\n"
             "END:VEVENT\r\nEND:VCALENDAR") +
         "--b--\r\n";
}

std::string Google(const Request& r) {
  const std::string summary = "Meeting " + std::to_string(r.number);
  const std::string calendar =
      "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\n"
      "CALSCALE:GREGORIAN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nDTSTART:" +
      Stamp(r.start) + "\r\nDTEND:" + Stamp(r.start + hours(1)) +
      "\r\nDTSTAMP:20251201T070000Z\r\nORGANIZER;CN=Alice Example:mailto:alice@example.com\r\n"
      "UID:" +
      r.uid + "\r\n" +
      Fold(
          "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=TRUE;CN=Alice "
          "Example;X-NUM-GUESTS=0:mailto:alice@example.com") +
      Fold(
          "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;"
          "CN=Bob Example;X-NUM-GUESTS=0:mailto:bob@example.com") +
      Fold(
          "ATTENDEE;CUTYPE=RESOURCE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;"
          "CN=Room 1;X-NUM-GUESTS=0:mailto:room1@example.com") +
      "X-MICROSOFT-CDO-OWNERAPPTID:-410050292\r\nCREATED:20251201T070000Z\r\n" +
      Fold("DESCRIPTION:" + kDescription) +
      "LAST-MODIFIED:20251201T070000Z\r\nLOCATION:Room 1\r\nSEQUENCE:0\r\n"
      "STATUS:CONFIRMED\r\nSUMMARY:" +
      summary +
      "\r\nTRANSP:OPAQUE\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:This is an event "
      "reminder\r\nTRIGGER:-P0DT0H10M0S\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  return Headers(r, "multipart/mixed; boundary=\"000000000000m\"") +
         "--000000000000m\r\nContent-Type: multipart/alternative; boundary=\"000000000000a\"\r\n"
         "\r\n--000000000000a\r\nContent-Type: text/plain; charset=\"UTF-8\"; format=flowed; "
         "delsp=yes\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
         Base64(PlainBody(summary)) +
         "--000000000000a\r\nContent-Type: text/html; charset=\"UTF-8\"\r\n"
         "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
         QuotedPrintable(HtmlBody(summary)) +
         "--000000000000a\r\nContent-Type: text/calendar; charset=\"UTF-8\"; method=REQUEST\r\n"
         "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
         QuotedPrintable(calendar) +
         "--000000000000a--\r\n--000000000000m\r\nContent-Type: application/ics; "
         "name=\"invite.ics\"\r\nContent-Disposition: attachment; filename=\"invite.ics\"\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         Base64(calendar) + "--000000000000m--\r\n";
}

const std::string kWindowsZone =
    "BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nBEGIN:STANDARD\r\n"
    "DTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\n"
    "DTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";

// Local wall times: the UTC slot's digits read in the zone, which keeps the same spread of
// slots over the year.
std::string Outlook(const Request& r) {
  const std::string summary = "Meeting " + std::to_string(r.number);
  const std::string zone = "W. Europe Standard Time";
  const std::string calendar =
      "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nPRODID:Microsoft Exchange Server 2010\r\n"
      "VERSION:2.0\r\n" +
      kWindowsZone + "BEGIN:VEVENT\r\nORGANIZER;CN=Alice Example:mailto:alice@example.com\r\n" +
      Fold(
          "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Bob Example:"
          "mailto:bob@example.com") +
      Fold(
          "ATTENDEE;CUTYPE=RESOURCE;ROLE=NON-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;"
          "CN=Room 1:mailto:room1@example.com") +
      Fold("DESCRIPTION;LANGUAGE=en-US:" + kDescription) + "UID:" + r.uid + "\r\n" +
      "SUMMARY;LANGUAGE=en-US:" + summary + "\r\nDTSTART;TZID=" + zone + ":" +
      Stamp(r.start, false) + "\r\nDTEND;TZID=" + zone + ":" + Stamp(r.start + hours(1), false) +
      "\r\nCLASS:PUBLIC\r\nPRIORITY:5\r\nDTSTAMP:20251201T070000Z\r\nTRANSP:OPAQUE\r\n"
      "STATUS:CONFIRMED\r\nSEQUENCE:0\r\nLOCATION;LANGUAGE=en-US:Room 1\r\n"
      "X-MICROSOFT-CDO-APPT-SEQUENCE:0\r\nX-MICROSOFT-CDO-OWNERAPPTID:2121141592\r\n"
      "X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE\r\nX-MICROSOFT-CDO-INTENDEDSTATUS:BUSY\r\n"
      "X-MICROSOFT-CDO-ALLDAYEVENT:FALSE\r\nX-MICROSOFT-CDO-IMPORTANCE:1\r\n"
      "X-MICROSOFT-CDO-INSTTYPE:0\r\nX-MICROSOFT-DONOTFORWARDMEETING:FALSE\r\n"
      "X-MICROSOFT-DISALLOW-COUNTER:FALSE\r\nX-MICROSOFT-LOCATIONS:[{\"DisplayName\":\"Room 1\","
      "\"LocationAnnotation\":\"\",\"LocationUri\":\"room1@example.com\"}]\r\n"
      "BEGIN:VALARM\r\nDESCRIPTION:REMINDER\r\nTRIGGER;RELATED=START:-PT15M\r\n"
      "ACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  return Headers(r, "multipart/alternative;\r\n\tboundary=\"_000_HE1P190MB0540EURP_\"") +
         "--_000_HE1P190MB0540EURP_\r\nContent-Type: text/plain; charset=\"us-ascii\"\r\n"
         "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
         QuotedPrintable(PlainBody(summary)) +
         "--_000_HE1P190MB0540EURP_\r\nContent-Type: text/html; charset=\"us-ascii\"\r\n"
         "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
         QuotedPrintable(HtmlBody(summary)) +
         "--_000_HE1P190MB0540EURP_\r\nContent-Type: text/calendar; charset=\"utf-8\"; "
         "method=REQUEST\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
         Base64(calendar) + "--_000_HE1P190MB0540EURP_--\r\n";
}

const std::string kOlsonZone =
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nX-LIC-LOCATION:Europe/Berlin\r\n"
    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n"
    "END:VTIMEZONE\r\n";

std::string Thunderbird(const Request& r) {
  const std::string summary = "Meeting " + std::to_string(r.number);
  const std::string calendar =
      "BEGIN:VCALENDAR\r\nPRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r\n"
      "VERSION:2.0\r\nMETHOD:REQUEST\r\n" +
      kOlsonZone +
      "BEGIN:VEVENT\r\nCREATED:20251201T065900Z\r\nLAST-MODIFIED:20251201T070000Z\r\n"
      "DTSTAMP:20251201T070000Z\r\nUID:" +
      r.uid + "\r\nSUMMARY:" + summary + "\r\n" +
      Fold(
          "ORGANIZER;RSVP=FALSE;CN=Alice Example;PARTSTAT=ACCEPTED;ROLE=CHAIR:"
          "mailto:alice@example.com") +
      Fold(
          "ATTENDEE;RSVP=TRUE;CN=Bob Example;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT:"
          "mailto:bob@example.com") +
      Fold(
          "ATTENDEE;RSVP=TRUE;CN=Room 1;PARTSTAT=NEEDS-ACTION;CUTYPE=ROOM;"
          "ROLE=NON-PARTICIPANT:mailto:room1@example.com") +
      "DTSTART;TZID=Europe/Berlin:" + Stamp(r.start, false) +
      "\r\nDTEND;TZID=Europe/Berlin:" + Stamp(r.start + hours(1), false) + "\r\n" +
      Fold("DESCRIPTION:" + kDescription) +
      "LOCATION:Room 1\r\nSEQUENCE:0\r\nTRANSP:OPAQUE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  return Headers(r, "multipart/mixed; boundary=\"------------t8nYc\"") +
         "This is a multi-part message in MIME format.\r\n--------------t8nYc\r\n"
         "Content-Type: text/plain; charset=UTF-8; format=flowed\r\n"
         "Content-Transfer-Encoding: 8bit\r\n\r\n" +
         PlainBody(summary) +
         "--------------t8nYc\r\nContent-Type: text/calendar; charset=UTF-8; "
         "method=REQUEST\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
         calendar +
         "--------------t8nYc\r\nContent-Type: application/ics; name=\"invite.ics\"\r\n"
         "Content-Disposition: attachment; filename=\"invite.ics\"\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         Base64(calendar) + "--------------t8nYc--\r\n";
}

// `count` requests for one hour at a random half-hour of the year ahead: bare ones
// (clients = false), or the three clients' shapes in turn.
std::vector<std::string> Messages(int count, std::uint32_t seed, const std::string& prefix,
                                  bool clients) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> slot(0, 365 * 48 - 2);
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    const Request r{.uid = prefix + std::to_string(i) + "@example.com",
                    .number = i,
                    .start = kNow + minutes(30) * slot(random)};
    if (!clients) {
      out.push_back(Minimal(r));
    } else if (i % 3 == 0) {
      out.push_back(Google(r));
    } else if (i % 3 == 1) {
      out.push_back(Outlook(r));
    } else {
      out.push_back(Thunderbird(r));
    }
  }
  return out;
}

class TempStore {
 public:
  explicit TempStore(bool sync) {
    std::string pattern = (std::filesystem::temp_directory_path() / "magent-bench-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
    store_ = OpenLevelDbStore({.path = path_ + "/store", .sync = sync}).value();
    // 10,000 booked hours spread over the year.
    auto session = store_->Open("room1@example.com", seconds(1)).value();
    std::mt19937 random(7);
    std::uniform_int_distribution<int> slot(0, 365 * 48 - 2);
    for (int i = 0; i < kBooked; ++i) {
      const UtcTime start = kNow + minutes(30) * slot(random);
      const std::string uid = "booked-" + std::to_string(i);
      Status s = session->SetBusy(
          uid, std::nullopt,
          {{.period = {start, start + hours(1)}, .uid = uid, .summary = "Booked"}});
      if (!s.ok()) std::abort();
    }
    if (!session->Commit().ok()) std::abort();
  }
  ~TempStore() { std::filesystem::remove_all(path_); }
  CalendarStore& store() { return *store_; }

 private:
  std::string path_;
  std::unique_ptr<CalendarStore> store_;
};

void BM_ParseOnly(benchmark::State& state) {
  const std::vector<std::string> messages = Messages(kMessages, 1, "p", state.range(0) != 0);
  std::size_t i = 0;
  for (auto _ : state) {
    auto mail = ReadMail(messages[i++ % messages.size()]);
    if (mail->calendars.size() != 1) {
      state.SkipWithError("a message did not carry exactly one calendar");
      break;
    }
    auto itip =
        ParseItip(mail->calendars.at(0).text, {.content_type_method = mail->calendars[0].method});
    benchmark::DoNotOptimize(itip);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ResourceDecide(benchmark::State& state) {
  TempStore store(state.range(0) != 0);
  ResourceScheduler scheduler(store.store(), {});
  std::uint32_t round = 0;
  std::vector<std::string> messages;
  std::size_t i = 0;
  std::int64_t accepted = 0;
  for (auto _ : state) {
    if (i % kMessages == 0) {
      // New UIDs each round, so every request is decided, none answered from the store.
      state.PauseTiming();
      messages =
          Messages(kMessages, 100 + round, "r" + std::to_string(round) + "-", state.range(1) != 0);
      ++round;
      state.ResumeTiming();
    }
    auto mail = ReadMail(messages[i++ % kMessages]);
    auto handled = scheduler.Handle(*mail, mail->calendars.at(0), {"room1@example.com"}, {}, kNow);
    for (const OutgoingMail& reply : handled->replies) {
      benchmark::DoNotOptimize(ComposeMail(reply, kNow));
    }
    const Verdict verdict = handled->decisions.at(0).verdict;
    if (verdict != Verdict::kAccepted && verdict != Verdict::kDeclined) {
      state.SkipWithError("a request was not decided: the messages are wrong");
      break;
    }
    accepted += verdict == Verdict::kAccepted;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["accepted_share"] =
      static_cast<double>(accepted) / static_cast<double>(state.iterations());
}

}  // namespace

BENCHMARK(BM_ParseOnly)->ArgName("clients")->Arg(0)->Arg(1);
BENCHMARK(BM_ResourceDecide)->ArgNames({"sync", "clients"})->ArgsProduct({{1, 0}, {0, 1}});

BENCHMARK_MAIN();
