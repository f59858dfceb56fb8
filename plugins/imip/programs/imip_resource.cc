// imip_resource: an autonomous resource (a room, a car) answering one iMIP message read
// on standard input, as an MTA's pipe transport runs it. Options and preference names are
// imip-agent's; see docs/imip/resource.md. Exit codes are sysexits(3): an MTA bounces a
// message for 65 (malformed) and 67 (unknown user), what is wrong with the message or its
// recipient, and keeps it for a retry for 75, everything the site can mend (configuration,
// command line, preferences, store, disk, transport). Postfix (sys_exits.c) defers only 75
// and 71 and bounces every other code, so no other code is used.
#include <sysexits.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <charconv>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <utility>

#include "magent/imip/resource_agent.h"
#include "magent/imip/safe_text.h"
#include "magent/runtime.h"

namespace {

namespace po = boost::program_options;
using namespace magent;
using namespace magent::imip;

constexpr const char* kDefaultConfig = "/etc/imip-agent/config.txt";

constexpr const char* kExitCodes =
    "Exit codes: 0 handled (also: nothing to do); 65 malformed message; 67 unknown user; "
    "75 try again later: anything the site can mend (configuration, command line, "
    "preferences, store, disk, sending replies), with the reason on standard error.\n";

// See HandleResourceMessage: only InvalidArgument and NotFound are the message's fault.
int ExitCode(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk:
      return EX_OK;
    case StatusCode::kInvalidArgument:
      return EX_DATAERR;
    case StatusCode::kNotFound:
      return EX_NOUSER;
    default:
      return EX_TEMPFAIL;
  }
}

