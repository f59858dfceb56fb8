// The general way BuildReplyCalendar builds a reply: copy the request's component with
// libical, edit the copy, write it. BuildReplyCalendar writes a whole event's REPLY more
// cheaply, to the same text; this stays reachable so tests can hold the two to that.
#ifndef MAGENT_IMIP_REPLY_BUILDER_H_
#define MAGENT_IMIP_REPLY_BUILDER_H_

#include <cstddef>
#include <string>

#include "magent/imip/itip.h"
#include "magent/imip/reply.h"

namespace magent::imip::internal {

// BuildReplyCalendar's result for every spec, always built from an edited libical copy.
Result<std::string> EditedCopyReply(const ItipMessage& request, std::size_t index,
                                    const ReplySpec& spec);

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_REPLY_BUILDER_H_