// A whole non-negative number, or none ("20s" and "-1" are none, as stoi would not say).
std::optional<int> ParseWholeNumber(const std::string& text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

// One log line per failure: the message can quote the mail (a SUMMARY, an address), whose
// line breaks would forge log entries and whose escapes would drive a terminal.
int Fail(int code, const std::string& message) {
  std::cerr << "imip_resource: " << OneLine(message) << "\n";
  return code;
}

struct Transport {
  std::unique_ptr<MailTransport> transport;
  std::string error;
};

Transport ChooseTransport(const po::variables_map& vm, const SystemConfig& config, TimePoint now) {
  if (vm.count("debug")) return {MboxTransport(std::cout, now), {}};
  if (vm.count("lmtp")) return {LmtpTransport(vm["lmtp"].as<std::string>()), {}};
  std::string server = vm.count("smtp") ? vm["smtp"].as<std::string>()
                                        : config.Get("SMTP_SERVER").value_or("localhost:25");
  SmtpOptions smtp;
  const auto colon = server.rfind(':');
  smtp.host = server.substr(0, colon);
  if (colon != std::string::npos) smtp.port = server.substr(colon + 1);
  if (smtp.host.empty() || smtp.port.empty()) return {nullptr, "bad -L address '" + server + "'"};
  return {SmtpTransport(smtp), {}};
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description desc(
      "imip_resource: answer one iMIP message on standard input as a resource\n\nOptions");
  desc.add_options()("help,h", "show this help and exit")(
      "original-recipients,o", po::value<std::vector<std::string>>()->multitoken(),
      "the resources the message is for, as the MTA gives them (default: To/Cc addresses "
      "that are attendees)")("senders,s", po::value<std::vector<std::string>>()->multitoken(),
                             "more senders, counted with the From and Sender headers")(
      "store,S", po::value<std::string>(), "the store directory (config STORE_DIR)")(
      "preferences,p", po::value<std::string>(),
      "the preferences directory (config PREFERENCES_DIR)")(
      "journal,j", po::value<std::string>(),
      "the quota journal directory: a directory per quota group with its limits and "
      "delegates files (config JOURNAL_DIR)")(
      "publish,P", po::value<std::string>(),
      "the free/busy publishing directory (config PUBLISH_DIR; default: none, nothing is "
      "published)")("smtp,L", po::value<std::string>()->implicit_value("localhost:25"),
                    "send replies by SMTP to HOST:PORT (the default, to localhost:25)")(
      "lmtp,l", po::value<std::string>(), "send replies by LMTP to this Unix socket")(
      "debug,d", "send nothing: write each outgoing message to standard output (mbox)")(
      "config,c", po::value<std::string>(),
      (std::string("the configuration file (default: ") + kDefaultConfig + " if present)").c_str());
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    // 75, not 64: under an MTA a typo in the command line (master.cf) is the site's to
    // mend, and every message would bounce meanwhile.
    std::cerr << "imip_resource: " << e.what() << "\n" << desc << "\n" << kExitCodes;
    return EX_TEMPFAIL;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n" << kExitCodes;
    return EX_OK;
  }

  SystemConfig config;
  const bool explicit_config = vm.count("config") != 0;
  const std::string config_path = explicit_config ? vm["config"].as<std::string>() : kDefaultConfig;
  // Only nothing at the default path means "no configuration": a file there that cannot
  // be read is an error, as is a configuration named on the command line.
  if (auto loaded = SystemConfig::Load(config_path); loaded.ok()) {
    config = std::move(*loaded);
  } else if (explicit_config || loaded.status().code() != StatusCode::kNotFound) {
    return Fail(EX_TEMPFAIL, loaded.status().message());
  }
  const auto setting = [&](const char* option, const char* name, const char* fallback) {
    return vm.count(option) ? vm[option].as<std::string>() : config.Get(name).value_or(fallback);
  };

  ResourceAgentOptions options;
  options.resource.preferences_dir =
      setting("preferences", "PREFERENCES_DIR", "/var/lib/imip-agent/preferences");
  options.resource.journal_dir = setting("journal", "JOURNAL_DIR", "/var/lib/imip-agent/journal");
  options.resource.publish_dir = setting("publish", "PUBLISH_DIR", "");
  options.resource.users_must_exist = config.Get("USERS_MUST_EXIST").value_or("no") == "yes";
  // A number that is none ("20s", "-1") is an error, not its leading digits.
  // A window of no days books nothing, and no resources per message refuses every
  // message without -o: both are mistakes, not policies.
  for (const auto& [name, minimum] : {std::pair<std::string_view, int>{"STORE_WAIT_SECONDS", 0},
                                      {"WINDOW_DAYS", 1},
                                      {"MAX_RESOURCES_PER_MESSAGE", 1}}) {
    const auto text = config.Get(name);
    if (!text) continue;
    const auto value = ParseWholeNumber(*text);
    if (!value || *value < minimum) {
      return Fail(EX_TEMPFAIL, config_path + ": " + std::string(name) + " ('" + *text +
                                   "') must be a whole number of " + std::to_string(minimum) +
                                   " or more");
    }
    if (name == "STORE_WAIT_SECONDS") {
      options.resource.store_wait = std::chrono::seconds(*value);
    } else if (name == "WINDOW_DAYS") {
      options.resource.window = std::chrono::days(*value);
    } else {
      options.resource.max_resources_per_message = static_cast<std::size_t>(*value);
    }
  }
  // TRUSTED_AUTHSERV_IDS: one or more ids, separated by commas or blanks.
  std::string ids = config.Get("TRUSTED_AUTHSERV_IDS").value_or("");
  std::replace(ids.begin(), ids.end(), ',', ' ');
  std::istringstream id_list(ids);
  for (std::string id; id_list >> id;) options.resource.trusted_authserv_ids.push_back(id);
  options.resource.config = config;
  if (vm.count("original-recipients")) {
    options.recipients = vm["original-recipients"].as<std::vector<std::string>>();
  }
  if (vm.count("senders")) options.senders = vm["senders"].as<std::vector<std::string>>();

  auto store =
      OpenLevelDbStore({.path = setting("store", "STORE_DIR", "/var/lib/imip-agent/store")});
  if (!store.ok()) return Fail(EX_TEMPFAIL, store.status().message());
  auto runtime = Runtime::Create({.threads = 0});
  if (!runtime.ok()) return Fail(EX_TEMPFAIL, runtime.status().message());
  auto transport = ChooseTransport(vm, config, (*runtime)->clock().Now());
  if (transport.transport == nullptr) return Fail(EX_TEMPFAIL, transport.error);

  // One byte past the limit is enough to know the message is too big.
  std::string raw;
  raw.resize(options.limits.max_message_bytes + 1);
  std::cin.read(raw.data(), static_cast<std::streamsize>(raw.size()));
  raw.resize(static_cast<std::size_t>(std::cin.gcount()));
  // A read error is not the end of the message: a part of it must not be answered.
  if (std::cin.bad()) return Fail(EX_TEMPFAIL, "cannot read the message on standard input");

  const Status handled =
      HandleResourceMessage(**runtime, std::shared_ptr<CalendarStore>(std::move(*store)),
                            *transport.transport, options, raw);
  if (!handled.ok()) return Fail(ExitCode(handled), handled.message());
  return EX_OK;
}
